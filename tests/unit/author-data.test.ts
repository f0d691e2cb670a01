import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeAuthorSet, type AuthorSet } from '../fixtures/author-set.ts';
import { main } from '../../src/cli/main.ts';
import { holdOut, loadImageFiles } from '../../src/core/data/node.ts';

/**
 * The author's own data in the CLI: a 16 × 12 set made from MNIST digits
 * (each 28 × 28 digit averaged down), as gzip idx with and without labels
 * and as a CSV, trained on with --images.
 */
let dir: string;
let set: AuthorSet;
const COUNT = 3000;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ae-demo-author-'));
  set = await makeAuthorSet(COUNT, 16, 12);
  await writeFile(join(dir, 'images.gz'), gzipSync(set.idx));
  await writeFile(join(dir, 'labels.gz'), gzipSync(set.idxLabels));
  await writeFile(join(dir, 'set.csv'), set.csv);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout, stderr };
}

describe('loadImageFiles', () => {
  test('idx with labels, idx without, and a CSV give the same images', async () => {
    const a = await loadImageFiles(join(dir, 'images.gz'), join(dir, 'labels.gz'));
    const b = await loadImageFiles(join(dir, 'images.gz'));
    const c = await loadImageFiles(join(dir, 'set.csv'), undefined, {
      shape: { rows: 16, cols: 12 },
    });
    for (const s of [a, b, c]) {
      assert.deepEqual([s.count, s.rows, s.cols], [COUNT, 16, 12]);
      assert.deepEqual(s.pixels, set.pixels);
    }
    assert.deepEqual(a.labels, set.labels);
    assert.equal(b.labels, undefined);
    assert.deepEqual(c.labels, set.labels);
    await assert.rejects(
      loadImageFiles(join(dir, 'set.csv')),
      /not a square image; give the shape/,
    );
    await assert.rejects(
      loadImageFiles(join(dir, 'set.csv'), join(dir, 'labels.gz')),
      /CSV, whose first column holds the labels/,
    );
    const { train, test } = holdOut(a);
    assert.deepEqual([train.count, test.count], [2400, 600]);
    assert.deepEqual(test.labels, set.labels.subarray(2400));
  });
});

describe('ae-demo train --images', () => {
  test('a 16 × 12 set trains an AE of its own size, scored on the held-out last 20 %', async () => {
    const save = join(dir, 'model');
    const idx = await run([
      'train',
      'ae',
      '--images',
      join(dir, 'images.gz'),
      '--epochs',
      '8',
      '--save',
      save,
      '--json',
    ]);
    assert.equal(idx.code, 0, idx.stderr);
    const r = JSON.parse(idx.stdout);
    assert.deepEqual(r.data, {
      images: join(dir, 'images.gz'),
      rows: 16,
      cols: 12,
      test: 'held-out',
    });
    assert.equal(r.trainSize, 2400);
    assert.equal(r.testSize, 600);
    // Better than drawing every held-out image as the training images' mean image.
    const d = 16 * 12;
    const mean = new Float64Array(d);
    for (let n = 0; n < 2400; n++)
      for (let i = 0; i < d; i++) mean[i] += set.pixels[n * d + i] / 255 / 2400;
    let baseline = 0;
    for (let n = 2400; n < COUNT; n++)
      for (let i = 0; i < d; i++) baseline += (set.pixels[n * d + i] / 255 - mean[i]) ** 2;
    baseline /= 600 * d;
    assert.ok(
      r.testMse < 0.6 * baseline,
      `test MSE ${r.testMse} against the mean image's ${baseline}`,
    );
    const modelJson = JSON.parse(await readFile(join(save, 'model.json'), 'utf8'));
    assert.deepEqual(modelJson.userDefinedMetadata.aeDemo.config.inputSize, 192);
    assert.deepEqual(modelJson.userDefinedMetadata.aeDemo.config.hidden, [96]);

    // The same pixels from a CSV (labels in it, shape given) or an idx file with labels: the same run.
    const csv = await run([
      'train',
      'ae',
      '--images',
      join(dir, 'set.csv'),
      '--shape',
      '16x12',
      '--epochs',
      '8',
      '--json',
    ]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(JSON.parse(csv.stdout).testMse, r.testMse);
    const labelled = await run([
      'train',
      'ae',
      '--images',
      join(dir, 'images.gz'),
      '--labels',
      join(dir, 'labels.gz'),
      '--epochs',
      '8',
      '--json',
    ]);
    assert.equal(JSON.parse(labelled.stdout).testMse, r.testMse);
  });

  test('a VAE on a given test set; test images of another size are refused in words', async () => {
    const vae = await run([
      'train',
      'vae',
      '--images',
      join(dir, 'images.gz'),
      '--test-images',
      join(dir, 'images.gz'),
      '--epochs',
      '1',
      '--json',
    ]);
    assert.equal(vae.code, 0, vae.stderr);
    const r = JSON.parse(vae.stdout);
    assert.equal(r.data.test, join(dir, 'images.gz'));
    assert.equal(r.testSize, COUNT);
    assert.ok(Number.isFinite(r.testLoss) && r.testLoss > 0);
    const mnist = (await import('../../src/core/data/node.ts')).mnistFiles('test');
    const wrong = await run([
      'train',
      'ae',
      '--images',
      join(dir, 'images.gz'),
      '--test-images',
      mnist.images,
      '--json',
    ]);
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stderr,
      /holds 28 × 28 images but .* 16 × 12: give test images of the same size/,
    );
    const text = await run(['train', 'ae', '--images', join(dir, 'images.gz'), '--epochs', '1']);
    assert.match(text.stdout, /on 2,400 16 × 12 images of .*images\.gz/);
    assert.match(text.stdout, /Test MSE on 600 held-out images \(the last 20 % of .*images\.gz\)/);
  });
});

