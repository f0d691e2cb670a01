import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as Comlink from 'comlink';
import { tf } from '../../src/core/models/backend.ts';
import { shapePoints } from '../../src/core/models/plane-curve.ts';
import { runningTasks, type PlaneCurveProgress, type WorkerApi } from '../../src/worker/api.ts';
import { exposeApi, isCode, turns } from './worker-fixture.ts';

/** Mean squared error per coordinate. */
function mse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/**
 * The worker's planeCurve task over Comlink, as the page calls it: the points
 * and both reconstructions cross as Float32Arrays, the figures agree with
 * them, progress comes per epoch in order, and bad choices are refused in words.
 */
describe('worker task planeCurve', () => {
  let remote: Comlink.Remote<WorkerApi>;
  let close: () => void;
  let nextTask = 1;
  let baseline: number;

  before(async () => {
    ({ remote, close } = exposeApi());
    await remote.backend(nextTask++, undefined);
    baseline = tf.memory().numTensors;
  });

  after(() => close());

  for (const [shape, latent] of [
    ['curve', 1],
    ['plane', 2],
  ] as const) {
    test(`${shape}, latent size ${latent}: the points, both reconstructions and their errors`, async () => {
      const reports: PlaneCurveProgress[] = [];
      const out = await remote.planeCurve(
        nextTask++,
        Comlink.proxy((p: PlaneCurveProgress) => void reports.push(p)),
        shape,
        latent,
        1,
      );
      await turns(10);
      assert.equal(out.shape, shape);
      assert.equal(out.latent, latent);
      assert.equal(out.count, 2000);
      // The worker's points are the seeded set the core makes.
      assert.deepEqual(out.points, shapePoints(shape, { seed: 1 }));
      for (const a of [out.points, out.pcaReconstruction, out.aeReconstruction]) {
        assert.ok(a instanceof Float32Array);
        assert.equal(a.length, 6000);
      }
      // Each error is the one of the reconstruction that came with it.
      assert.ok(Math.abs(mse(out.points, out.pcaReconstruction) - out.pcaMse) < 1e-6 * out.pcaMse);
      assert.ok(Math.abs(mse(out.points, out.aeReconstruction) - out.aeMse) < 1e-6 * out.aeMse);
      if (shape === 'curve') {
        assert.ok(out.aeMse < out.pcaMse / 5, `curve: AE ${out.aeMse}, PCA ${out.pcaMse}`);
      } else {
        assert.ok(out.aeMse <= 1.1 * out.pcaMse, `plane: AE ${out.aeMse}, PCA ${out.pcaMse}`);
      }
      assert.ok(out.pcaMs >= 0 && out.aeMs > 0 && out.aeEpochs === 100);
      // Throttled epochs, in order, the last one always among them.
      assert.ok(reports.length >= 2, `${reports.length} reports`);
      const epochs = reports.map((r) => r.epoch);
      assert.deepEqual(
        epochs,
        [...epochs].sort((a, b) => a - b),
      );
      assert.equal(new Set(epochs).size, epochs.length);
      assert.deepEqual(reports.at(-1), {
        ...reports.at(-1)!,
        epoch: 100,
        epochs: 100,
        fraction: 1,
      });
      assert.ok(reports.every((r) => r.stage === 'epoch' && Number.isFinite(r.loss)));
      assert.deepEqual(runningTasks(), []);
      assert.equal(tf.memory().numTensors, baseline);
    });
  }

  test('a shape, latent size or seed it does not offer is refused, naming the valid ones', async () => {
    const cases: [string, number, number, RegExp][] = [
      ['sphere', 1, 1, /"plane" or "curve"/],
      ['curve', 3, 1, /latent size 3 is not offered; use 1 or 2/],
      ['plane', 2, -1, /seed must be a whole number/],
    ];
    for (const [shape, latent, seed, words] of cases) {
      await assert.rejects(
        remote.planeCurve(nextTask++, undefined, shape as 'plane', latent, seed),
        (e: unknown) => isCode('BAD_ARGUMENT')(e) && words.test((e as Error).message),
      );
    }
    assert.deepEqual(runningTasks(), []);
  });
});
