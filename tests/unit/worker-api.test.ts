import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as Comlink from 'comlink';
import { mnistFiles } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { api, type TaskProgress, type WorkerApi } from '../../src/worker/api.ts';

/**
 * The worker's API, exposed with Comlink over a MessageChannel exactly as the
 * worker does, and driven from the "page" side of the channel.
 */
describe('worker API over Comlink', () => {
  let server: Server;
  let base: string;
  let channel: MessageChannel;
  let remote: Comlink.Remote<WorkerApi>;

  before(async () => {
    const files = mnistFiles('test');
    const images = gzipSync(await readFile(files.images));
    const labels = await readFile(files.labels);
    server = createServer((req, res) => {
      if (req.url === '/images.gz') return res.end(images);
      if (req.url === '/labels') return res.end(labels);
      if (req.url === '/corrupt') return res.end(Buffer.from([0, 0, 8, 1, 0, 0, 0, 5]));
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
    const data = await remote.loadDataset(source, 1, progress);
    assert.equal(data.count, 10_000);
    assert.equal(data.rows * data.cols, 784);
    assert.equal(data.labels.length, 10_000);
    assert.equal(data.labels[0], 7);
    assert.ok(seen.some((p) => p.stage === 'download' && p.fraction === 1));

    const stages = new Set<string>();
    const result = await remote.pca(
      data.key,
      { components: 10 },
      2,
      Comlink.proxy((p: TaskProgress) => void stages.add(p.stage)),
    );
    assert.equal(result.componentsFor90, 84);
    assert.ok(Math.abs(result.cumulativeVariance[83] - 0.900716) < 1e-5);
    assert.ok(Math.abs(result.reconstructionMse[9] - 0.0339026) < 1e-6);
    assert.equal(result.scores.length, 2 * 10_000);
    assert.deepEqual([...stages].sort(), ['eigenvectors', 'gram', 'projection', 'spectrum']);

    // A second element asking for the same analysis gets the memoised result.
    const again = await remote.pca(data.key, { components: 10 }, 3);
    assert.deepEqual(again.reconstructionMse, result.reconstructionMse);

    const pixels = await remote.image(data.key, 0);
    assert.equal(pixels.length, 784);
    const original = await readFile(mnistFiles('test').images);
    assert.deepEqual([...pixels], [...original.subarray(16, 16 + 784)]);
  });

  test('errors cross the boundary as AeErrors with their code and message', async () => {
    await assert.rejects(
      remote.loadDataset({ images: `${base}/corrupt`, labels: `${base}/labels` }, 4),
      (error: unknown) => {
        assert.ok(error instanceof AeError);
        assert.equal(error.code, 'DATA_BAD_MAGIC');
        assert.match(error.message, /^corrupt: wrong magic number 0x00000801/);
        return true;
      },
    );
    await assert.rejects(
      remote.loadDataset({ images: `${base}/missing`, labels: `${base}/labels` }, 5),
      (error: unknown) => error instanceof AeError && error.code === 'DATA_FETCH_FAILED',
    );
    await assert.rejects(
      remote.image('no such dataset', 0),
      (error: unknown) => error instanceof AeError && error.code === 'NOT_LOADED',
    );
  });

  test('cancel(taskId) aborts a task; a shared computation goes on while others wait', async () => {
    const source = { images: `${base}/images.gz`, labels: `${base}/labels` };
    const data = await remote.loadDataset(source, 6);
    const aborted = (error: unknown) => error instanceof AeError && error.code === 'ABORTED';

    // Two callers share one analysis; the first cancels, the second still gets it.
    let secondSawProgress = false;
    const first = remote.pca(data.key, { components: 3 }, 7);
    const second = remote.pca(
      data.key,
      { components: 3 },
      8,
      Comlink.proxy(() => void (secondSawProgress = true)),
    );
    await remote.cancel(7);
    await assert.rejects(first, aborted);
    const result = await second;
    assert.equal(result.reconstructionMse.length, 3);
    assert.ok(secondSawProgress);

    // A lone caller that cancels stops the computation; asking again starts afresh.
    const lone = remote.pca(data.key, { components: 4 }, 9);
    await remote.cancel(9);
    await assert.rejects(lone, aborted);
    const fresh = await remote.pca(data.key, { components: 4 }, 10);
    assert.ok(Math.abs(fresh.reconstructionMse[3] - 0.0477532) < 1e-6);
  });
});
