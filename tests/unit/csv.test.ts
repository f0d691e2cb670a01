import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { looksLikeCsv, parseCsvDataset } from '../../src/core/data/csv.ts';
import { encodeIdxImages, encodeIdxLabels } from '../../src/core/data/idx.ts';
import { isCsvUrl, loadIdxDataset } from '../../src/core/data/load.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError, type AeErrorCode } from '../../src/core/errors.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Two 2×2 digits (labels 3 and 9) as CSV rows: label, then 4 pixels. */
const tiny = { rows: 2, cols: 2 };
const HEADER = 'label,pixel0,pixel1,pixel2,pixel3';
const ROWS = ['3,0,128,255,7', '9,1,2,3,4'];

function throwsWith(fn: () => unknown, code: AeErrorCode, ...parts: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AeError, `expected an AeError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const part of parts)
    assert.ok(caught.message.includes(part), `"${caught.message}" lacks "${part}"`);
}

describe('CSV parsing', () => {
  test('reads rows with a header row', () => {
    const data = parseCsvDataset(bytes([HEADER, ...ROWS].join('\n')), tiny);
    assert.equal(data.count, 2);
    assert.equal(data.rows, 2);
    assert.equal(data.cols, 2);
    assert.deepEqual([...data.labels], [3, 9]);
    assert.deepEqual([...data.pixels], [0, 128, 255, 7, 1, 2, 3, 4]);
  });

  test('reads the same rows without a header, with CRLF and a trailing newline', () => {
    const plain = parseCsvDataset(bytes(ROWS.join('\n')), tiny);
    const crlf = parseCsvDataset(bytes(`${ROWS.join('\r\n')}\r\n`), tiny);
    const trailing = parseCsvDataset(bytes(`${HEADER}\n${ROWS.join('\n')}\n\n`), tiny);
    for (const data of [plain, crlf, trailing]) {
      assert.equal(data.count, 2);
      assert.deepEqual([...data.labels], [3, 9]);
      assert.deepEqual([...data.pixels], [0, 128, 255, 7, 1, 2, 3, 4]);
    }
  });

  test('accepts spaces, quotes, "12.0" and a byte order mark', () => {
    const data = parseCsvDataset(bytes('\ufeff"3", 0 ,128.0,255,"7"\n9,1,2,3,4'), tiny);
    assert.deepEqual([...data.labels], [3, 9]);
    assert.deepEqual([...data.pixels], [0, 128, 255, 7, 1, 2, 3, 4]);
  });

  test('a cell that is not a whole number names its line and column', () => {
    throwsWith(
      () => parseCsvDataset(bytes('3,0,x1,255,7'), tiny),
      'DATA_BAD_VALUE',
      'line 1, column 3',
      '"x1"',
      '0..255',
    );
    throwsWith(
      () => parseCsvDataset(bytes(`${HEADER}\n3,0,1,0.5,7`), tiny),
      'DATA_BAD_VALUE',
      'line 2, column 4',
    );
    throwsWith(() => parseCsvDataset(bytes('3,0,1,-2,7'), tiny), 'DATA_BAD_VALUE', '"-2"');
    throwsWith(() => parseCsvDataset(bytes('3,0,,2,7'), tiny), 'DATA_BAD_VALUE', 'an empty cell');
  });

  test('rows of the wrong width say what a row holds', () => {
    throwsWith(
      () => parseCsvDataset(bytes('3,0,1,2,7\n9,1,2,3'), { ...tiny, name: 'digits.csv' }),
      'DATA_BAD_SHAPE',
      'digits.csv, line 2: 4 values',
      'a label then 4 pixels (5 values)',
    );
    throwsWith(
      () => parseCsvDataset(bytes('3,0,1,2,7,8'), tiny),
      'DATA_BAD_SHAPE',
      'line 1: 6 values',
    );
    throwsWith(
      () => parseCsvDataset(bytes('label,a,b\n3,0,1,2,7'), tiny),
      'DATA_BAD_SHAPE',
      'header row has 3 columns; expected 5',
    );
    throwsWith(
      () => parseCsvDataset(bytes('3,0,1,2,7\n\n9,1,2,3,4'), tiny),
      'DATA_BAD_SHAPE',
      'line 2: blank line',
    );
  });

  test('pixels over 255 and labels outside 0..9 are refused', () => {
    throwsWith(
      () => parseCsvDataset(bytes('3,0,256,2,7'), tiny),
      'DATA_BAD_VALUE',
      'pixel value 256 is over 255',
    );
    throwsWith(
      () => parseCsvDataset(bytes('3,0,1,2,7\n10,1,2,3,4'), tiny),
      'DATA_BAD_LABEL',
      'line 2: label 10 is out of range 0..9',
    );
  });

  test('a header alone or an empty file has no rows', () => {
    throwsWith(() => parseCsvDataset(bytes(`${HEADER}\n`), tiny), 'DATA_TRUNCATED', 'no data rows');
    throwsWith(() => parseCsvDataset(bytes(''), tiny), 'DATA_TRUNCATED', 'no data rows');
  });

  test('tells text from idx and gzip bytes', () => {
    assert.equal(looksLikeCsv(bytes('label,pixel0')), true);
    assert.equal(looksLikeCsv(bytes('\ufeff5,0,0')), true);
    assert.equal(looksLikeCsv(Uint8Array.of(0, 0, 8, 3)), false);
    assert.equal(looksLikeCsv(Uint8Array.of(0x1f, 0x8b, 8)), false);
    assert.equal(isCsvUrl('https://x.org/d/mnist_test.csv?v=2'), true);
    assert.equal(isCsvUrl('/d/mnist.csv.gz'), true);
    assert.equal(isCsvUrl('/d/csv/t10k-images-idx3-ubyte.gz'), false);
  });

  test('the 10,000 MNIST test digits round-trip through CSV (Kaggle layout)', async () => {
    const mnist = await loadMnist('test');
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    const lines = [header];
    for (let i = 0; i < mnist.count; i++) {
      const row = mnist.pixels.subarray(i * 784, (i + 1) * 784);
      lines.push(`${mnist.labels[i]},${row.join(',')}`);
    }
    const text = bytes(`${lines.join('\n')}\n`);
    const data = parseCsvDataset(text, { name: 'mnist_test.csv' });
    assert.equal(data.count, 10_000);
    assert.deepEqual(data.labels, mnist.labels);
    assert.deepEqual(data.pixels, mnist.pixels);
  });
});

describe('loading CSV over HTTP', () => {
  let server: Server;
  let base: string;
  const csv = [HEADER, ...ROWS].join('\n');
  const fullRow = (label: number) => [label, ...Array.from({ length: 784 }, () => 17)].join(',');
  const mnistCsv = `${fullRow(4)}\n${fullRow(2)}\n`;
  const idx = encodeIdxImages({
    count: 1,
    rows: 28,
    cols: 28,
    pixels: new Uint8Array(784),
  });

  before(async () => {
    server = createServer((req, res) => {
      const routes: Record<string, [string, Uint8Array | string]> = {
        '/tiny.csv': ['application/octet-stream', csv],
        '/digits.csv.gz': ['application/gzip', gzipSync(mnistCsv)],
        '/digits': ['text/csv; charset=utf-8', mnistCsv],
        '/sniffed': ['application/octet-stream', mnistCsv],
        '/images': ['application/octet-stream', idx],
        '/labels': ['application/octet-stream', encodeIdxLabels(Uint8Array.of(1))],
      };
      const found = routes[req.url ?? ''];
      if (!found) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': found[0] }).end(found[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('by a .csv path, a text Content-Type or text content; no labels URL needed', async () => {
    for (const path of ['/digits.csv.gz', '/digits', '/sniffed']) {
      const fractions: number[] = [];
      const data = await loadIdxDataset(
        { images: `${base}${path}` },
        { onProgress: (f) => fractions.push(f) },
      );
      assert.equal(data.count, 2, path);
      assert.deepEqual([...data.labels], [4, 2], path);
      assert.equal(data.pixels[783], 17);
      assert.equal(fractions.at(-1), 1, path);
    }
  });

  test('a .csv path is CSV even when a labels URL is given', async () => {
    const data = await loadIdxDataset({
      images: `${base}/digits.csv.gz`,
      labels: `${base}/labels`,
    });
    assert.equal(data.count, 2);
  });

  test('a CSV of another width fails naming the file and the line', async () => {
    await assert.rejects(
      () => loadIdxDataset({ images: `${base}/tiny.csv` }),
      (e: AeError) =>
        e.code === 'DATA_BAD_SHAPE' && e.message.includes('tiny.csv: the header row has 5 columns'),
    );
  });

  test('an idx image file without its labels says to add labels-src', async () => {
    await assert.rejects(
      () => loadIdxDataset({ images: `${base}/images` }),
      (e: AeError) =>
        e.code === 'BAD_ARGUMENT' && e.message.includes('labels-src') && e.message.includes('CSV'),
    );
    const data = await loadIdxDataset({ images: `${base}/images`, labels: `${base}/labels` });
    assert.deepEqual([...data.labels], [1]);
  });
});
