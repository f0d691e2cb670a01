/**
 * What the worker tests share: a local server with the MNIST test set, a
 * training subset and the shipped models, plus `/slow/…` copies of any file
 * that send the first 64 KiB and then hold the response open (a download
 * that is mid-way for as long as a test needs), and the worker's API exposed
 * with Comlink over a MessageChannel exactly as src/worker/worker.ts does.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as Comlink from 'comlink';
import { encodeIdxImages, encodeIdxLabels } from '../../src/core/data/idx.ts';
import { loadMnist, mnistFiles } from '../../src/core/data/node.ts';
import { tf } from '../../src/core/models/backend.ts';
import { api, type WorkerApi } from '../../src/worker/api.ts';

export { isCode, turns, until } from './waits.ts';

/** How many tensors TF.js has made so far (tensor ids count up): how much work ran. */
export function tensorsMade(): number {
  const t = tf.scalar(0);
  const id = t.id;
  t.dispose();
  return id;
}

export interface Fixture {
  base: string;
  /** Files by path; `/slow` + a path serves the same bytes slowly. */
  served: Map<string, Uint8Array>;
  /** Paths of slow responses open now, and of those the client dropped before the end. */
  slowOpen: Set<string>;
  slowDropped: string[];
  close(): Promise<void>;
}

/** The same key loadDataset gives a source (an opaque string; the tests need it before the load ends). */
export const datasetKey = (source: { images: string; labels?: string }) =>
  `${source.images}\n${source.labels}`;

export async function startServer(): Promise<Fixture> {
  const served = new Map<string, Uint8Array>();
  const files = mnistFiles('test');
  served.set('/images.gz', gzipSync(await readFile(files.images)));
  served.set('/labels', await readFile(files.labels));
  const train = await loadMnist('train');
  served.set('/train-images', encodeIdxImages(train, 1000));
  served.set('/train-labels', encodeIdxLabels(train.labels, 1000));
  for (const kind of ['ae', 'vae']) {
    for (const file of ['model.json', 'weights.bin']) {
      served.set(
        `/${kind}/${file}`,
        await readFile(new URL(`../../pretrained/${kind}-notebook/${file}`, import.meta.url)),
      );
    }
  }
  const slowOpen = new Set<string>();
  const slowDropped: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    const slow = path.startsWith('/slow/');
    const file = served.get(slow ? path.slice('/slow'.length) : path);
    if (!file) {
      res.statusCode = 404;
      return res.end('not found');
    }
    if (!slow) return res.end(file);
    res.setHeader('content-length', file.length);
    res.write(file.subarray(0, 64 * 1024));
    slowOpen.add(path);
    res.on('close', () => {
      slowOpen.delete(path);
      if (!res.writableFinished) slowDropped.push(path);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    slowOpen,
    slowDropped,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The worker's API over a MessageChannel: `remote` is what the page's Comlink.wrap gives. */
export function exposeApi(): { remote: Comlink.Remote<WorkerApi>; close(): void } {
  const channel = new MessageChannel();
  Comlink.expose(api, channel.port1);
  const remote = Comlink.wrap<WorkerApi>(channel.port2);
  return {
    remote,
    close() {
      remote[Comlink.releaseProxy]();
      channel.port1.close();
      channel.port2.close();
    },
  };
}
