import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { createAutoencoder } from '../../src/core/models/autoencoder.ts';
import { toModelFiles } from '../../src/core/models/artifacts.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { viewOf } from '../../src/core/models/batches.ts';
import { loadModelFiles } from '../../src/core/models/node-io.ts';
import {
  SHIPPED_SCORE_TOLERANCE,
  quantizeModelFiles,
  toFloat16Bits,
  uint8Range,
} from '../../src/core/models/quantize.ts';
import { noisyMse } from '../../src/core/models/inference.ts';
import { meanLoss } from '../../src/core/models/train.ts';

let test: Dataset;

before(async () => {
  await initBackend();
  test = await loadMnist('test');
});

function isCode(code: string) {
  return (e: unknown) => e instanceof AeError && e.code === code;
}

/** The weights of model files as TF.js decodes them while loading. */
function decoded(files: { modelJson: tf.io.ModelJSON; weights: ArrayBuffer }): Float32Array[] {
  const specs = files.modelJson.weightsManifest.flatMap((g) => g.weights);
  const map = tf.io.decodeWeights(files.weights, specs);
  const out = specs.map((s) => map[s.name].dataSync() as Float32Array);
  for (const t of Object.values(map)) t.dispose();
  return out;
}

describe('toFloat16Bits', () => {
  it('encodes exact values, rounds to nearest even, and saturates like numpy', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway past the largest half: rounds to infinity
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // half of it: a tie, to even (zero)
      [3 * 2 ** -25, 0x0002], // a tie between 1 and 2 steps: to even (2)
      [1 + 2 ** -11, 0x3c00], // a tie between 1 and its successor: to even
      [1 + 3 * 2 ** -11, 0x3c02], // a tie between successors 1 and 2: to even (2)
      [2 ** -14, 0x0400], // the smallest normal
    ];
    for (const [x, bits] of cases) {
      assert.equal(toFloat16Bits(x).toString(16), bits.toString(16), `f16(${x})`);
    }
    assert.equal(toFloat16Bits(Number.NaN) & 0x7c00, 0x7c00);
    assert.notEqual(toFloat16Bits(Number.NaN) & 0x3ff, 0);
  });
});

describe('uint8Range', () => {
  it('holds 0 exactly and covers the values', () => {
    for (const [lo, hi] of [
      [-0.3, 0.7],
      [0.2, 0.9],
      [-1.5, -0.25],
      [-0.013, 0.4],
    ]) {
      const { scale, min } = uint8Range(lo, hi);
      const zero = Math.round(-min / scale);
      assert.equal(zero * scale + min, 0, `0 is a step of [${lo}, ${hi}]`);
      assert.ok(min <= Math.min(lo, 0) + scale / 2, `min ${min} reaches ${lo}`);
      assert.ok(255 * scale + min >= Math.max(hi, 0) - scale / 2, `max reaches ${hi}`);
    }
    assert.deepEqual(uint8Range(0, 0), { scale: 1, min: 0 });
  });
});

describe('quantizeModelFiles', () => {
  it('writes manifests TF.js decodes to within half a step (uint8) and 2^-11 (float16)', async () => {
    const model = createAutoencoder({ inputSize: 20, hidden: [8], latent: 3, seed: 4 });
    const files = await toModelFiles(model);
    model.dispose();
    const original = decoded(files);
    const total = original.reduce((s, w) => s + w.length, 0);
    assert.equal(files.weights.byteLength, total * 4);

    const u8 = quantizeModelFiles(files.modelJson, files.weights, 'uint8');
    assert.equal(u8.weights.byteLength, total);
    const u8Specs = u8.modelJson.weightsManifest.flatMap((g) => g.weights);
    for (const [i, w] of decoded(u8).entries()) {
      const q = u8Specs[i].quantization!;
      assert.equal(q.dtype, 'uint8');
      for (let j = 0; j < w.length; j++) {
        assert.ok(
          Math.abs(w[j] - original[i][j]) <= q.scale! / 2 + 1e-7,
          `${u8Specs[i].name}[${j}]: ${w[j]} vs ${original[i][j]} (step ${q.scale})`,
        );
      }
      // Zero biases stay exactly zero.
      if (original[i].every((v) => v === 0)) assert.ok(w.every((v) => v === 0));
    }

    const f16 = quantizeModelFiles(files.modelJson, files.weights, 'float16');
    assert.equal(f16.weights.byteLength, total * 2);
    for (const [i, w] of decoded(f16).entries()) {
      for (let j = 0; j < w.length; j++) {
        const x = original[i][j];
        assert.ok(Math.abs(w[j] - x) <= Math.abs(x) * 2 ** -11 + 2 ** -25, `${w[j]} vs ${x}`);
      }
    }

    const same = quantizeModelFiles(files.modelJson, files.weights, 'float32');
    assert.deepEqual(new Uint8Array(same.weights), new Uint8Array(files.weights));
    // The input is left as it was.
    assert.equal(files.modelJson.weightsManifest[0].weights[0].quantization, undefined);
  });

  it('refuses unknown encodings, quantized input and a buffer that does not fit', async () => {
    const model = createAutoencoder({ inputSize: 6, hidden: [4], latent: 2 });
    const files = await toModelFiles(model);
    model.dispose();
    assert.throws(
      () => quantizeModelFiles(files.modelJson, files.weights, 'int4' as 'uint8'),
      isCode('BAD_ARGUMENT'),
    );
    const u8 = quantizeModelFiles(files.modelJson, files.weights, 'uint8');
    assert.throws(
      () => quantizeModelFiles(u8.modelJson, u8.weights, 'uint8'),
      /already quantized \(uint8\)/,
    );
    assert.throws(
      () => quantizeModelFiles(files.modelJson, files.weights.slice(4), 'uint8'),
      /ends before/,
    );
    const longer = new Uint8Array(files.weights.byteLength + 4);
    longer.set(new Uint8Array(files.weights));
    assert.throws(
      () => quantizeModelFiles(files.modelJson, longer.buffer, 'uint8'),
      /manifest describes/,
    );
  });
});

