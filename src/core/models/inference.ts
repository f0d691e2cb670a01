/**
 * Using a model after training: codes, reconstructions, decoded latent
 * vectors, samples from the VAE's prior and test scores, batched, as typed
 * arrays (row-major) that can cross a worker boundary. Each comes twice: a
 * synchronous form that runs every batch at once (the CLI, reports), and an
 * `…Async` form that runs one batch per turn of the event loop, checks an
 * AbortSignal between batches and reports progress (the worker, where a
 * `cancel` message must get through).
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError, throwIfAborted } from '../errors.ts';
import { tf } from './backend.ts';
import { type ImageView, deriveSeed, viewOf } from './batches.ts';
import type { TrainableModel } from './model.ts';
import { type Noise, checkNoise } from './noise.ts';
import {
  type Steps,
  decodeSteps,
  lossSteps,
  noiseErrorSteps,
  mapSteps,
  runSteps,
  squaredErrorSteps,
} from './steps.ts';
import { yieldToEventLoop } from '../yield.ts';

/** Options shared by the batched helpers. */
export interface BatchOptions {
  /** Images per forward pass. Default 1000 (the async forms: 500, evaluate 1000). */
  batchSize?: number;
}

/** Progress of an `…Async` form, reported after every batch. */
export interface InferenceProgress {
  stage: InferenceStage;
  /** Batches done, 1-based. */
  batch: number;
  batches: number;
  /** batch / batches. */
  fraction: number;
}

export type InferenceStage =
  'encode' | 'reconstruct' | 'decode' | 'sample' | 'evaluate' | 'mse' | 'denoise';

/** Options of the `…Async` forms. */
export interface AsyncBatchOptions extends BatchOptions {
  /** Checked before every batch: the promise rejects with an ABORTED AeError once it fires. */
  signal?: AbortSignal;
  onProgress?: (progress: InferenceProgress) => void;
}

/**
 * Batches of the async forms: 20 checkpoints over the 10,000 test digits, so
 * a cancel waits at most one batch (a few ms for these dense models).
 */
const ASYNC_BATCH = 500;

const WHAT: Record<InferenceStage, string> = {
  encode: 'Encoding the images',
  reconstruct: 'Reconstructing the images',
  decode: 'Decoding the latent vectors',
  sample: 'Sampling from the prior',
  evaluate: 'Scoring the model',
  mse: 'Measuring the reconstruction error',
  denoise: 'Denoising the images',
};

/** Runs one step per turn of the event loop, checking `signal` before each. */
export async function runAsync<T>(
  stage: InferenceStage,
  { batches, steps }: Steps<T>,
  { signal, onProgress }: AsyncBatchOptions,
): Promise<T> {
  for (let batch = 1; ; batch++) {
    throwIfAborted(signal, WHAT[stage]);
    const next = steps.next();
    onProgress?.({ stage, batch, batches, fraction: batch / batches });
    if (next.done) return next.value;
    await yieldToEventLoop();
  }
}

function asView(images: IdxImages | ImageView): ImageView {
  return 'indices' in images ? images : viewOf(images);
}

/** Latent codes of `images`: [count × latentSize], row-major (the VAE gives its posterior mean μ). */
export function encodeImages(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions = {},
): Float32Array {
  return runSteps(encodeSteps(model, images, options.batchSize ?? 1000));
}

/** {@link encodeImages}, one batch per turn of the event loop. */
export async function encodeImagesAsync(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: AsyncBatchOptions = {},
): Promise<Float32Array> {
  return runAsync('encode', encodeSteps(model, images, options.batchSize ?? ASYNC_BATCH), options);
}

function encodeSteps(model: TrainableModel, images: IdxImages | ImageView, batchSize: number) {
  return mapSteps(asView(images), model.latentSize, (x) => model.encode(x), batchSize);
}

/** Reconstructions of `images` in [0, 1]: [count × inputSize], row-major. */
export function reconstructImages(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions = {},
): Float32Array {
  return runSteps(reconstructSteps(model, images, options.batchSize ?? 1000));
}

/** {@link reconstructImages}, one batch per turn of the event loop. */
export async function reconstructImagesAsync(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: AsyncBatchOptions = {},
): Promise<Float32Array> {
  return runAsync(
    'reconstruct',
    reconstructSteps(model, images, options.batchSize ?? ASYNC_BATCH),
    options,
  );
}

function reconstructSteps(model: TrainableModel, images: IdxImages | ImageView, batchSize: number) {
  return mapSteps(asView(images), model.inputSize, (x) => model.reconstruct(x), batchSize);
}

/**
 * Decodes latent vectors (row-major, a multiple of latentSize long) to images:
 * [count × inputSize]. In one forward pass unless `options.batchSize` says otherwise.
 */
export function decodeLatents(
  model: TrainableModel,
  latents: Float32Array,
  options: BatchOptions = {},
): Float32Array {
  return runSteps(decodeSteps(model, latents, options.batchSize ?? Infinity));
}

