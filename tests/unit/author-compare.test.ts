import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as Comlink from 'comlink';
import { holdOut } from '../../src/core/data/images.ts';
import { tf } from '../../src/core/models/backend.ts';
import { heldOutMse, pca, projectImages } from '../../src/core/pca.ts';
import { runningTasks, type CompareProgress, type DataSource } from '../../src/worker/api.ts';
import { type AuthorSet, makeAuthorSet } from '../fixtures/author-set.ts';
import { type Fixture, exposeApi, isCode, startServer, turns } from './worker-fixture.ts';

/**
 * AE against PCA by latent size on an author's images (issue 13, part 3):
 * PCA fitted on the training part and scored on the held-out images, and
 * the worker's `compare` task on a generated 16 × 12 set of 1,000 images
 * (800 to train on, 200 held out).
 */
let set: AuthorSet;
let fixture: Fixture;
let api: ReturnType<typeof exposeApi>;
let trainKey: string;
let testKey: string;
let next = 70_000;
const tid = () => next++;

before(async () => {
  set = await makeAuthorSet(1000, 16, 12);
  fixture = await startServer();
  fixture.served.set('/mine/digits.gz', gzipSync(set.idx));
  api = exposeApi();
  await api.remote.backend(tid(), undefined);
  const source: DataSource = { images: `${fixture.base}/mine/digits.gz`, author: true };
  trainKey = (await api.remote.loadDataset(tid(), undefined, { ...source, heldOut: 'train' })).key;
  testKey = (await api.remote.loadDataset(tid(), undefined, { ...source, heldOut: 'test' })).key;
});

after(async () => {
  api.close();
  await fixture.close();
});

describe('core: PCA scored on images it was not fitted on', () => {
  test('heldOutMse is the MSE of projectImages at every k, and on the fitted images PCA’s own', async () => {
    const { train, test } = holdOut(set);
    const basis = await pca(
      { samples: train.count, features: 192, pixels: train.pixels },
      { components: 6, scoreDims: 0 },
    );
    const mse = await heldOutMse(basis, test.pixels);
    assert.equal(mse.length, 6);
    for (let k = 1; k <= 6; k++) {
      const { reconstructions } = projectImages(basis, test.pixels, k);
      let sum = 0;
      for (let i = 0; i < reconstructions.length; i++) {
        sum += (test.pixels[i] / 255 - reconstructions[i]) ** 2;
      }
      const direct = sum / reconstructions.length;
      assert.ok(
        Math.abs(mse[k - 1] - direct) < 1e-6,
        `k = ${k}: ${mse[k - 1]} against ${direct} from the reconstructions`,
      );
      if (k > 1) assert.ok(mse[k - 1] < mse[k - 2], `the error falls from k = ${k - 1} to ${k}`);
    }
    // On the images it was fitted on, it is the fit's own reconstruction error.
    const own = await heldOutMse(basis, train.pixels);
    for (let k = 0; k < 6; k++) {
      assert.ok(Math.abs(own[k] - basis.reconstructionMse[k]) < 1e-6, `k = ${k + 1}`);
    }
    // Held-out images are rebuilt worse than the fitted ones.
    assert.ok(mse[5] > own[5], `held out ${mse[5]}, fitted ${own[5]}`);
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(heldOutMse(basis, test.pixels, stop.signal), isCode('ABORTED'));
    await assert.rejects(heldOutMse(basis, new Uint8Array(100)), isCode('BAD_ARGUMENT'));
  });
});

