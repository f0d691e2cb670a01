import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPool, type Pool } from '../../src/cli/pool.ts';
import { compareLatentSizes } from '../../src/core/compare.ts';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { type Run, type RunSpec, runAll, serialRunner } from '../../src/core/models/run.ts';

let data: { train: Dataset; test: Dataset };
let pool: Pool;

before(async () => {
  await initBackend();
  const [train, test] = await Promise.all([loadMnist('train'), loadMnist('test')]);
  data = { train, test };
  pool = startPool(data, { threads: 2 });
});

after(() => pool.close());

// Small real runs: the quick presets on 300 training images, scored on 500 test images.
const SMALL = { preset: 'quick', trainSize: 300, epochs: 2, testSize: 500, seed: 5 } as const;
const SPECS: RunSpec[] = [
  { kind: 'ae', ...SMALL, latent: 3 },
  { kind: 'vae', ...SMALL },
  { kind: 'ae', ...SMALL, latent: 2, model: { latentActivation: 'linear' } },
];

function weightsOf(run: Run): Float32Array[] {
  return run.model.model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function numbersOf(run: Run) {
  return {
    plan: run.plan,
    testScore: run.testScore,
    history: run.result.history,
    epochs: run.result.epochs,
    bestEpoch: run.result.bestEpoch,
  };
}

describe('training pool', () => {
  test('two threads give the serial run’s weights and numbers, bit for bit, in the specs’ order', async () => {
    const serial = await runAll(serialRunner(data), SPECS, () => ({}));
    const events: string[] = [];
    const pooled = await runAll(pool.run, SPECS, (i) => ({
      onStart: () => events.push(`start ${i}`),
      onEpoch: (p) => events.push(`epoch ${i}.${p.epoch}`),
    }));
    try {
      for (const [i, run] of pooled.entries()) {
        assert.equal(run.model.kind, SPECS[i].kind);
        assert.deepEqual(numbersOf(run), numbersOf(serial[i]));
        assert.deepEqual(weightsOf(run), weightsOf(serial[i]));
      }
      // Each job reports its start, then each epoch once, in order.
      for (const i of [0, 1, 2]) {
        assert.deepEqual(
          events.filter((e) => e.startsWith(`start ${i}`) || e.startsWith(`epoch ${i}.`)),
          [`start ${i}`, `epoch ${i}.1`, `epoch ${i}.2`],
        );
      }
    } finally {
      for (const run of [...serial, ...pooled]) run.model.dispose();
    }
  });

  test('compareLatentSizes over the pool gives the serial rows', async () => {
    const options = { ...SMALL, ks: [1, 4] };
    const strip = (rows: { trainSeconds: number }[]) =>
      rows.map(({ trainSeconds: _t, ...row }) => row);
    const baseline = tf.memory().numTensors;
    const serial = await compareLatentSizes(data, options);
    const pooled = await compareLatentSizes(data, options, { runner: pool.run });
    assert.deepEqual(strip(pooled.rows), strip(serial.rows));
    assert.equal(tf.memory().numTensors, baseline);
  });

  test('a cancel rejects every job with ABORTED, running or queued, and the pool trains on', async () => {
    const stop = new AbortController();
    const started: number[] = [];
    const specs: RunSpec[] = [0, 1, 2].map((i) => ({
      kind: 'ae',
      ...SMALL,
      epochs: 50,
      latent: i + 1,
    }));
    const all = runAll(
      pool.run,
      specs,
      (i) => ({
        onStart: () => {
          started.push(i);
          stop.abort();
        },
      }),
      stop.signal,
    );
    await assert.rejects(all, (e: unknown) => e instanceof AeError && e.code === 'ABORTED');
    assert.ok(started.length >= 1);
    const run = await pool.run(SPECS[0]);
    assert.equal(run.plan.trainCount, 300);
    run.model.dispose();
  });

  test('a failing spec rejects with its own error and cancels the others', async () => {
    const bad: RunSpec = { kind: 'ae', ...SMALL, preset: 'huge' };
    await assert.rejects(
      runAll(pool.run, [SPECS[0], bad, SPECS[1]], () => ({})),
      (e: unknown) =>
        e instanceof AeError &&
        e.code === 'BAD_ARGUMENT' &&
        /Unknown ae preset "huge"/.test(e.message),
    );
  });
});
