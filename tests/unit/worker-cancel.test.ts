import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as Comlink from 'comlink';
import { tf } from '../../src/core/models/backend.ts';
import { runningTasks, type WorkerApi } from '../../src/worker/api.ts';
import { TASK_NAMES } from '../../src/worker/bridge.ts';
import {
  datasetKey,
  exposeApi,
  type Fixture,
  isCode,
  startServer,
  tensorsMade,
  turns,
  until,
} from './worker-fixture.ts';

type TaskName = (typeof TASK_NAMES)[number];

/** What a task reports, as far as these tests look at it. */
interface Report {
  stage?: string;
  fraction?: number;
  batch?: number;
  batches?: number;
  epoch?: number;
}

/**
 * Every task method of the worker, cancelled mid-way through real work: it
 * must reject with ABORTED, leave no task registered and no tensor behind,
 * leave the worker free, and have stopped (fewer tensors made than a whole run
 * makes; no final report). Tasks that finish within one turn of the worker's
 * event loop here (backend once TF.js runs, storedModel, saveModel and
 * exportModel) cannot be caught mid-way: tests/unit/bridge.test.ts cancels
 * them before they start.
 */
describe('every worker task stops in the worker when cancelled mid-way', () => {
  let fixture: Fixture;
  let remote: Comlink.Remote<WorkerApi>;
  let close: () => void;
  let testKey: string;
  let trainKey: string;
  let ae: string;
  let vae: string;
  let allPixels: Uint8Array;
  let allCodes: Float32Array;
  let baseline: number;
  let nextTask = 1;
  const all = Array.from({ length: 10_000 }, (_, i) => i);

  before(async () => {
    fixture = await startServer();
    ({ remote, close } = exposeApi());
    const { base } = fixture;
    testKey = (
      await remote.loadDataset(nextTask++, undefined, {
        images: `${base}/images.gz`,
        labels: `${base}/labels`,
      })
    ).key;
    trainKey = (
      await remote.loadDataset(nextTask++, undefined, {
        images: `${base}/train-images`,
        labels: `${base}/train-labels`,
      })
    ).key;
    await remote.pca(nextTask++, undefined, testKey, { components: 10 });
    ae = (await remote.loadModel(nextTask++, undefined, { url: `${base}/ae/model.json` })).modelId;
    vae = (await remote.loadModel(nextTask++, undefined, { url: `${base}/vae/model.json` }))
      .modelId;
    allPixels = await remote.images(nextTask++, undefined, testKey, all);
    allCodes = (await remote.encode(nextTask++, undefined, ae, testKey)).codes;
    baseline = tf.memory().numTensors;
  });

  after(async () => {
    close();
    await fixture.close();
  });

  /** The checks every cancelled task must pass. */
  async function assertStopped(running: Promise<unknown>, what: string): Promise<void> {
    await assert.rejects(running, isCode('ABORTED'), what);
    assert.deepEqual(runningTasks(), [], `${what}: the task registry`);
    assert.equal(tf.memory().numTensors, baseline, `${what}: tensors`);
    // Free: a small call answers, and nothing of the cancelled work goes on meanwhile.
    const made = tensorsMade();
    assert.equal((await remote.image(nextTask++, undefined, testKey, 0)).length, 784);
    await turns(10);
    assert.equal(tensorsMade(), made + 1, `${what}: work after the cancel`);
  }

  /** Starts a task and cancels it on its first progress report. */
  async function cancelOnFirstReport(
    start: (taskId: number, onProgress: (p: Report) => void) => Promise<unknown>,
  ): Promise<Report[]> {
    const id = nextTask++;
    const reports: Report[] = [];
    const running = start(
      id,
      Comlink.proxy((p: Report) => {
        if (reports.push(p) === 1) void remote.cancel(id);
      }),
    );
    await assertStopped(running, `task ${id}`);
    // Reports already on their way may still land.
    await turns(10);
    return reports;
  }

  /** Batched inference: each step reports, so the first report is after the first batch. */
  const inference: Partial<
    Record<
      TaskName,
      (taskId: number, onProgress: ((p: Report) => void) | undefined) => Promise<unknown>
    >
  > = {
    encode: (id, p) => remote.encode(id, p, ae, testKey),
    reconstruct: (id, p) => remote.reconstruct(id, p, ae, testKey, all),
    encodePixels: (id, p) => remote.encodePixels(id, p, ae, allPixels),
    reconstructPixels: (id, p) => remote.reconstructPixels(id, p, vae, allPixels),
    decode: (id, p) => remote.decode(id, p, ae, allCodes),
    sample: (id, p) => remote.sample(id, p, vae, 10_000, 3),
    evaluate: (id, p) => remote.evaluate(id, p, vae, testKey),
    mse: (id, p) => remote.mse(id, p, ae, testKey),
    denoise: (id, p) =>
      remote.denoise(id, p, { dae: ae, ae }, testKey, {
        noise: { kind: 'gaussian', sigma: 0.3 },
        pcaKey: testKey,
        k: 10,
      }),
  };

  const STAGE: Record<string, string> = {
    encode: 'encode',
    encodePixels: 'encode',
    reconstruct: 'reconstruct',
    reconstructPixels: 'reconstruct',
    decode: 'decode',
    sample: 'sample',
    evaluate: 'evaluate',
    mse: 'mse',
    denoise: 'denoise',
  };

  for (const [name, start] of Object.entries(inference)) {
    test(`${name} of 10,000 stops after a few of its batches`, async () => {
      const before = tensorsMade();
      const whole: Report[] = [];
      await start(
        nextTask++,
        Comlink.proxy((p: Report) => void whole.push(p)),
      );
      const wholeMade = tensorsMade() - before - 1;
      await until(() => whole.at(-1)?.fraction === 1, 'the last report of the whole run');
      const batches = whole.at(-1)!.batches!;
      assert.ok(batches >= 10, `${name}: ${batches} batches, at least 10 checkpoints`);
      assert.equal(whole.at(-1)!.stage, STAGE[name]);

      const start0 = tensorsMade();
      const reports = await cancelOnFirstReport(start);
      const made = tensorsMade() - start0;
      assert.equal(reports[0].batch, 1);
      assert.ok(
        reports.every((p) => p.fraction! < 1),
        `${name} reported its end: ${JSON.stringify(reports.at(-1))}`,
      );
      assert.ok(made < wholeMade / 2, `${name} made ${made} tensors; a whole run ${wholeMade}`);
    });
  }

  test('loadDataset stops its download', async () => {
    const source = { images: `${fixture.base}/slow/images.gz`, labels: `${fixture.base}/labels` };
    const reports = await cancelOnFirstReport((id, p) => remote.loadDataset(id, p, source));
    assert.equal(reports[0].stage, 'download');
    await until(() => fixture.slowDropped.includes('/slow/images.gz'), 'the download to stop');
    // Forgotten: asking again starts afresh (and is cancelled again here).
    fixture.slowDropped.length = 0;
    await cancelOnFirstReport((id, p) => remote.loadDataset(id, p, source));
    await until(() => fixture.slowDropped.includes('/slow/images.gz'), 'the second download');
  });

  test('image, images, nearest and pcaImages stop waiting for a dataset still downloading', async () => {
    const source = { images: `${fixture.base}/slow/images.gz`, labels: `${fixture.base}/labels` };
    const key = datasetKey(source);
    fixture.slowDropped.length = 0;
    const loading = nextTask++;
    const load = remote.loadDataset(loading, undefined, source);
    await until(() => fixture.slowOpen.has('/slow/images.gz'), 'the download to start');
    const waiting: [string, (id: number) => Promise<unknown>][] = [
      ['image', (id) => remote.image(id, undefined, key, 0)],
      ['images', (id) => remote.images(id, undefined, key, [0, 1])],
      ['nearest', (id) => remote.nearest(id, undefined, key, new Float32Array(784))],
      ['pcaImages', (id) => remote.pcaImages(id, undefined, key, { indices: [0] }, 2)],
    ];
    for (const [name, start] of waiting) {
      const id = nextTask++;
      const running = start(id);
      await turns();
      assert.ok(runningTasks().includes(id), `${name} waits`);
      await remote.cancel(id);
      await assert.rejects(running, isCode('ABORTED'), name);
      assert.deepEqual(runningTasks(), [loading], `${name}: only the download is left`);
    }
    // The download they waited for went on for its own caller.
    assert.deepEqual(fixture.slowDropped, []);
    await remote.cancel(loading);
    await assertStopped(load, 'the download');
  });

  test('pca stops between its stages', async () => {
    const reports = await cancelOnFirstReport((id, p) =>
      remote.pca(id, p, testKey, { components: 7 }),
    );
    assert.ok(!reports.some((p) => p.stage === 'projection' && p.fraction === 1));
  });

  test('train stops mid-epoch', async () => {
    const id = nextTask++;
    const reports: Report[] = [];
    const running = remote.train(
      id,
      Comlink.proxy((p: Report) => {
        reports.push(p);
        if (p.stage === 'batch' && reports.filter((r) => r.stage === 'batch').length === 1) {
          void remote.cancel(id);
        }
      }),
      { kind: 'ae', preset: 'quick', epochs: 3, trainSize: 1000, testSize: 500 },
      { trainKey, testKey },
    );
    await assertStopped(running, 'train');
    assert.equal(reports[0].stage, 'plan');
    assert.ok(!reports.some((p) => p.stage === 'evaluate'), 'it never got to scoring');
    assert.ok(reports.filter((p) => p.stage === 'epoch').length < 3);
  });

  test('planeCurve stops its autoencoder between epochs', async () => {
    const start = (id: number, p: ((r: Report) => void) | undefined) =>
      remote.planeCurve(id, p, 'curve', 1, 1);
    const before = tensorsMade();
    const whole = await start(nextTask++, undefined);
    const wholeMade = tensorsMade() - before - 1;
    assert.equal(whole.aeEpochs, 100);

    const start0 = tensorsMade();
    const reports = await cancelOnFirstReport(start);
    const made = tensorsMade() - start0;
    assert.equal(reports[0].stage, 'epoch');
    assert.equal(reports[0].epoch, 1);
    assert.ok(
      reports.every((p) => p.fraction! < 1),
      `it trained to the end: ${JSON.stringify(reports.at(-1))}`,
    );
    assert.ok(made < wholeMade / 2, `planeCurve made ${made} tensors; a whole run ${wholeMade}`);
  });

  test('pcaTest stops while it fits', async () => {
    const reports = await cancelOnFirstReport((id, p) =>
      remote.pcaTest(id, p, trainKey, testKey, 9),
    );
    assert.ok(!reports.some((p) => p.stage === 'projection' && p.fraction === 1));
  });

  test('compare stops its autoencoder mid-epoch and scores nothing', async () => {
    const id = nextTask++;
    const reports: Report[] = [];
    const running = remote.compare(
      id,
      Comlink.proxy((p: Report) => {
        reports.push(p);
        if (p.stage === 'batch' && reports.filter((r) => r.stage === 'batch').length === 1) {
          void remote.cancel(id);
        }
      }),
      trainKey,
      testKey,
      { ks: [2, 4], components: 10, epochs: 3 },
    );
    await assertStopped(running, 'compare');
    assert.deepEqual(
      reports.slice(0, 2).map((p) => p.stage),
      ['pca', 'start'],
    );
    assert.ok(!reports.some((p) => p.stage === 'row'), 'no autoencoder was scored');
    assert.ok(reports.filter((p) => p.stage === 'epoch').length < 3);
  });

  test('loadModel stops downloading the weights and keeps no model', async () => {
    const id = nextTask++;
    const running = remote.loadModel(id, undefined, {
      url: `${fixture.base}/ae/model.json`,
      weightsUrl: `${fixture.base}/slow/ae/weights.bin`,
    });
    await until(() => fixture.slowOpen.has('/slow/ae/weights.bin'), 'the weights download');
    await remote.cancel(id);
    await assertStopped(running, 'loadModel');
    await until(() => fixture.slowDropped.includes('/slow/ae/weights.bin'), 'the download to stop');
  });

  test('every task of the bridge is covered here or cancelled before it starts', () => {
    const midway = [
      ...Object.keys(inference),
      'loadDataset',
      'image',
      'images',
      'nearest',
      'pcaImages',
      'pca',
      'train',
      'loadModel',
      'planeCurve',
      'pcaTest',
      'compare',
    ];
    const quick = ['backend', 'centreDrawing', 'storedModel', 'saveModel', 'exportModel'];
    assert.deepEqual([...midway, ...quick].sort(), [...TASK_NAMES].sort());
  });
});
