/**
 * The denoising figure's numbers (issue 13, part 2): test images, their
 * seeded noisy copies, and what a denoising autoencoder, a plain
 * autoencoder and PCA at rank k make of those same copies, each scored
 * against the clean images. The noisy copies are the ones noisyMse and
 * reconstructionMse of ./inference.ts give for the same noise, seed and
 * batch size (batch b gets noiseSeed(seed, b)), so the figure's numbers are
 * the CLI's `noisyMse` and `testMse`.
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError } from '../errors.ts';
import type { PcaBasis } from '../pca.ts';
import { tf } from './backend.ts';
import { BatchMaker, type ImageView, viewOf } from './batches.ts';
import { type AsyncBatchOptions, runAsync } from './inference.ts';
import type { TrainableModel } from './model.ts';
import { type Noise, checkNoise, corrupt } from './noise.ts';
import { type Steps, noiseSeed, runSteps } from './steps.ts';

/** The two networks compared: a denoiser (trained on noisy inputs) and a plain autoencoder. */
export interface DenoiseModels {
  dae: TrainableModel;
  ae: TrainableModel;
}

/** What {@link denoiseImages} does. */
export interface DenoiseOptions {
  noise: Noise;
  /** Seeds the noise. Default 1. */
  seed?: number;
  /** Images per forward pass: part of the noise (one seed per batch). Default 1000, as evaluate's. */
  batchSize?: number;
  /** How many of the first images to return as pixels, for a figure: 0..batchSize. Default 8 (fewer if there are fewer). */
  shown?: number;
  /** PCA's reconstruction of the noisy images from the first `k` components of `basis`. */
  pca?: { basis: PcaBasis; k: number };
}

/** The first `shown` images at each stage, shown × features floats each (PCA's unclipped). */
export interface DenoiseImages {
  clean: Float32Array;
  noisy: Float32Array;
  dae: Float32Array;
  ae: Float32Array;
  pca?: Float32Array;
}

/** Mean squared error per pixel against the clean images: the noisy input's and each method's output's. */
export interface DenoiseErrors {
  noisy: number;
  dae: number;
  ae: number;
  pca?: number;
}

export interface DenoiseComparison {
  /** Images scored. */
  count: number;
  shown: number;
  /** PCA's rank, when it took part. */
  k?: number;
  mse: DenoiseErrors;
  images: DenoiseImages;
}

/** The noisy input and each method's output of batch `x`, in the order of DenoiseErrors. */
type Outputs = tf.Tensor2D[];

function check(models: DenoiseModels, view: ImageView, options: DenoiseOptions) {
  const { seed = 1, batchSize = 1000, pca } = options;
  checkNoise(options.noise);
  const d = view.features;
  const n = view.indices.length;
  const shown = options.shown ?? Math.min(8, n, batchSize);
  for (const [name, model] of Object.entries(models) as [string, TrainableModel][]) {
    if (model.inputSize !== d) {
      throw new AeError(
        'BAD_ARGUMENT',
        `The ${name} model takes ${model.inputSize} pixels, but the images have ${d}.`,
      );
    }
  }
  if (n === 0) throw new AeError('BAD_ARGUMENT', 'Give at least one image to denoise.');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AeError('BAD_ARGUMENT', `batchSize must be a whole number ≥ 1, got ${batchSize}.`);
  }
  const most = Math.min(n, batchSize);
  if (!Number.isInteger(shown) || shown < 0 || shown > most) {
    throw new AeError(
      'BAD_ARGUMENT',
      `shown must be a whole number from 0 to ${most} (the images, and one batch), got ${shown}.`,
    );
  }
  if (pca) {
    const { basis, k } = pca;
    if (basis.features !== d) {
      throw new AeError(
        'BAD_ARGUMENT',
        `The PCA was fitted on images of ${basis.features} pixels, but these have ${d}.`,
      );
    }
    if (!Number.isInteger(k) || k < 1 || k > basis.components) {
      throw new AeError(
        'BAD_ARGUMENT',
        `PCA's k must be a whole number from 1 to the basis's ${basis.components} components, got ${k}.`,
      );
    }
  }
  return { seed, batchSize, shown, d, n };
}

/**
 * The basis as float32 arrays a batch's tensors are made from: the mean
 * [1, d], the first k components [k, d] and their transpose [d, k], so that
 * neither product transposes (TF.js's wasm BatchMatMul is slow with one).
 */