describe('ae-demo reproduce --images', () => {
  // About 10 s here: PCA of the 600 held-out images, two quick models, the plane and curve, the report.
  test(
    "the report on a 16 × 12 set without labels: the notebook's MNIST targets skipped, saying why",
    { timeout: 180_000 },
    async () => {
      const out = join(dir, 'report');
      const r = await run([
        'reproduce',
        '--images',
        join(dir, 'images.gz'),
        '--preset',
        'quick',
        '--k',
        '10',
        '--jobs',
        '1',
        '--out',
        out,
        '--json',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report, JSON.parse(await readFile(join(out, 'report.json'), 'utf8')));
      assert.deepEqual(report.data, {
        source: 'files',
        name: 'images.gz',
        images: join(dir, 'images.gz'),
        heldOut: true,
        rows: 16,
        cols: 12,
        trainCount: 2400,
        testCount: 600,
        labelled: false,
      });
      // PCA of the held-out test images, as the notebook's prcomp(test_x), on 192 pixels.
      assert.equal(report.pca.samples, 600);
      assert.equal(report.pca.features, 192);
      // The quick preset's 2,000 training images, of the 2,400 there are; scored on the 600.
      assert.equal(report.ae.trainCount, 2000);
      assert.equal(report.ae.testCount, 600);
      assert.equal(report.vae.testCount, 600);
      assert.ok(report.ae.testScore > 0 && report.ae.testScore < report.pca.reconstructionMse[0]);
      const saved = JSON.parse(await readFile(join(out, 'models/ae-quick/model.json'), 'utf8'));
      assert.equal(saved.userDefinedMetadata.aeDemo.config.inputSize, 192);
      const byId = new Map(
        (report.targets as { id: string; skipped?: string; applies: boolean }[]).map((t) => [
          t.id,
          t,
        ]),
      );
      for (const id of [
        'pca.componentsFor90',
        'pca.varianceAt84',
        'pca.mseK10',
        'ae.testMse',
        'vae.testLoss',
      ]) {
        assert.match(
          byId.get(id)?.skipped ?? '',
          /^The notebook's figure on MNIST's 28 × 28 digits; this run is on images\.gz \(16 × 12\)/,
          id,
        );
      }
      // What is not MNIST's own figure is still checked.
      for (const id of ['compare.aeBelowPca', 'planeCurve.plane', 'planeCurve.curve']) {
        assert.equal(byId.get(id)?.skipped, undefined, id);
      }
      const html = await readFile(join(out, 'report.html'), 'utf8');
      assert.match(html, /<h1>Autoencoders vs PCA on images\.gz \(16 × 12 images\): reproduction/);
      assert.match(html, /without labels \(the scatters are one colour\)/);
      assert.match(html, /skipped: The notebook&#39;s figure on MNIST&#39;s 28 × 28 digits/);

      // The summary says so too.
      const text = await run([
        'reproduce',
        '--images',
        join(dir, 'set.csv'),
        '--shape',
        '16x12',
        '--preset',
        'quick',
        '--k',
        '10',
        '--jobs',
        '1',
        '--out',
        join(dir, 'report-csv'),
      ]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stdout,
        /^PCA: \d+ components explain 0\.\d+ of the variance .*skipped: not MNIST/m,
      );
    },
  );
});
