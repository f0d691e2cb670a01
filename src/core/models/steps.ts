/**
 * Batched inference as steps: each generator runs one batch per `next()` and
 * returns its result with the last one. One loop runs every batch at once
 * (the CLI, training's validation: {@link runSteps}); another runs one batch
 * per turn of the event loop and checks a signal in between (the worker:
 * src/core/models/inference.ts). A step disposes its tensors before it
 * yields, so stopping between two steps leaks nothing.
 */
import { AeError } from '../errors.ts';
import { tf } from './backend.ts';
import { BatchMaker, type ImageView, deriveSeed } from './batches.ts';
import type { TrainableModel } from './model.ts';
import { type Noise, corrupt } from './noise.ts';

/** A batched computation: `batches` steps, the last of which returns the result. */
export interface Steps<T> {
  readonly batches: number;
  readonly steps: Generator<void, T, undefined>;
}

/** Runs every step at once. */
export function runSteps<T>({ steps }: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Steps for `n` items, `batchSize` (a whole number, or Infinity for one batch) at a time. */
function batchesOf(n: number, batchSize: number): number {
  if (!(batchSize === Infinity || (Number.isInteger(batchSize) && batchSize >= 1))) {
    throw new AeError('BAD_ARGUMENT', `batchSize must be a whole number ≥ 1, got ${batchSize}.`);
  }
  return Math.max(1, Math.ceil(n / batchSize));
}

/** `f` of every image of `view`, `width` floats each, `batchSize` images per forward pass. */
export function mapSteps(
  view: ImageView,
  width: number,
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  batchSize: number,
): Steps<Float32Array> {
  const n = view.indices.length;
  const batches = batchesOf(n, batchSize);
  function* steps(): Generator<void, Float32Array, undefined> {
    const out = new Float32Array(n * width);
    const maker = new BatchMaker(view.features);
    for (let start = 0; start < n; start += batchSize) {
      const m = Math.min(batchSize, n - start);
      predictInto(out, start * width, maker.batch(view, view.indices, start, m), f);
      if (start + m < n) yield;
    }
    return out;
  }
  return { batches, steps: steps() };
}

/** Runs `f` on the batch `x`, copies what it gives into `out` at `offset`; both tensors are freed. */
function predictInto<T extends tf.Tensor>(
  out: Float32Array,
  offset: number,
  x: T,
  f: (x: T) => tf.Tensor,
): void {
  let y: tf.Tensor;
  try {
    y = f(x);
  } finally {
    x.dispose();
  }
  try {
    out.set(y.dataSync(), offset);
  } finally {
    y.dispose();
  }
}

/** The decoder's images of latent vectors (row-major, a multiple of latentSize long), `batchSize` at a time. */
export function decodeSteps(
  model: TrainableModel,
  latents: Float32Array,
  batchSize: number,
): Steps<Float32Array> {
  const k = model.latentSize;
  if (latents.length === 0 || latents.length % k !== 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Latent vectors must be a non-empty multiple of the latent size ${k} long, got ${latents.length}.`,
    );
  }
  const n = latents.length / k;
  const d = model.inputSize;
  const batches = batchesOf(n, batchSize);
  function* steps(): Generator<void, Float32Array, undefined> {
    const out = new Float32Array(n * d);
    for (let start = 0; start < n; start += batchSize) {
      const m = Math.min(batchSize, n - start);
      const z = tf.tensor2d(latents.subarray(start * k, (start + m) * k), [m, k], 'float32');
      predictInto(out, start * d, z, (x) => model.decoder.predict(x) as tf.Tensor);
      if (start + m < n) yield;
    }
    return out;
  }
  return { batches, steps: steps() };
}

/**
 * The sum over `view`'s batches of `f(batch, b)` (a scalar each), `batchSize`
 * images per forward pass, then `finish(sum)`.
 */
function sumSteps(
  view: ImageView,
  batchSize: number,
  f: (x: tf.Tensor2D, b: number) => tf.Scalar,
  finish: (sum: number) => number,
): Steps<number> {
  const n = view.indices.length;
  const batches = batchesOf(n, batchSize);
  function* steps(): Generator<void, number, undefined> {
    const maker = new BatchMaker(view.features);
    let sum = 0;
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const m = Math.min(batchSize, n - start);
      const x = maker.batch(view, view.indices, start, m);
      try {
        const total = tf.tidy(() => f(x, b));
        sum += total.dataSync()[0];
        total.dispose();
      } finally {
        x.dispose();
      }
      if (start + m < n) yield;
    }
    return finish(sum);
  }
  return { batches, steps: steps() };
}

/**
 * Mean per-sample loss of `model` over `view`; with `noise`, of the noisy
 * copies (seeded by `noiseBase`) scored against the clean images. The VAE's noise of batch `b`
 * is seeded with `deriveSeed(seed, b)`, so the batch size is part of the result.
 */
export function lossSteps(
  model: TrainableModel,
  view: ImageView,
  batchSize: number,
  seed: number,
  noise?: Noise,
  noiseBase = seed,
): Steps<number> {
  return sumSteps(
    view,
    batchSize,
    (x, b) =>
      tf.sum(
        noise
          ? model.sampleLosses(corrupt(x, noise, noiseSeed(noiseBase, b)), deriveSeed(seed, b), x)
          : model.sampleLosses(x, deriveSeed(seed, b)),
      ),
    (sum) => sum / view.indices.length,
  );
}

/** The seed of batch `b`'s input noise: the same images get the same noise in every figure of one seed. */
export function noiseSeed(seed: number, b: number): number {
  return deriveSeed(seed, 9, b);
}

/**
 * Mean squared error per pixel between the images of `view` and their noisy
 * copies (the noise {@link lossSteps} and {@link squaredErrorSteps} give
 * the model for the same seed and batch size): what a denoiser starts from.
 */
export function noiseErrorSteps(
  view: ImageView,
  batchSize: number,
  noise: Noise,
  seed: number,
): Steps<number> {
  return sumSteps(
    view,
    batchSize,
    (x, b) => tf.sum(tf.squaredDifference(corrupt(x, noise, noiseSeed(seed, b)), x)),
    (sum) => sum / (view.indices.length * view.features),
  );
}

/**
 * Mean squared error per pixel between the images of `view` and their
 * reconstructions; with `noise`, the reconstructions of their noisy copies
 * (seeded with `seed`) against the clean images.
 */
export function squaredErrorSteps(
  model: TrainableModel,
  view: ImageView,
  batchSize: number,
  noise?: Noise,
  seed = 1,
): Steps<number> {
  return sumSteps(
    view,
    batchSize,
    (x, b) =>
      tf.sum(
        tf.squaredDifference(
          model.reconstruct(noise ? corrupt(x, noise, noiseSeed(seed, b)) : x),
          x,
        ),
      ),
    (sum) => sum / (view.indices.length * view.features),
  );
}
