/**
 * Quantized weights in the TF.js weights manifest, which TF.js dequantizes
 * while it loads them (tf.io.decodeWeights): float16, or uint8 with a scale
 * and a minimum per tensor. The uint8 range is the one tensorflowjs_converter
 * writes (tfjs-converter python/tensorflowjs/quantization.py): widened to hold
 * 0 and nudged so that 0 is exactly a step, so zero biases stay zero.
 */
import { AeError } from '../errors.ts';
import type { tf } from './backend.ts';

/** How the weights are stored: as trained, or in 2 bytes or 1 byte per value. */
export type WeightEncoding = 'float32' | 'float16' | 'uint8';

/** The encodings, smallest first. */
export const WEIGHT_ENCODINGS: readonly WeightEncoding[] = ['uint8', 'float16', 'float32'];

/**
 * How far a shipped model's test score (the AE's MSE, the VAE's loss) may move
 * from the float32 model's, relative: the build ships the smallest encoding
 * within it (scripts/build-models.ts) and tests/unit/quantize.test.ts checks it.
 */
export const SHIPPED_SCORE_TOLERANCE = 0.01;

/** Bytes per value of each encoding. */
export const ENCODING_BYTES: Readonly<Record<WeightEncoding, number>> = {
  uint8: 1,
  float16: 2,
  float32: 4,
};

/** A model.json's weight entries with their values, in manifest order. */
function entriesOf(
  modelJson: tf.io.ModelJSON,
  weights: ArrayBuffer,
): { spec: tf.io.WeightsManifestEntry; values: Float32Array }[] {
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  let offset = 0;
  const out = specs.map((spec) => {
    if (spec.dtype !== 'float32' || spec.quantization) {
      throw new AeError(
        'BAD_ARGUMENT',
        `Weight ${spec.name} is ${spec.quantization ? `already quantized (${spec.quantization.dtype})` : spec.dtype}; ` +
          'quantize the float32 model as it was saved.',
      );
    }
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > weights.byteLength) {
      throw new AeError(
        'BAD_ARGUMENT',
        `The weights file ends before ${spec.name}: ${weights.byteLength} bytes for a manifest that needs more.`,
      );
    }
    const values = new Float32Array(weights, offset, size);
    offset += size * 4;
    return { spec, values };
  });
  if (offset !== weights.byteLength) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The weights file has ${weights.byteLength} bytes but its manifest describes ${offset}.`,
    );
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half precision of `x`, rounded to nearest even (as numpy's astype(float16)). */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit bit, round to nearest even.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa moves into the exponent, which is the right result (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** The uint8 step and minimum for values in [min, max], as the converter computes them. */
export function uint8Range(min: number, max: number): { scale: number; min: number } {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  if (hi === lo) return { scale: 1, min: lo };
  const scale = (hi - lo) / 255;
  const zero = Math.round(-lo / scale);
  return { scale, min: -zero * scale };
}

/**
 * model.json and weights with every float32 weight stored as `encoding`: the
 * manifest gains a `quantization` entry per weight and the buffer shrinks to
 * 2 or 1 bytes per value. 'float32' returns copies unchanged. Throws
 * BAD_ARGUMENT when the manifest and the buffer disagree or the weights are
 * already quantized.
 */
export function quantizeModelFiles(
  modelJson: tf.io.ModelJSON,
  weights: ArrayBuffer,
  encoding: WeightEncoding,
): { modelJson: tf.io.ModelJSON; weights: ArrayBuffer } {
  if (!WEIGHT_ENCODINGS.includes(encoding)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Weight encoding ${JSON.stringify(encoding)} is unknown; use ${WEIGHT_ENCODINGS.join(', ')}.`,
    );
  }
  const entries = entriesOf(modelJson, weights);
  const copy = structuredClone(modelJson);
  if (encoding === 'float32') return { modelJson: copy, weights: weights.slice(0) };
  const total = entries.reduce((sum, e) => sum + e.values.length, 0);
  const out = new ArrayBuffer(total * ENCODING_BYTES[encoding]);
  const specs = copy.weightsManifest.flatMap((group) => group.weights);
  let at = 0;
  for (const [i, { values }] of entries.entries()) {
    const spec = specs[i];
    if (encoding === 'float16') {
      const h = new Uint16Array(out, at * 2, values.length);
      for (let j = 0; j < values.length; j++) h[j] = toFloat16Bits(values[j]);
      spec.quantization = { dtype: 'float16' };
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const { scale, min } = uint8Range(lo, hi);
      const q = new Uint8Array(out, at, values.length);
      for (let j = 0; j < values.length; j++) {
        q[j] = Math.min(255, Math.max(0, Math.round((values[j] - min) / scale)));
      }
      spec.quantization = { dtype: 'uint8', scale, min };
    }
    at += values.length;
  }
  return { modelJson: copy, weights: out };
}