describe('the shipped models (build/models, from npm run build:models)', () => {
  const gaussian = { kind: 'gaussian', sigma: 0.3 } as const;
  for (const [name, limit, noise] of [
    ['ae-notebook', 0.0203, undefined], // the notebook's AE test MSE
    ['vae-notebook', 15.2, undefined], // the notebook's VAE loss (15.12) with the project's margin
    // The denoiser, on noisy digits against the clean ones: below the noisy input's 0.0466.
    ['dae-notebook', 0.03, gaussian],
  ] as const) {
    it(`${name}: quantized, a quarter of the bytes or less, its test score within ${SHIPPED_SCORE_TOLERANCE * 100} % of float32`, async () => {
      const built = new URL(`../../build/models/${name}/`, import.meta.url);
      const manifest = JSON.parse(
        await readFile(new URL('../manifest.json', built), 'utf8').catch(() => {
          throw new Error('build/models/ is missing: run `npm run build:models` first.');
        }),
      ) as { models: Record<string, { encoding: string }> };
      const shippedJson = JSON.parse(
        await readFile(new URL('model.json', built), 'utf8'),
      ) as tf.io.ModelJSON;
      const specs = shippedJson.weightsManifest.flatMap((g) => g.weights);
      assert.ok(specs.every((s) => s.quantization?.dtype === manifest.models[name].encoding));
      const shippedBytes = gunzipSync(await readFile(new URL('weights.bin.gz', built))).byteLength;
      const float32Bytes = (
        await readFile(new URL(`../../pretrained/${name}/weights.bin`, import.meta.url))
      ).byteLength;
      assert.ok(shippedBytes * 4 <= float32Bytes, `${shippedBytes} B against ${float32Bytes} B`);

      const view = viewOf(test);
      const shipped = await loadModelFiles(built.pathname);
      const float32 = await loadModelFiles(
        new URL(`../../pretrained/${name}/`, import.meta.url).pathname,
      );
      try {
        const a = meanLoss(float32, view, { seed: 1, noise });
        const b = meanLoss(shipped, view, { seed: 1, noise });
        const change = Math.abs(b - a) / a;
        assert.ok(change <= SHIPPED_SCORE_TOLERANCE, `${b} against ${a}: ${change}`);
        assert.ok(b <= limit, `shipped score ${b} above the notebook's ${limit}`);
        // Not the float32 weights under another name: quantizing moved the score.
        assert.notEqual(a, b);
        if (noise) {
          // A denoiser beats the noisy input and the plain shipped autoencoder on the same digits.
          const noisy = noisyMse(view, noise, { seed: 1 });
          const plain = await loadModelFiles(
            new URL('../../build/models/ae-notebook/', import.meta.url).pathname,
          );
          const plainScore = meanLoss(plain, view, { seed: 1, noise });
          plain.dispose();
          assert.ok(
            b < noisy && b < plainScore,
            `denoiser ${b}, noisy ${noisy}, plain AE ${plainScore}`,
          );
        }
      } finally {
        shipped.dispose();
        float32.dispose();
      }
    });
  }
});
