import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeImageSet, holdOut, parseShape } from '../../src/core/data/images.ts';
import { hiddenFor, shapeOverrides } from '../../src/core/settings.ts';
import type { DataSource, TrainSummary } from '../../src/worker/api.ts';
import { type AuthorSet, makeAuthorSet } from '../fixtures/author-set.ts';
import { type Fixture, exposeApi, isCode, startServer } from './worker-fixture.ts';

/**
 * The author's own data on the worker side (issue 13, part 3): a generated
 * 16 × 12 set of 3,000 images as gzip idx without labels and as a CSV,
 * loaded, held out, analysed and trained on through the worker's API.
 */
let set: AuthorSet;
let fixture: Fixture;
let api: ReturnType<typeof exposeApi>;
let next = 50_000;
const tid = () => next++;

before(async () => {
  set = await makeAuthorSet(3000, 16, 12);
  fixture = await startServer();
  fixture.served.set('/mine/digits.gz', gzipSync(set.idx));
  fixture.served.set('/mine/digits.csv', new TextEncoder().encode(set.csv));
  api = exposeApi();
});

after(async () => {
  api.close();
  await fixture.close();
});

const idx = (): DataSource => ({ images: `${fixture.base}/mine/digits.gz`, author: true });

describe('core: an image set from bytes', () => {
  test('idx with and without labels, CSV with a shape; the 20 % hold-out', () => {
    const bare = decodeImageSet(set.idx, undefined, { name: 'digits' });
    const labelled = decodeImageSet(set.idx, set.idxLabels, { name: 'digits' });
    const csv = decodeImageSet(new TextEncoder().encode(set.csv), undefined, {
      name: 'digits.csv',
      shape: { rows: 16, cols: 12 },
    });
    for (const s of [bare, labelled, csv]) {
      assert.deepEqual([s.count, s.rows, s.cols], [3000, 16, 12]);
      assert.deepEqual(s.pixels, set.pixels);
    }
    assert.equal(bare.labels, undefined);
    assert.deepEqual(labelled.labels, set.labels);
    assert.deepEqual(csv.labels, set.labels);
    const { train, test } = holdOut(labelled);
    assert.deepEqual([train.count, test.count], [2400, 600]);
    assert.deepEqual(test.pixels, set.pixels.subarray(2400 * 192));
    assert.deepEqual(test.labels, set.labels.subarray(2400));
    assert.throws(
      () => decodeImageSet(new TextEncoder().encode(set.csv), undefined, { name: 'digits.csv' }),
      /digits\.csv: its rows hold 192 pixels after the label, not a square image; give the shape/,
    );
    assert.deepEqual(parseShape('16x12'), { rows: 16, cols: 12 });
    assert.deepEqual(parseShape(' 16 × 12 '), { rows: 16, cols: 12 });
    assert.equal(parseShape('16'), undefined);
    assert.equal(parseShape('0x12'), undefined);
  });

  test("the networks' sizes follow the pixels as the notebook's input_size/2 does", () => {
    assert.deepEqual(shapeOverrides('ae', 784), {});
    assert.deepEqual(shapeOverrides('ae', 192), { inputSize: 192, hidden: [96] });
    assert.deepEqual(shapeOverrides('vae', 192), { inputSize: 192, hidden: [63] });
    assert.equal(hiddenFor('ae', 784), 392);
    assert.equal(hiddenFor('vae', 784), 256);
  });
});