describe("worker: AE against PCA on the author's images", () => {
  test('pcaTest fits on the training part and scores the held-out images', async () => {
    const mse = await api.remote.pcaTest(tid(), undefined, trainKey, testKey, 5);
    const { train, test } = holdOut(set);
    const basis = await pca(
      { samples: train.count, features: 192, pixels: train.pixels },
      { components: 5, scoreDims: 0 },
    );
    const expected = await heldOutMse(basis, test.pixels);
    assert.deepEqual(
      [...mse].map((v) => v.toFixed(7)),
      [...expected].map((v) => v.toFixed(7)),
    );
  });

  test('compare reports PCA, then each k once in order, and returns the rows it reported', async () => {
    const before = tf.memory().numTensors;
    const reports: CompareProgress[] = [];
    const out = await api.remote.compare(
      tid(),
      Comlink.proxy((p: CompareProgress) => void reports.push(p)),
      trainKey,
      testKey,
      { ks: [1, 3, 6], components: 6, epochs: 2 },
    );
    await turns(10);
    const order = reports
      .filter((p) => p.stage !== 'batch')
      .map((p) =>
        p.stage === 'pca'
          ? 'pca'
          : p.stage === 'row'
            ? `${p.row.k}:row`
            : p.stage === 'epoch'
              ? `${p.k}:epoch ${p.epoch}/${p.epochs}`
              : `${p.k}:${p.stage}`,
      );
    assert.deepEqual(order, [
      'pca',
      ...[1, 3, 6].flatMap((k) => [`${k}:start`, `${k}:epoch 1/2`, `${k}:epoch 2/2`, `${k}:row`]),
    ]);
    assert.deepEqual(
      out.rows.map((r) => r.k),
      [1, 3, 6],
    );
    const rowReports = reports.filter((p) => p.stage === 'row');
    assert.deepEqual(
      rowReports.map((p) => p.row),
      out.rows,
    );
    assert.deepEqual([out.fitCount, out.trainCount, out.testCount], [800, 800, 200]);
    // PCA's error is the held-out one at each k and falls with k.
    const pcaTest = await api.remote.pcaTest(tid(), undefined, trainKey, testKey, 6);
    assert.deepEqual([...out.pcaMse], [...pcaTest]);
    for (const row of out.rows) {
      assert.equal(row.pcaMse, pcaTest[row.k - 1]);
      assert.ok(Number.isFinite(row.aeMse) && row.aeMse > 0 && row.aeMse < 0.2, `${row.aeMse}`);
      assert.equal(row.epochs, 2);
    }
    assert.ok(out.rows[0].pcaMse > out.rows[1].pcaMse && out.rows[1].pcaMse > out.rows[2].pcaMse);
    // Training again with the same seed gives the same numbers; no model or tensor is left.
    const again = await api.remote.compare(tid(), undefined, trainKey, testKey, {
      ks: [3],
      components: 6,
      epochs: 2,
    });
    assert.equal(again.rows[0].aeMse, out.rows[1].aeMse);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(runningTasks(), []);
  });

  test('compare refuses latent sizes PCA cannot score, naming the valid ones', async () => {
    await assert.rejects(
      api.remote.compare(tid(), undefined, trainKey, testKey, {
        ks: [1],
        components: 6,
        preset: 'x',
      }),
      (e: unknown) => isCode('BAD_ARGUMENT')(e) && /quick, web, notebook/.test(String(e)),
    );
    for (const ks of [[], [0], [7], [2, 2], [11]]) {
      await assert.rejects(
        api.remote.compare(tid(), undefined, trainKey, testKey, { ks, components: 6 }),
        (e: unknown) => isCode('BAD_ARGUMENT')(e) && /latent size/.test(String(e)),
        JSON.stringify(ks),
      );
    }
  });

  test('compare stops mid-way when cancelled, with no row after the cancel', async () => {
    const before = tf.memory().numTensors;
    const id = tid();
    const reports: CompareProgress[] = [];
    const running = api.remote.compare(
      id,
      Comlink.proxy((p: CompareProgress) => {
        reports.push(p);
        if (p.stage === 'epoch' && p.k === 3) void api.remote.cancel(id);
      }),
      trainKey,
      testKey,
      { ks: [1, 3, 6], components: 6, epochs: 20 },
    );
    await assert.rejects(running, isCode('ABORTED'));
    await turns(10);
    const rows = reports.filter((p) => p.stage === 'row').map((p) => p.stage === 'row' && p.row.k);
    assert.deepEqual(rows, [1]);
    const epochs3 = reports.filter((p) => p.stage === 'epoch' && p.k === 3).length;
    assert.ok(epochs3 >= 1 && epochs3 < 20, `k = 3 stopped mid-way, after ${epochs3} epochs`);
    assert.ok(!reports.some((p) => p.stage === 'start' && p.k === 6), 'k = 6 never started');
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(runningTasks(), []);
  });
});
