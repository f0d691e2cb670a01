import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as Comlink from 'comlink';
import { encodeIdxImages, encodeIdxLabels } from '../../src/core/data/idx.ts';
import { loadMnist, mnistFiles } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { tf } from '../../src/core/models/backend.ts';
import {
  api,
  type TaskProgress,
  type TrainProgress,
  type WorkerApi,
} from '../../src/worker/api.ts';

const isCode = (code: string) => (error: unknown) =>
  error instanceof AeError && error.code === code;

/** Ids for the tasks a test does not name: on the wire every task method is (taskId, onProgress, ...args). */
let spareTask = 10_000;
const tid = () => spareTask++;

/** Resolves once `condition()` holds, checking every 10 ms; fails after `ms`. */
async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The worker's API, exposed with Comlink over a MessageChannel exactly as the
 * worker does, and driven from the "page" side of the channel.
 */
describe('worker API over Comlink', () => {
  let server: Server;
  let base: string;
  let channel: MessageChannel;
  let remote: Comlink.Remote<WorkerApi>;
  /** Further files the server answers with, by path (the training subset, saved models). */
  const served = new Map<string, Uint8Array>();

  before(async () => {
    const files = mnistFiles('test');
    const images = gzipSync(await readFile(files.images));
    const labels = await readFile(files.labels);
    // A few hundred real training digits, enough for a run of a second or two.
    const train = await loadMnist('train');
    served.set('/train-images', encodeIdxImages(train, 1000));
    served.set('/train-labels', encodeIdxLabels(train.labels, 1000));
    server = createServer((req, res) => {
      if (req.url === '/images.gz') return res.end(images);
      if (req.url === '/labels') return res.end(labels);
      if (req.url === '/corrupt') return res.end(Buffer.from([0, 0, 8, 1, 0, 0, 0, 5]));
      const file = served.get(req.url ?? '');
      if (file) return res.end(file);
      res.statusCode = 404;
      res.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    channel = new MessageChannel();
    Comlink.expose(api, channel.port1);
    remote = Comlink.wrap<WorkerApi>(channel.port2);
  });

  after(() => {
    remote[Comlink.releaseProxy]();
    channel.port1.close();
    channel.port2.close();
    server.close();
  });

  test('loads gzip and plain idx, reports progress, runs PCA and serves digits', async () => {
    const seen: TaskProgress[] = [];
    const progress = Comlink.proxy((p: TaskProgress) => void seen.push(p));
    const source = { images: `${base}/images.gz`, labels: `${base}/labels` };
    const data = await remote.loadDataset(1, progress, source);
    assert.equal(data.count, 10_000);
    assert.equal(data.rows * data.cols, 784);
    assert.equal(data.labels?.length, 10_000);
    assert.equal(data.labels?.[0], 7);
    assert.ok(seen.some((p) => p.stage === 'download' && p.fraction === 1));

    const stages = new Set<string>();
    const result = await remote.pca(
      2,
      Comlink.proxy((p: TaskProgress) => void stages.add(p.stage)),
      data.key,
      { components: 10 },
    );
    assert.equal(result.componentsFor90, 84);
    assert.ok(Math.abs(result.cumulativeVariance[83] - 0.900716) < 1e-5);
    assert.ok(Math.abs(result.reconstructionMse[9] - 0.0339026) < 1e-6);
    assert.equal(result.scores.length, 2 * 10_000);
    assert.deepEqual([...stages].sort(), ['eigenvectors', 'gram', 'projection', 'spectrum']);

    // A second element asking for the same analysis gets the memoised result.
    const again = await remote.pca(3, undefined, data.key, { components: 10 });
    assert.deepEqual(again.reconstructionMse, result.reconstructionMse);

    const pixels = await remote.image(tid(), undefined, data.key, 0);
    assert.equal(pixels.length, 784);
    const original = await readFile(mnistFiles('test').images);
    assert.deepEqual([...pixels], [...original.subarray(16, 16 + 784)]);

    // New images go through the same basis: digit 0's bytes land on digit 0's scores.
    const byIndex = await remote.pcaImages(tid(), undefined, data.key, { indices: [0, 1] }, 2);
    const byPixels = await remote.pcaImages(tid(), undefined, data.key, pixels, 10);
    for (let c = 0; c < 2; c++) {
      assert.ok(Math.abs(byIndex.scores[c] - result.scores[c]) < 1e-4);
      assert.ok(Math.abs(byIndex.scores[2 + c] - result.scores[2 + c]) < 1e-4);
      assert.ok(Math.abs(byPixels.scores[c] - result.scores[c]) < 1e-4);
    }
    assert.equal(byPixels.scores.length, 10);
    assert.equal(byPixels.reconstructions.length, 784);
    // Ten components rebuild digit 0 better than two, and close to the average error.
    const sq = (rec: Float32Array) =>
      rec.reduce((s, v, p) => s + (v - pixels[p] / 255) ** 2, 0) / 784;
    const e2 = sq(byIndex.reconstructions.subarray(0, 784));
    const e10 = sq(byPixels.reconstructions);
    assert.ok(e10 < e2, `rank 10 ${e10} should beat rank 2 ${e2}`);
    assert.ok(e10 < 3 * result.reconstructionMse[9]);
    await assert.rejects(
      remote.pcaImages(tid(), undefined, data.key, pixels, 11),
      isCode('BAD_ARGUMENT'),
    );
    await assert.rejects(
      remote.pcaImages(tid(), undefined, data.key, pixels.subarray(1), 2),
      isCode('BAD_ARGUMENT'),
    );
  });

  test('errors cross the boundary as AeErrors with their code and message', async () => {
    await assert.rejects(
      remote.loadDataset(4, undefined, { images: `${base}/corrupt`, labels: `${base}/labels` }),
      (error: unknown) => {
        assert.ok(error instanceof AeError);
        assert.equal(error.code, 'DATA_BAD_MAGIC');
        assert.match(error.message, /^corrupt: wrong magic number 0x00000801/);
        return true;
      },
    );
    await assert.rejects(
      remote.loadDataset(5, undefined, { images: `${base}/missing`, labels: `${base}/labels` }),
      (error: unknown) => error instanceof AeError && error.code === 'DATA_FETCH_FAILED',
    );
    await assert.rejects(
      remote.image(tid(), undefined, 'no such dataset', 0),
      (error: unknown) => error instanceof AeError && error.code === 'NOT_LOADED',
    );
  });

  test('cancel(taskId) aborts a task; a shared computation goes on while others wait', async () => {
    const source = { images: `${base}/images.gz`, labels: `${base}/labels` };
    const data = await remote.loadDataset(6, undefined, source);
    const aborted = (error: unknown) => error instanceof AeError && error.code === 'ABORTED';

    // Two callers share one analysis; the first cancels, the second still gets it.
    let secondSawProgress = false;
    const first = remote.pca(7, undefined, data.key, { components: 3 });
    const second = remote.pca(
      8,
      Comlink.proxy(() => void (secondSawProgress = true)),
      data.key,
      { components: 3 },
    );
    await remote.cancel(7);
    await assert.rejects(first, aborted);
    const result = await second;
    assert.equal(result.reconstructionMse.length, 3);
    assert.ok(secondSawProgress);

    // A lone caller that cancels stops the computation; asking again starts afresh.
    const lone = remote.pca(9, undefined, data.key, { components: 4 });
    await remote.cancel(9);
    await assert.rejects(lone, aborted);
    const fresh = await remote.pca(10, undefined, data.key, { components: 4 });
    assert.ok(Math.abs(fresh.reconstructionMse[3] - 0.0477532) < 1e-6);
  });

  describe('training and models', () => {
    let trainKey: string;
    let testKey: string;
    let baseline: number;
    let nextTask = 100;

    before(async () => {
      const testSet = await remote.loadDataset(nextTask++, undefined, {
        images: `${base}/images.gz`,
        labels: `${base}/labels`,
      });
      const trainSet = await remote.loadDataset(nextTask++, undefined, {
        images: `${base}/train-images`,
        labels: `${base}/train-labels`,
      });
      trainKey = trainSet.key;
      testKey = testSet.key;
      const backend = await remote.backend(nextTask++, undefined);
      assert.equal(backend.name, 'wasm');
      baseline = tf.memory().numTensors;
    });

    /** The quick preset on `trainSize` training digits, validated on 1,000 and scored on 500 test digits. */
    const quick = (epochs: number, trainSize = 500) =>
      ({ kind: 'ae', preset: 'quick', epochs, trainSize, testSize: 500 }) as const;

    test('train reports the plan, every epoch and batch fractions, and keeps the model', async () => {
      const seen: TrainProgress[] = [];
      const summary = await remote.train(
        nextTask++,
        Comlink.proxy((p: TrainProgress) => void seen.push(p)),
        quick(3),
        { trainKey, testKey },
      );
      assert.equal(summary.model.kind, 'ae');
      assert.equal(summary.model.latentSize, 10);
      assert.deepEqual(summary.plan, {
        trainCount: 500,
        validationCount: 1000,
        batchSize: 64,
        epochs: 3,
      });
      assert.equal(summary.epochs, 3);
      assert.equal(summary.history.loss.length, 3);
      assert.equal(summary.history.valLoss.length, 3);
      assert.equal(summary.testCount, 500);
      // An untrained sigmoid AE scores about 0.23; three short epochs get well under 0.1.
      assert.ok(summary.testScore > 0.01 && summary.testScore < 0.1, `${summary.testScore}`);
      assert.ok(summary.samplesPerSecond > 0);
      assert.equal(summary.backend.name, 'wasm');

      await until(() => seen.some((p) => p.stage === 'evaluate'), 'the evaluate report');
      assert.equal(seen[0].stage, 'plan');
      const epochs = seen.filter((p) => p.stage === 'epoch');
      assert.deepEqual(
        epochs.map((p) => p.epoch),
        [1, 2, 3],
      );
      assert.deepEqual(
        epochs.map((p) => p.loss),
        summary.history.loss,
      );
      assert.equal(epochs[2].etaSeconds, 0);
      for (const p of seen) {
        if (p.stage === 'batch') assert.ok(p.fraction > 0 && p.fraction <= 1);
      }
      assert.ok(await remote.disposeModel(summary.model.modelId));
      assert.equal(await remote.disposeModel(summary.model.modelId), false);
      assert.equal(tf.memory().numTensors, baseline);
    });

    test('pause holds training between batches until resume; cancel rejects with ABORTED', async () => {
      let batches = 0;
      let epochs = 0;
      const task = nextTask++;
      const run = remote.train(
        task,
        Comlink.proxy((p: TrainProgress) => {
          if (p.stage === 'batch') batches++;
          if (p.stage === 'epoch') epochs++;
        }),
        quick(4, 1000),
        { trainKey, testKey },
      );
      await until(() => batches > 0, 'a first batch report');
      assert.equal(await remote.pause(task), true);
      // Reports already on their way may still land; after that, nothing moves.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const held = { batches, epochs };
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual({ batches, epochs }, held);

      assert.equal(await remote.resume(task), true);
      await until(() => batches > held.batches, 'batch reports after resume');

      // Cancelling a paused run ends it too.
      await remote.pause(task);
      await remote.cancel(task);
      await assert.rejects(run, isCode('ABORTED'));
      assert.ok(epochs < 4);
      assert.equal(await remote.pause(task), false);
      assert.equal(tf.memory().numTensors, baseline);

      // And a running one, mid-epoch.
      let started = false;
      const second = nextTask++;
      const again = remote.train(
        second,
        Comlink.proxy(() => void (started = true)),
        quick(4, 1000),
        { trainKey, testKey },
      );
      await until(() => started, 'the second run to start');
      await remote.cancel(second);
      await assert.rejects(again, isCode('ABORTED'));
      assert.equal(tf.memory().numTensors, baseline);
    });

    test('models round-trip through exportModel/loadModel and a URL; inference works', async () => {
      const trained = await remote.train(nextTask++, undefined, quick(1), { trainKey, testKey });
      const id = trained.model.modelId;
      const indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const original = await remote.reconstruct(tid(), undefined, id, testKey, indices);
      assert.equal(original.count, 10);
      assert.equal(original.pixels.length, 10 * 784);
      assert.ok(original.pixels.every((v) => v >= 0 && v <= 1));

      // The same digits given as bytes (a drawn digit's path) give the same codes and images.
      const bytes8 = await remote.images(tid(), undefined, testKey, indices);
      const fromPixels = await remote.reconstructPixels(tid(), undefined, id, bytes8);
      assert.ok(fromPixels.every((v, i) => Math.abs(v - original.pixels[i]) < 1e-5));
      const drawnCodes = await remote.encodePixels(tid(), undefined, id, bytes8);
      const encoded = await remote.encode(tid(), undefined, id, testKey, 10);
      assert.equal(drawnCodes.length, 10 * encoded.latentSize);
      assert.ok(drawnCodes.every((v, i) => Math.abs(v - encoded.codes[i]) < 1e-5));
      await assert.rejects(
        remote.encodePixels(tid(), undefined, id, new Uint8Array(100)),
        isCode('BAD_ARGUMENT'),
      );

      // For an MSE autoencoder, the pixel MSE is its loss.
      const loss = await remote.evaluate(tid(), undefined, id, testKey, 200);
      const pixelMse = await remote.mse(tid(), undefined, id, testKey, 200);
      assert.ok(Math.abs(loss - pixelMse) < 1e-6, `${loss} vs ${pixelMse}`);

      const files = await remote.exportModel(tid(), undefined, id, 'renamed.bin');
      assert.deepEqual(JSON.parse(files.modelJson).weightsManifest[0].paths, ['./renamed.bin']);
      const bytes = files.weights.byteLength;
      // 784·392 + 392 + 392·10 + 10 + 10·392 + 392 + 392·784 + 784 float32 weights.
      assert.equal(bytes, 4 * (2 * 784 * 392 + 2 * 392 * 10 + 2 * 392 + 10 + 784));
      served.set('/m/model.json', new TextEncoder().encode(files.modelJson));
      served.set('/m/renamed.bin', new Uint8Array(files.weights.slice(0)));
      served.set('/hashed/weights-Xy12.bin', new Uint8Array(files.weights.slice(0)));

      const copies = [
        await remote.loadModel(tid(), undefined, Comlink.transfer(files, [files.weights])),
        await remote.loadModel(tid(), undefined, { url: `${base}/m/model.json` }),
        await remote.loadModel(tid(), undefined, {
          url: `${base}/m/model.json`,
          weightsUrl: `${base}/hashed/weights-Xy12.bin`,
        }),
      ];
      for (const copy of copies) {
        assert.equal(copy.kind, 'ae');
        assert.deepEqual(copy.description, trained.model.description);
        const again = await remote.reconstruct(tid(), undefined, copy.modelId, testKey, indices);
        assert.deepEqual(again.pixels, original.pixels);
      }
      assert.equal(
        await remote.evaluate(tid(), undefined, copies[0].modelId, testKey, 500),
        await remote.evaluate(tid(), undefined, id, testKey, 500),
      );

      const codes = await remote.encode(tid(), undefined, id, testKey, 20);
      assert.equal(codes.latentSize, 10);
      assert.equal(codes.codes.length, 200);
      // Decoding the codes of the first ten digits gives their reconstructions.
      const decoded = await remote.decode(tid(), undefined, id, codes.codes.slice(0, 100));
      assert.equal(decoded.length, 10 * 784);
      for (let i = 0; i < decoded.length; i++) {
        assert.ok(Math.abs(decoded[i] - original.pixels[i]) < 1e-5);
      }
      const pixels = await remote.images(tid(), undefined, testKey, [0, 1]);
      assert.equal(pixels.length, 2 * 784);

      await assert.rejects(remote.sample(tid(), undefined, id, 4, 1), isCode('BAD_ARGUMENT'));
      await assert.rejects(
        remote.reconstruct(tid(), undefined, id, testKey, [10_000]),
        isCode('BAD_ARGUMENT'),
      );
      await assert.rejects(
        remote.loadModel(tid(), undefined, { url: `${base}/missing/model.json` }),
        isCode('DATA_FETCH_FAILED'),
      );
      // IndexedDB exists only in a browser and its workers.
      await assert.rejects(
        remote.saveModel(tid(), undefined, id, 'indexeddb://x'),
        isCode('BAD_ARGUMENT'),
      );

      for (const m of [id, ...copies.map((c) => c.modelId)]) await remote.disposeModel(m);
      await assert.rejects(
        remote.reconstruct(tid(), undefined, id, testKey, [0]),
        isCode('NOT_LOADED'),
      );
      assert.equal(tf.memory().numTensors, baseline);
    });

    test('a VAE samples from its prior, deterministically per seed', async () => {
      const vae = await remote.train(
        nextTask++,
        undefined,
        { kind: 'vae', preset: 'quick', epochs: 1, trainSize: 500, testSize: 200 },
        { trainKey, testKey },
      );
      const a = await remote.sample(tid(), undefined, vae.model.modelId, 6, 7);
      const b = await remote.sample(tid(), undefined, vae.model.modelId, 6, 7);
      const c = await remote.sample(tid(), undefined, vae.model.modelId, 6, 8);
      assert.equal(a.images.length, 6 * 784);
      assert.equal(a.latents.length, 6 * 10);
      assert.deepEqual(a.images, b.images);
      assert.notDeepEqual(a.latents, c.latents);
      // A VAE's loss is per image (hundreds); its pixel MSE is on PCA's scale, and deterministic.
      const vaeMse = await remote.mse(tid(), undefined, vae.model.modelId, testKey, 200);
      assert.ok(vaeMse > 0.01 && vaeMse < 0.2, `VAE pixel MSE ${vaeMse}`);
      assert.equal(await remote.mse(tid(), undefined, vae.model.modelId, testKey, 200), vaeMse);
      await assert.rejects(
        remote.train(nextTask++, undefined, { kind: 'gan' as 'ae' }, { trainKey, testKey }),
        isCode('BAD_ARGUMENT'),
      );
      await remote.disposeModel(vae.model.modelId);
      assert.equal(tf.memory().numTensors, baseline);
    });
  });
});