describe("worker: the author's images", () => {
  test('an idx set without labels loads, with its shape from the header, and no labels', async () => {
    const summary = await api.remote.loadDataset(tid(), undefined, idx());
    assert.deepEqual([summary.count, summary.rows, summary.cols], [3000, 16, 12]);
    assert.equal(summary.labels, undefined);
    // The same file as a bundled set (not the author's) still needs its labels.
    await assert.rejects(
      api.remote.loadDataset(tid(), undefined, { images: `${fixture.base}/mine/digits.gz` }),
      /needs the URL of its idx1 label file too/,
    );
  });

  test('held out: the first 80 % and the last 20 %, views on one download', async () => {
    const train = await api.remote.loadDataset(tid(), undefined, { ...idx(), heldOut: 'train' });
    const test = await api.remote.loadDataset(tid(), undefined, { ...idx(), heldOut: 'test' });
    assert.deepEqual([train.count, test.count], [2400, 600]);
    assert.notEqual(train.key, test.key);
    const first = await api.remote.images(tid(), undefined, test.key, [0, 599]);
    const d = 192;
    assert.deepEqual(
      first,
      Uint8Array.from([
        ...set.pixels.subarray(2400 * d, 2401 * d),
        ...set.pixels.subarray(2999 * d, 3000 * d),
      ]),
    );
  });

  test('a CSV with its shape keeps its labels; PCA runs on it', async () => {
    const source: DataSource = {
      images: `${fixture.base}/mine/digits.csv`,
      shape: { rows: 16, cols: 12 },
      author: true,
    };
    const summary = await api.remote.loadDataset(tid(), undefined, source);
    assert.deepEqual([summary.count, summary.rows, summary.cols], [3000, 16, 12]);
    assert.deepEqual(summary.labels, set.labels);
    const result = await api.remote.pca(tid(), undefined, summary.key, { components: 10 });
    assert.equal(result.features, 192);
    assert.equal(result.samples, 3000);
    assert.ok(result.componentsFor90 > 10 && result.componentsFor90 < 192);
    await assert.rejects(
      api.remote.loadDataset(tid(), undefined, { ...source, shape: undefined }),
      isCode('DATA_BAD_SHAPE'),
    );
  });

  test('an autoencoder and a VAE train on the held-out split, sized for 192 pixels', async () => {
    const train = await api.remote.loadDataset(tid(), undefined, { ...idx(), heldOut: 'train' });
    const test = await api.remote.loadDataset(tid(), undefined, { ...idx(), heldOut: 'test' });
    const data = { trainKey: train.key, testKey: test.key };
    const runs: TrainSummary[] = [];
    for (const kind of ['ae', 'vae'] as const) {
      // More training images than there are: all 2,400 are used.
      const spec = { kind, preset: 'quick', trainSize: 12_000, seed: 1 };
      runs.push(await api.remote.train(tid(), undefined, spec, data));
    }
    const [ae, vae] = runs;
    for (const run of runs) {
      assert.equal(run.plan.trainCount, 2400);
      assert.equal(run.model.inputSize, 192);
      assert.equal(run.testCount, 600);
      assert.ok(Number.isFinite(run.testScore));
    }
    assert.match(JSON.stringify(ae.model.description), /\b96\b/);
    assert.match(JSON.stringify(vae.model.description), /\b63\b/);
    const rebuilt = await api.remote.reconstruct(
      tid(),
      undefined,
      ae.model.modelId,
      test.key,
      [0, 1, 2],
    );
    assert.deepEqual([rebuilt.count, rebuilt.rows, rebuilt.cols], [3, 16, 12]);
    assert.equal(rebuilt.pixels.length, 3 * 192);
    // The walk's and the interpolation's paths take the model's 192 pixels: an image, its code,
    // and the decoding of that code, which for the autoencoder is its reconstruction.
    const one = await api.remote.image(tid(), undefined, test.key, 1);
    assert.deepEqual(one, set.pixels.subarray(2401 * 192, 2402 * 192));
    const pair = await api.remote.images(tid(), undefined, test.key, [0, 1]);
    const codes = await api.remote.encodePixels(tid(), undefined, ae.model.modelId, pair);
    assert.equal(codes.length, 2 * ae.model.latentSize);
    const decoded = await api.remote.decode(tid(), undefined, ae.model.modelId, codes);
    assert.equal(decoded.length, 2 * 192);
    for (let i = 0; i < decoded.length; i++) {
      assert.ok(Math.abs(decoded[i] - rebuilt.pixels[i]) < 1e-5, `pixel ${i}`);
    }
    const vaeCodes = await api.remote.encodePixels(tid(), undefined, vae.model.modelId, one);
    assert.equal(vaeCodes.length, vae.model.latentSize);
    const vaeDecoded = await api.remote.decode(tid(), undefined, vae.model.modelId, vaeCodes);
    assert.equal(vaeDecoded.length, 192);
    // A 28 × 28 digit is refused in words that give the model's size.
    await assert.rejects(
      api.remote.encodePixels(tid(), undefined, ae.model.modelId, new Uint8Array(784)),
      /a multiple of 192 values long; got 784/,
    );
    // The autoencoder's test MSE beats the training images' mean image as a guess.
    const mean = new Float64Array(192);
    for (let i = 0; i < 2400; i++) for (let p = 0; p < 192; p++) mean[p] += set.pixels[i * 192 + p];
    let guess = 0;
    for (let i = 2400; i < 3000; i++)
      for (let p = 0; p < 192; p++)
        guess += (set.pixels[i * 192 + p] / 255 - mean[p] / 2400 / 255) ** 2;
    guess /= 600 * 192;
    assert.ok(ae.testScore < guess, `AE test MSE ${ae.testScore} against the mean's ${guess}`);
    for (const run of runs) await api.remote.disposeModel(run.model.modelId);
  });
});
