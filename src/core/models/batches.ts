/**
 * Seeded randomness and float batches made on demand from 8-bit pixels, so a
 * whole training set stays a Uint8Array and only one batch at a time is float.
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError } from '../errors.ts';
import { tf } from './backend.ts';

/** A seeded PRNG returning floats in [0, 1) (mulberry32: small, fast, good enough for shuffling). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Derives an independent, non-zero 32-bit seed from a base seed and any
 * number of integers. Each part is added with its own odd multiplier before
 * mixing, so that no base seed and part cancel out (an earlier XOR version
 * gave 0 for every `(s, s)`). Never 0: TF.js's randomNormal treats a 0 seed
 * as none and draws from Math.random (tfjs-core ops/rand_util.ts).
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = fmix32((seed ^ 0x2545f491) >>> 0);
  for (const p of parts) {
    h = fmix32((h + Math.imul(p >>> 0, 0x9e3779b1) + 0x632be5ab) >>> 0);
  }
  return h === 0 ? 1 : h;
}

/** Fisher–Yates shuffle of `indices` in place with `random`. */
export function shuffleInPlace(indices: Uint32Array, random: () => number): Uint32Array {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}

/** 0, 1, …, n − 1 offset by `start`. */
export function range(n: number, start = 0): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i;
  return out;
}

/**
 * Images by index into a shared pixel array: a training set, a validation
 * split or a test set, without copying pixels.
 */
export interface ImageView {
  /** 8-bit pixels, scaled to 0..1 by the batches; or float values (e.g. 3-D points), used as they are. */
  readonly pixels: Uint8Array | Float32Array;
  /** Pixels per image. */
  readonly features: number;
  /** Which images, in order. */
  readonly indices: Uint32Array;
}

/** All images of `images`, or `count` of them starting at `start`. */
export function viewOf(images: IdxImages, start = 0, count = images.count - start): ImageView {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Bad image range ${start} + ${count}: use whole numbers ≥ 0.`,
    );
  }
  if (start + count > images.count) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Image range ${start}..${start + count} is past the end of a set of ${images.count} images.`,
    );
  }
  return {
    pixels: images.pixels,
    features: images.rows * images.cols,
    indices: range(count, start),
  };
}

/**
 * Keras's `validation_split`: validation is the LAST `fraction` of the
 * samples (before any shuffling) and training the first part, split at
 * floor(n · (1 − fraction)) in float arithmetic, as Keras and TF.js do
 * (so 60,000 × (1 − 0.8) gives 11,999, not 12,000).
 */
export function kerasValidationSplit(
  images: IdxImages,
  fraction: number,
): { train: ImageView; validation: ImageView } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `validationSplit must be between 0 and 1 (exclusive), got ${fraction}.`,
    );
  }
  const splitAt = Math.floor(images.count * (1 - fraction));
  if (splitAt < 1 || splitAt >= images.count) {
    throw new AeError(
      'BAD_ARGUMENT',
      `validationSplit ${fraction} of ${images.count} images leaves an empty training or validation set.`,
    );
  }
  return {
    train: viewOf(images, 0, splitAt),
    validation: viewOf(images, splitAt, images.count - splitAt),
  };
}

/**
 * Makes float32 batches in [0, 1] from 8-bit pixels. One Float32Array is kept
 * per batch size (training uses at most two: full and last partial batch).
 */
export class BatchMaker {
  private readonly buffers = new Map<number, Float32Array>();

  constructor(private readonly features: number) {}

  /**
   * A [n, features] tensor of the images `order[start..start+n)` of `view`
   * (pixels / 255, or float values as they are).
   * The caller disposes it before the next call with the same n (the cpu
   * backend keeps a reference to the buffer instead of copying it).
   */
  batch(view: ImageView, order: Uint32Array, start: number, n: number): tf.Tensor2D {
    const d = this.features;
    let buf = this.buffers.get(n);
    if (!buf) {
      buf = new Float32Array(n * d);
      this.buffers.set(n, buf);
    }
    const px = view.pixels;
    if (px instanceof Float32Array) {
      for (let r = 0; r < n; r++) {
        const src = order[start + r] * d;
        buf.set(px.subarray(src, src + d), r * d);
      }
      return tf.tensor2d(buf, [n, d], 'float32');
    }
    for (let r = 0; r < n; r++) {
      const src = order[start + r] * d;
      const dst = r * d;
      for (let c = 0; c < d; c++) buf[dst + c] = px[src + c] / 255;
    }
    return tf.tensor2d(buf, [n, d], 'float32');
  }

  /** Forgets the buffers (they are small; this is for long-lived makers). */
  clear(): void {
    this.buffers.clear();
  }
}
