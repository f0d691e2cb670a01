/**
 * Corrupted inputs for a denoising autoencoder (Vincent et al. 2008,
 * "Extracting and composing robust features with denoising autoencoders"):
 * the model sees noisy images and is scored against the clean ones. Noise is
 * seeded (TF.js's seeded random ops), so the same seed gives the same noise
 * on every backend.
 */
import type { Noise } from '../noise.ts';
import { tf } from './backend.ts';

export { type Noise, NOISE_KINDS, checkNoise, formatNoise, parseNoise } from '../noise.ts';

/** A noisy copy of the [n, d] images `x` (values 0..1), seeded with `seed`. The caller disposes it. */
export function corrupt(x: tf.Tensor2D, noise: Noise, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (noise.kind === 'gaussian') {
      const e = tf.randomNormal(x.shape, 0, noise.sigma, 'float32', seed);
      return tf.clipByValue(tf.add(x, e), 0, 1) as tf.Tensor2D;
    }
    const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), noise.fraction);
    return tf.mul(x, tf.cast(keep, 'float32')) as tf.Tensor2D;
  });
}
