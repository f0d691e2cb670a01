/**
 * The reference text's central argument, computed: on points near a plane in
 * 3-D (linear structure) PCA reconstructs as well as an autoencoder, far more
 * cheaply; on points near a curve (non-linear) the autoencoder wins. Two
 * seeded point sets, each reduced to the same latent size by PCA (the same
 * kernels and API as the digits) and by a small dense autoencoder.
 */
import { throwIfAborted } from '../errors.ts';
import { SHAPE_LATENT, type ShapeName } from '../settings.ts';
import { pca } from '../pca.ts';
import { type Autoencoder, createAutoencoder } from './autoencoder.ts';
import { type ImageView, deriveSeed, mulberry32, range } from './batches.ts';
import { mapSteps, runSteps } from './steps.ts';
import { train } from './train.ts';

// The sets' names and latent sizes live with the other facts, which load no TF.js (the page reads them).
export { SHAPE_LATENT, SHAPE_NAMES, type ShapeName } from '../settings.ts';

/** Options of {@link shapePoints}. */
export interface ShapeOptions {
  /** Points. Default 2,000. */
  count?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default 0.05. */
  noise?: number;
  /** Default 1. */
  seed?: number;
}

/** A standard normal draw from two uniform ones (Box–Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * `count` 3-D points, row-major x, y, z, near a plane or a curve, seeded:
 * - plane: u, v uniform in [−1, 1] along two orthonormal directions of a
 *   tilted plane through the origin;
 * - curve: three quarters of a helix turn, (cos t, sin t, 2t / 1.5π − 1)
 *   for t uniform in [0, 1.5π], so within [−1, 1]³.
 * Then Gaussian noise of `noise` on every coordinate.
 */
export function shapePoints(shape: ShapeName, options: ShapeOptions = {}): Float32Array {
  const { count = 2000, noise = 0.05, seed = 1 } = options;
  const random = mulberry32(deriveSeed(seed, shape === 'plane' ? 11 : 12));
  const out = new Float32Array(count * 3);
  // Two orthonormal directions of the plane: tilted against every axis.
  const a = [0.8, 0.6, 0];
  const b = [-0.36, 0.48, 0.8];
  for (let i = 0; i < count; i++) {
    let p: number[];
    if (shape === 'plane') {
      const u = 2 * random() - 1;
      const v = 2 * random() - 1;
      p = [u * a[0] + v * b[0], u * a[1] + v * b[1], u * a[2] + v * b[2]];
    } else {
      const t = 1.5 * Math.PI * random();
      p = [Math.cos(t), Math.sin(t), (2 * t) / (1.5 * Math.PI) - 1];
    }
    for (let c = 0; c < 3; c++) out[i * 3 + c] = p[c] + noise * gaussian(random);
  }
  return out;
}

/** One point set reduced both ways. */
export interface ShapeComparison {
  shape: ShapeName;
  latent: number;
  count: number;
  noise: number;
  /** Mean squared error per coordinate of PCA's rank-`latent` reconstruction, and the AE's. */
  pcaMse: number;
  aeMse: number;
  /** Both reconstructions, row-major like the points. */
  pcaReconstruction: Float32Array;
  aeReconstruction: Float32Array;
  points: Float32Array;
  /** Wall time of each method, milliseconds. */
  pcaMs: number;
  aeMs: number;
  aeEpochs: number;
}

/** Options of {@link compareOnShape}. */
export interface CompareShapeOptions extends ShapeOptions {
  /** Latent size for both methods, 1..3. Default {@link SHAPE_LATENT}'s. */
  latent?: number;
  /** Autoencoder epochs. Default 100 (about 2 s here, in Node, one thread). */
  epochs?: number;
  signal?: AbortSignal;
  onEpoch?: (epoch: number, epochs: number, loss: number) => void;
}

/** The small autoencoder both sets use: 3-32-32-latent-32-32-3, tanh, linear output, MSE. */
export function shapeAutoencoder(latent: number, seed = 1): Autoencoder {
  return createAutoencoder({
    inputSize: 3,
    hidden: [32, 32],
    latent,
    activation: 'tanh',
    latentActivation: 'linear',
    outputActivation: 'linear',
    loss: 'mse',
    seed,
  });
}

/**
 * PCA and a small autoencoder on the same seeded point set, each keeping
 * `latent` dimensions, with both errors and reconstructions. The
 * autoencoder trains on all the points (batch 64, Adam 1e-3) and is scored
 * on them, like PCA, which fits and reconstructs the same points.
 */
export async function compareOnShape(
  shape: ShapeName,
  options: CompareShapeOptions = {},
): Promise<ShapeComparison> {
  const { count = 2000, noise = 0.05, seed = 1, epochs = 100, signal } = options;
  const latent = options.latent ?? SHAPE_LATENT[shape];
  const points = shapePoints(shape, { count, noise, seed });

  const t0 = performance.now();
  const p = await pca(
    { samples: count, features: 3, values: points },
    { components: 3, scoreDims: 0, threads: 1, signal },
  );
  // Rank `latent`: mean + Σ_k (score_k) v_k, each score computed once per point.
  const pcaReconstruction = new Float32Array(points.length);
  for (let i = 0; i < count; i++) {
    const x = [p.mean[0], p.mean[1], p.mean[2]];
    for (let k = 0; k < latent; k++) {
      let score = 0;
      for (let j = 0; j < 3; j++) score += (points[i * 3 + j] - p.mean[j]) * p.vectors[k * 3 + j];
      for (let c = 0; c < 3; c++) x[c] += score * p.vectors[k * 3 + c];
    }
    pcaReconstruction.set(x, i * 3);
  }
  const pcaMs = performance.now() - t0;
  throwIfAborted(signal, 'The plane and curve comparison');

  const t1 = performance.now();
  const model = shapeAutoencoder(latent, seed);
  try {
    const view: ImageView = { pixels: points, features: 3, indices: range(count) };
    const result = await train(model, view, {
      epochs,
      batchSize: 64,
      learningRate: 1e-3,
      seed,
      signal,
      onEpoch: (e) => options.onEpoch?.(e.epoch, e.epochs, e.loss),
    });
    const aeReconstruction = runSteps(mapSteps(view, 3, (x) => model.reconstruct(x), 1000));
    const aeMs = performance.now() - t1;
    return {
      shape,
      latent,
      count,
      noise,
      pcaMse: p.reconstructionMse[latent - 1],
      aeMse: mse(points, aeReconstruction),
      pcaReconstruction,
      aeReconstruction,
      points,
      pcaMs,
      aeMs,
      aeEpochs: result.epochs,
    };
  } finally {
    model.dispose();
  }
}

function mse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}