function pcaArrays({ basis, k }: { basis: PcaBasis; k: number }) {
  const d = basis.features;
  const v = Float32Array.from(basis.vectors.subarray(0, k * d));
  const vt = new Float32Array(d * k);
  for (let c = 0; c < k; c++) for (let p = 0; p < d; p++) vt[p * k + c] = v[c * d + p];
  return { d, k, mean: Float32Array.from(basis.mean), v, vt };
}

/** mean + (x − mean) Vₖᵀ Vₖ: PCA's rank-k reconstruction, the one projectImages of ../pca.ts computes. */
function pcaRebuild(x: tf.Tensor2D, p: ReturnType<typeof pcaArrays>): tf.Tensor2D {
  const mean = tf.tensor2d(p.mean, [1, p.d]);
  const scores = tf.matMul(tf.sub(x, mean), tf.tensor2d(p.vt, [p.d, p.k]));
  return tf.add(tf.matMul(scores, tf.tensor2d(p.v, [p.k, p.d])), mean);
}

/**
 * {@link denoiseImages} as steps, one batch each. Every step disposes what it
 * made (the PCA basis's tensors included, made per batch), so stopping
 * between two steps leaks nothing.
 */
export function denoiseSteps(
  models: DenoiseModels,
  view: ImageView,
  options: DenoiseOptions,
): Steps<DenoiseComparison> {
  const { seed, batchSize, shown, d, n } = check(models, view, options);
  const { noise } = options;
  const basis = options.pca && pcaArrays(options.pca);
  const stages = basis ? 4 : 3;
  function* steps(): Generator<void, DenoiseComparison, undefined> {
    const maker = new BatchMaker(d);
    const sums = new Float64Array(stages);
    const kept = Array.from({ length: stages + 1 }, () => new Float32Array(shown * d));
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const m = Math.min(batchSize, n - start);
      const x = maker.batch(view, view.indices, start, m);
      let errors: tf.Tensor1D;
      let firsts: tf.Tensor2D[];
      try {
        [errors, firsts] = tf.tidy(() => {
          const noisy = corrupt(x, noise, noiseSeed(seed, b));
          const outputs: Outputs = [
            noisy,
            models.dae.reconstruct(noisy),
            models.ae.reconstruct(noisy),
          ];
          if (basis) outputs.push(pcaRebuild(noisy, basis));
          // Summed per batch in float32 as noiseErrorSteps and squaredErrorSteps sum: the same figures.
          const e = tf.stack(outputs.map((y) => tf.sum(tf.squaredDifference(y, x)))) as tf.Tensor1D;
          const f =
            b === 0 && shown > 0
              ? [x, ...outputs].map((y) => tf.slice(y, [0, 0], [shown, d]) as tf.Tensor2D)
              : [];
          return [e, f] as [tf.Tensor1D, tf.Tensor2D[]];
        });
      } finally {
        x.dispose();
      }
      try {
        const e = errors.dataSync();
        for (let i = 0; i < stages; i++) sums[i] += e[i];
        firsts.forEach((t, i) => kept[i].set(t.dataSync()));
      } finally {
        errors.dispose();
        for (const t of firsts) t.dispose();
      }
      if (start + m < n) yield;
    }
    const per = (sum: number) => sum / (n * d);
    const [clean, noisy, dae, ae, pca] = kept;
    return {
      count: n,
      shown,
      ...(options.pca ? { k: options.pca.k } : {}),
      mse: {
        noisy: per(sums[0]),
        dae: per(sums[1]),
        ae: per(sums[2]),
        ...(basis ? { pca: per(sums[3]) } : {}),
      },
      images: { clean, noisy, dae, ae, ...(basis ? { pca } : {}) },
    };
  }
  return { batches: Math.ceil(n / batchSize), steps: steps() };
}

function asView(images: IdxImages | ImageView): ImageView {
  return 'indices' in images ? images : viewOf(images);
}

/**
 * Corrupts `images` with `options.noise` (seeded), runs the noisy copies
 * through the denoiser, the plain autoencoder and (given a basis) PCA at
 * rank k, and scores each against the clean images, batch by batch.
 */
export function denoiseImages(
  models: DenoiseModels,
  images: IdxImages | ImageView,
  options: DenoiseOptions,
): DenoiseComparison {
  return runSteps(denoiseSteps(models, asView(images), options));
}

/** {@link denoiseImages}, one batch per turn of the event loop, checking `signal` before each. */
export function denoiseImagesAsync(
  models: DenoiseModels,
  images: IdxImages | ImageView,
  options: DenoiseOptions & AsyncBatchOptions,
): Promise<DenoiseComparison> {
  return runAsync('denoise', denoiseSteps(models, asView(images), options), options);
}
