import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  type CompareOptions,
  type CompareRow,
  compareLatentSizes,
  countDeadUnits,
} from '../../src/core/compare.ts';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { pca } from '../../src/core/pca.ts';

let data: { train: Dataset; test: Dataset };

before(async () => {
  await initBackend();
  const [train, test] = await Promise.all([loadMnist('train'), loadMnist('test')]);
  data = { train, test };
});

// Small real runs: the quick preset's architecture on 300 training images for one epoch,
// both methods scored on the first 500 test images. About a second per latent size here.
const SMALL = { preset: 'quick', trainSize: 300, epochs: 1, testSize: 500 } as const;

const isBadArgument = (pattern: RegExp) => (e: unknown) =>
  e instanceof AeError && e.code === 'BAD_ARGUMENT' && pattern.test(e.message);

describe('countDeadUnits', () => {
  test('counts the columns that are zero in every row', () => {
    // 3 images × 4 units: unit 1 never fires, unit 3 fires once.
    const codes = Float32Array.of(0.5, 0, 1, 0, 0, 0, 2, 0, 0.1, 0, 0, 3);
    assert.equal(countDeadUnits(codes, 4), 1);
    assert.equal(countDeadUnits(new Float32Array(6), 3), 3);
    assert.equal(countDeadUnits(Float32Array.of(-1, 1), 2), 0);
  });
});

describe('compareLatentSizes', () => {
  test('relu bottleneck: PCA and AE on the same test images, rows sorted by k, no leaks', async () => {
    const baseline = tf.memory().numTensors;
    const started: [number, number, number][] = [];
    const streamed: CompareRow[] = [];
    let epochs = 0;
    const result = await compareLatentSizes(
      data,
      { ...SMALL, ks: [3, 1], seed: 7 },
      {
        onAeStart: (k, index, total) => started.push([k, index, total]),
        onEpoch: () => epochs++,
        onRow: (row) => streamed.push(row),
      },
    );
    assert.equal(tf.memory().numTensors, baseline);

    assert.deepEqual(
      result.rows.map((r) => r.k),
      [1, 3],
    );
    assert.deepEqual(started, [
      [1, 0, 2],
      [3, 1, 2],
    ]);
    assert.deepEqual(streamed, result.rows);
    assert.equal(epochs, 2);
    assert.equal(result.preset, 'quick');
    assert.equal(result.bottleneck, 'relu');
    assert.equal(result.seed, 7);
    assert.equal(result.testCount, 500);
    assert.equal(result.trainCount, 300);
    // The quick preset validates on the first 1,000 test images.
    assert.equal(result.validationCount, 1000);

    // PCA fitted and scored on the same 500 test images, with max(ks) components.
    const test = data.test;
    const reference = await pca(
      { samples: 500, features: 784, pixels: test.pixels.subarray(0, 500 * 784) },
      { components: 3 },
    );
    for (const row of result.rows) {
      assert.ok(
        Math.abs(row.pcaMse - reference.reconstructionMse[row.k - 1]) <= 1e-12,
        `k=${row.k}: ${row.pcaMse} vs ${reference.reconstructionMse[row.k - 1]}`,
      );
      assert.ok(Number.isInteger(row.deadUnits) && row.deadUnits >= 0, `${row.deadUnits}`);
      assert.ok(row.deadUnits <= row.k, `k=${row.k}: ${row.deadUnits} dead`);
      assert.equal(row.epochs, 1);
      assert.equal(row.bestEpoch, 1);
      assert.ok(row.trainSeconds > 0);
      // An untrained sigmoid decoder gives MSE ≈ 0.23; five batches barely move it.
      assert.ok(row.aeMse > 0 && row.aeMse < 0.25, `k=${row.k}: AE MSE ${row.aeMse}`);
      if (row.deadUnits === row.k) {
        // No unit fires, so the decoder gives one image for every input: its MSE is at least
        // the pixel variance, PCA's error with 0 components, which bounds PCA's at any k.
        assert.ok(row.aeMse >= row.pcaMse, `k=${row.k}: ${row.aeMse} < ${row.pcaMse}`);
      }
    }
    // Stored values for the first 500 test images (this PCA, power iteration to 1e-9).
    assert.ok(Math.abs(result.rows[0].pcaMse - 0.0562707) < 1e-6, `${result.rows[0].pcaMse}`);
    assert.ok(Math.abs(result.rows[1].pcaMse - 0.047553) < 1e-6, `${result.rows[1].pcaMse}`);
  });

  test('a linear bottleneck has no dead units', async () => {
    const baseline = tf.memory().numTensors;
    const result = await compareLatentSizes(data, { ...SMALL, ks: [4], bottleneck: 'linear' });
    assert.equal(tf.memory().numTensors, baseline);
    assert.equal(result.bottleneck, 'linear');
    assert.equal(result.rows.length, 1);
    assert.equal(result.rows[0].deadUnits, 0);
    assert.ok(result.rows[0].aeMse > 0 && result.rows[0].aeMse < 0.25);
  });

  const bad: [Partial<CompareOptions>, RegExp][] = [
    [{ ks: [] }, /at least one latent size from 1 to 10/],
    [{ ks: [0] }, /whole numbers from 1 to 10, not 0/],
    [{ ks: [11] }, /whole numbers from 1 to 10, not 11/],
    [{ ks: [2.5] }, /whole numbers from 1 to 10, not 2\.5/],
    [{ ks: [3, 5, 3] }, /Latent size 3 is listed twice/],
    [{ ks: [2], preset: 'huge' }, /Unknown ae preset "huge"; use one of: notebook, quick, web/],
    [{ ks: [2], bottleneck: 'tanh' as 'relu' }, /must be relu or linear, not "tanh"/],
    [{ ks: [2], seed: -1 }, /seed must be a whole number from 0/],
    [{ ks: [2], epochs: 0 }, /epochs must be a whole number from 1 to 1000/],
    [{ ks: [2], trainSize: 0 }, /trainSize must be a whole number ≥ 1 or null/],
    [{ ks: [2], testSize: 10001 }, /testSize must be a whole number from 1 to 10000/],
  ];
  for (const [options, pattern] of bad) {
    test(`rejects ${JSON.stringify(options)} before any work`, async () => {
      let stages = 0;
      await assert.rejects(
        compareLatentSizes(data, { ...SMALL, ks: [], ...options }, { onStage: () => stages++ }),
        isBadArgument(pattern),
      );
      assert.equal(stages, 0);
    });
  }

  test('aborting stops the run between and during trainings, without leaks', async () => {
    const baseline = tf.memory().numTensors;
    const aborted = (e: unknown) => e instanceof AeError && e.code === 'ABORTED';

    const early = new AbortController();
    early.abort();
    await assert.rejects(
      compareLatentSizes(data, { ...SMALL, ks: [2] }, { signal: early.signal }),
      aborted,
    );

    // Cancelled during the second training: the first finishes, the second never does,
    // and no rows arrive (they come once every autoencoder is done).
    const controller = new AbortController();
    const rows: CompareRow[] = [];
    const done: number[] = [];
    await assert.rejects(
      compareLatentSizes(
        data,
        { ...SMALL, ks: [1, 2] },
        {
          signal: controller.signal,
          onAeStart: (_k, index) => {
            if (index === 1) controller.abort();
          },
          onAeDone: (k) => done.push(k),
          onRow: (row) => rows.push(row),
        },
      ),
      aborted,
    );
    assert.deepEqual(done, [1]);
    assert.deepEqual(rows, []);
    assert.equal(tf.memory().numTensors, baseline);
  });
});
