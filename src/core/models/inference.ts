/**
 * Using a model after training: codes, reconstructions, decoded latent
 * vectors, samples from the VAE's prior and test scores, batched, as typed
 * arrays (row-major) that can cross a worker boundary.
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError } from '../errors.ts';
import { tf } from './backend.ts';
import { BatchMaker, type ImageView, deriveSeed, viewOf } from './batches.ts';
import type { TrainableModel } from './model.ts';
import { meanLoss } from './train.ts';

/** Options shared by the batched helpers. */
export interface BatchOptions {
  /** Images per forward pass. Default 1000. */
  batchSize?: number;
}

function asView(images: IdxImages | ImageView): ImageView {
  return 'indices' in images ? images : viewOf(images);
}

function mapBatches(
  images: IdxImages | ImageView,
  width: number,
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  batchSize = 1000,
): Float32Array {
  const view = asView(images);
  const n = view.indices.length;
  const out = new Float32Array(n * width);
  const maker = new BatchMaker(view.features);
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const x = maker.batch(view, view.indices, start, m);
    const y = f(x);
    x.dispose();
    out.set(y.dataSync(), start * width);
    y.dispose();
  }
  return out;
}

/** Latent codes of `images`: [count × latentSize], row-major (the VAE gives its posterior mean μ). */
export function encodeImages(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions = {},
): Float32Array {
  return mapBatches(images, model.latentSize, (x) => model.encode(x), options.batchSize);
}

/** Reconstructions of `images` in [0, 1]: [count × inputSize], row-major. */
export function reconstructImages(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions = {},
): Float32Array {
  return mapBatches(images, model.inputSize, (x) => model.reconstruct(x), options.batchSize);
}

/** Decodes latent vectors (row-major, a multiple of latentSize long) to images: [count × inputSize]. */
export function decodeLatents(model: TrainableModel, latents: Float32Array): Float32Array {
  const k = model.latentSize;
  if (latents.length === 0 || latents.length % k !== 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Latent vectors must be a non-empty multiple of the latent size ${k} long, got ${latents.length}.`,
    );
  }
  const z = tf.tensor2d(latents, [latents.length / k, k], 'float32');
  const y = model.decoder.predict(z) as tf.Tensor;
  z.dispose();
  const out = y.dataSync() as Float32Array;
  y.dispose();
  return out;
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
  return { images: decodeLatents(model, latents), latents };
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
  options: BatchOptions & { seed?: number } = {},
): number {
  return meanLoss(model, images, options);
}

/**
 * Mean squared error per pixel between `images` and their reconstructions
 * (the VAE's from μ, no sampling), batched: the one figure that puts PCA, an
 * autoencoder and a VAE on the same scale.
 */
export function reconstructionMse(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: BatchOptions = {},
): number {
  const view = asView(images);
  const batchSize = options.batchSize ?? 1000;
  const maker = new BatchMaker(view.features);
  const n = view.indices.length;
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const x = maker.batch(view, view.indices, start, m);
    const total = tf.tidy(() => tf.sum(tf.squaredDifference(model.reconstruct(x), x)));
    x.dispose();
    sum += total.dataSync()[0];
    total.dispose();
  }
  return sum / (n * view.features);
}
