import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { deriveSeed, viewOf } from '../../src/core/models/batches.ts';
import { evaluate, noisyMse, reconstructionMse } from '../../src/core/models/inference.ts';
import { corrupt, formatNoise, parseNoise } from '../../src/core/models/noise.ts';
import { type RunSpec, runPreset } from '../../src/core/models/run.ts';

let train: Dataset;
let test: Dataset;

before(async () => {
  await initBackend();
  [train, test] = await Promise.all([loadMnist('train'), loadMnist('test')]);
});

const isBadArgument = (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT';

describe('parseNoise', () => {
  it('reads gaussian:SIGMA and mask:FRACTION and writes them back', () => {
    assert.deepEqual(parseNoise('gaussian:0.3'), { kind: 'gaussian', sigma: 0.3 });
    assert.deepEqual(parseNoise(' Mask:.25 '), { kind: 'mask', fraction: 0.25 });
    assert.equal(formatNoise(parseNoise('gaussian:1')), 'gaussian:1');
    assert.equal(formatNoise({ kind: 'mask', fraction: 0.5 }), 'mask:0.5');
  });
  it('refuses other forms and levels out of range', () => {
    for (const text of [
      '',
      'gaussian',
      'gaussian:',
      'blur:0.3',
      'gaussian:-0.1',
      'gaussian:0',
      'gaussian:1.5',
      'mask:0',
      'mask:1',
      'mask:abc',
    ]) {
      assert.throws(() => parseNoise(text), isBadArgument, text);
    }
  });
});

describe('corrupt', () => {
  it('is seeded, clipped to 0..1, and has the asked-for strength', () => {
    const x = tf.fill([100, 784], 0.5) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const a = corrupt(x, { kind: 'gaussian', sigma: 0.1 }, 7);
    const b = corrupt(x, { kind: 'gaussian', sigma: 0.1 }, 7);
    const c = corrupt(x, { kind: 'gaussian', sigma: 0.1 }, 8);
    const va = a.dataSync() as Float32Array;
    assert.deepEqual(va, b.dataSync());
    assert.notDeepEqual(va, c.dataSync());
    // σ = 0.1 around 0.5 is clipped less than once in 10⁶: the spread is σ's.
    const mean = va.reduce((s, v) => s + v, 0) / va.length;
    const sd = Math.sqrt(va.reduce((s, v) => s + (v - mean) ** 2, 0) / va.length);
    assert.ok(Math.abs(mean - 0.5) < 0.002, `mean ${mean}`);
    assert.ok(Math.abs(sd - 0.1) < 0.002, `sd ${sd}`);
    const wideT = corrupt(x, { kind: 'gaussian', sigma: 1 }, 7);
    const wide = wideT.dataSync();
    assert.ok(wide.every((v) => v >= 0 && v <= 1));
    assert.ok(wide.some((v) => v === 0) && wide.some((v) => v === 1));
    const maskedT = corrupt(x, { kind: 'mask', fraction: 0.3 }, 7);
    const masked = maskedT.dataSync();
    const zeros = masked.filter((v) => v === 0).length / masked.length;
    assert.ok(Math.abs(zeros - 0.3) < 0.01, `zeroed ${zeros}`);
    const kept = masked.filter((v) => v !== 0);
    assert.ok(
      kept.every((v) => v === 0.5),
      `kept pixels keep their value: ${kept.find((v) => v !== 0.5)}`,
    );
    // Each call leaves exactly the tensor it returns.
    assert.equal(tf.memory().numTensors, before + 5);
    for (const t of [a, b, c, wideT, maskedT]) t.dispose();
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});

describe('a denoising autoencoder', () => {
  const noise = { kind: 'gaussian', sigma: 0.3 } as const;
  const spec: RunSpec = {
    kind: 'ae',
    preset: 'quick',
    epochs: 6,
    trainSize: 6000,
    testSize: 2000,
    seed: 3,
  };

  it('beats the plain autoencoder on noisy inputs, and its scores agree with one another', async () => {
    const data = { train, test };
    const denoiser = await runPreset({ ...spec, denoise: noise }, data);
    const plain = await runPreset(spec, data);
    try {
      const view = viewOf(test, 0, 2000);
      // The run's test score is the loss on noisy inputs against clean targets: for an MSE
      // autoencoder, the per-pixel MSE of the denoised images, with the same noise. The two
      // sum in float32 in different orders (per row, then rows; or all 1.6 M values at once).
      const denoised = reconstructionMse(denoiser.model, view, { noise, seed: 3 });
      assert.ok(
        Math.abs(denoiser.testScore - denoised) / denoised < 1e-3,
        `test score ${denoiser.testScore} against the denoised MSE ${denoised}`,
      );
      assert.equal(denoiser.testScore, evaluate(denoiser.model, view, { noise, seed: 3 }));
      assert.equal(denoiser.noisyMse, noisyMse(view, noise, { seed: 3 }));
      assert.equal(plain.noisyMse, undefined);
      const plainOnNoisy = reconstructionMse(plain.model, view, { noise, seed: 3 });
      assert.ok(
        denoiser.testScore < denoiser.noisyMse!,
        `denoised ${denoiser.testScore} against the noisy input's ${denoiser.noisyMse}`,
      );
      assert.ok(
        denoiser.testScore < plainOnNoisy,
        `denoiser ${denoiser.testScore} against the plain AE's ${plainOnNoisy} on the same noisy digits`,
      );
      // The noise the figures use is the noise noisyMse measured: batch b gets deriveSeed(seed, 9, b).
      const x = tf.tensor2d(
        Float32Array.from(test.pixels.subarray(0, 1000 * 784), (v) => v / 255),
        [1000, 784],
      );
      const noisy = corrupt(x, noise, deriveSeed(3, 9, 0));
      const first = tf.mean(tf.squaredDifference(noisy, x)).dataSync()[0];
      const alone = noisyMse(viewOf(test, 0, 1000), noise, { seed: 3 });
      assert.ok(Math.abs(first - alone) < 1e-6, `${first} vs ${alone}`);
      for (const t of [x, noisy]) t.dispose();
    } finally {
      denoiser.model.dispose();
      plain.model.dispose();
    }
  });
});