/** {@link decodeLatents}, `batchSize` (default 500) vectors per turn of the event loop. */
export async function decodeLatentsAsync(
  model: TrainableModel,
  latents: Float32Array,
  options: AsyncBatchOptions = {},
): Promise<Float32Array> {
  return runAsync('decode', decodeSteps(model, latents, options.batchSize ?? ASYNC_BATCH), options);
}

/** `count` latent vectors from the VAE's prior N(0, I) with `seed`. */
function priorLatents(model: TrainableModel, count: number, seed: number): Float32Array {
  if (model.kind !== 'vae') {
    throw new AeError(
      'BAD_ARGUMENT',
      'Sampling from the prior needs a VAE; an autoencoder has no prior. Use decodeLatents instead.',
    );
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new AeError('BAD_ARGUMENT', `count must be a whole number ≥ 1, got ${count}.`);
  }
  // deriveSeed never gives 0, which TF.js would take for no seed at all.
  const z = tf.randomNormal([count, model.latentSize], 0, 1, 'float32', deriveSeed(seed));
  const latents = z.dataSync() as Float32Array;
  z.dispose();
  return latents;
}

/**
 * Draws `count` latent vectors from the VAE's prior N(0, I) with `seed` and
 * decodes them. Returns the images and the latent vectors.
 */
export function sampleFromPrior(
  model: TrainableModel,
  count: number,
  seed = 1,
): { images: Float32Array; latents: Float32Array } {
  const latents = priorLatents(model, count, seed);
  return { images: decodeLatents(model, latents), latents };
}

/**
 * {@link sampleFromPrior} with the decoding batched: the same latent vectors
 * for the same seed, decoded `batchSize` (default 500) per turn of the event loop.
 */
export async function sampleFromPriorAsync(
  model: TrainableModel,
  count: number,
  seed = 1,
  options: AsyncBatchOptions = {},
): Promise<{ images: Float32Array; latents: Float32Array }> {
  throwIfAborted(options.signal, WHAT.sample);
  const latents = priorLatents(model, count, seed);
  const steps = decodeSteps(model, latents, options.batchSize ?? ASYNC_BATCH);
  return { images: await runAsync('sample', steps, options), latents };
}

/** Scoring a denoiser: the images go in with `noise` (seeded with `seed`), the clean ones are the target. */
export interface NoiseOptions {
  seed?: number;
  noise?: Noise;
}

/**
 * Scores `model` on `images` with its training loss, batched: the mean
 * squared error per pixel for an MSE autoencoder (the notebook's test MSE),
 * the per-sample VAE loss averaged over images for a VAE (sampled with
 * `seed`, as Keras's evaluate samples).
 */
export function evaluate(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions & NoiseOptions = {},
): number {
  const { batchSize = 1000, seed = 1, noise } = options;
  return runSteps(lossSteps(model, asView(images), batchSize, seed, noise));
}

/**
 * {@link evaluate}, one batch per turn of the event loop. Its batches are
 * also 1000 by default: the VAE's noise is seeded per batch, so this gives
 * the same figure as the synchronous form and a training run's test score.
 */
export async function evaluateAsync(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: AsyncBatchOptions & NoiseOptions = {},
): Promise<number> {
  const { batchSize = 1000, seed = 1, noise } = options;
  const steps = lossSteps(model, asView(images), batchSize, seed, noise);
  return runAsync('evaluate', steps, options);
}

/**
 * Mean squared error per pixel between `images` and their reconstructions
 * (the VAE's from μ, no sampling), batched: the one figure that puts PCA, an
 * autoencoder and a VAE on the same scale.
 */
export function reconstructionMse(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions & NoiseOptions = {},
): number {
  const { batchSize = 1000, seed = 1, noise } = options;
  return runSteps(squaredErrorSteps(model, asView(images), batchSize, noise, seed));
}

/** {@link reconstructionMse}, one batch per turn of the event loop. */
export async function reconstructionMseAsync(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: AsyncBatchOptions & NoiseOptions = {},
): Promise<number> {
  const { batchSize = ASYNC_BATCH, seed = 1, noise } = options;
  const steps = squaredErrorSteps(model, asView(images), batchSize, noise, seed);
  return runAsync('mse', steps, options);
}

/**
 * Mean squared error per pixel between `images` and their noisy copies, the
 * same copies {@link evaluate} and {@link reconstructionMse} give a model for
 * the same `noise`, `seed` and `batchSize`: the error a denoiser starts from.
 */
export function noisyMse(
  images: IdxImages | ImageView,
  noise: Noise,
  options: BatchOptions & { seed?: number } = {},
): number {
  const { batchSize = 1000, seed = 1 } = options;
  return runSteps(noiseErrorSteps(asView(images), batchSize, checkNoise(noise), seed));
}

/** {@link noisyMse}, one batch per turn of the event loop. */
export async function noisyMseAsync(
  images: IdxImages | ImageView,
  noise: Noise,
  options: AsyncBatchOptions & { seed?: number } = {},
): Promise<number> {
  const { batchSize = 1000, seed = 1 } = options;
  return runAsync(
    'mse',
    noiseErrorSteps(asView(images), batchSize, checkNoise(noise), seed),
    options,
  );
}
