import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { viewOf } from '../../src/core/models/batches.ts';
import { denoiseImages, denoiseImagesAsync } from '../../src/core/models/denoise.ts';
import { noisyMse, reconstructionMse } from '../../src/core/models/inference.ts';
import type { Autoencoder } from '../../src/core/models/autoencoder.ts';
import { loadModelFiles } from '../../src/core/models/node-io.ts';
import { type PcaResult, pca } from '../../src/core/pca.ts';
import { exposeApi, startServer, type Fixture } from './worker-fixture.ts';

const built = (name: string) => new URL(`../../build/models/${name}/`, import.meta.url);
const gaussian = { kind: 'gaussian', sigma: 0.3 } as const;

let test: Dataset;
let dae: Autoencoder;
let ae: Autoencoder;
let basis: PcaResult;

before(async () => {
  await initBackend();
  test = await loadMnist('test');
  // The shipped models as the page gets them (build/models, quantized, from npm run build:models).
  dae = (await loadModelFiles(built('dae-notebook').pathname)) as Autoencoder;
  ae = (await loadModelFiles(built('ae-notebook').pathname)) as Autoencoder;
  basis = await pca(
    { samples: test.count, features: 784, pixels: test.pixels },
    { components: 10, threads: 1 },
  );
});

after(() => {
  dae.dispose();
  ae.dispose();
});

describe('denoiseImages (the denoise figure, src/core/models/denoise.ts)', () => {
  it('on the 10,000 test digits at σ = 0.3: the denoiser beats the noisy input, the plain AE and PCA', async () => {
    const tensors = tf.memory().numTensors;
    const out = await denoiseImagesAsync({ dae, ae }, test, {
      noise: gaussian,
      seed: 1,
      pca: { basis, k: 10 },
    });
    assert.equal(tf.memory().numTensors, tensors, 'tensors left behind');
    const { mse } = out;
    assert.equal(out.count, 10_000);
    assert.ok(mse.dae < mse.noisy, `denoiser ${mse.dae}, noisy input ${mse.noisy}`);
    assert.ok(mse.dae < mse.ae, `denoiser ${mse.dae}, plain AE ${mse.ae}`);
    assert.ok(mse.dae < mse.pca!, `denoiser ${mse.dae}, PCA ${mse.pca}`);
    // The same noisy digits noisyMse and reconstructionMse score (the CLI's noisyMse and testMse).
    const view = viewOf(test);
    const same = { seed: 1, batchSize: 1000, noise: gaussian };
    assert.equal(mse.noisy, noisyMse(view, gaussian, same));
    assert.equal(mse.dae, reconstructionMse(dae, view, same));
    assert.equal(mse.ae, reconstructionMse(ae, view, same));
    console.log(`σ = 0.3, 10,000 test digits: ${JSON.stringify(mse)}`);
  });

  it('returns the first images of every stage, and PCA rebuilds the noisy ones at rank k', () => {
    const shown = 4;
    const out = denoiseImages({ dae, ae }, viewOf(test, 0, 1500), {
      noise: { kind: 'mask', fraction: 0.5 },
      seed: 7,
      shown,
      pca: { basis, k: 3 },
    });
    assert.equal(out.count, 1500);
    assert.equal(out.k, 3);
    const { clean, noisy, dae: d, ae: a, pca: p } = out.images;
    for (const images of [clean, noisy, d, a, p!]) assert.equal(images.length, shown * 784);
    for (let i = 0; i < clean.length; i++)
      assert.equal(clean[i], Math.fround(test.pixels[i] / 255));
    // Masking keeps a pixel or zeroes it; about half are zeroed among the inked ones.
    let inked = 0;
    let zeroed = 0;
    for (let i = 0; i < clean.length; i++) {
      assert.ok(noisy[i] === clean[i] || noisy[i] === 0, `pixel ${i}`);
      if (clean[i] > 0) {
        inked++;
        if (noisy[i] === 0) zeroed++;
      }
    }
    assert.ok(Math.abs(zeroed / inked - 0.5) < 0.1, `${zeroed} of ${inked} inked pixels zeroed`);
    // PCA's images, recomputed here in float64 from the noisy ones: mean + Σ_c ((x − mean)·v_c) v_c.
    for (let i = 0; i < shown; i++) {
      const x = noisy.subarray(i * 784, (i + 1) * 784);
      const want = Float64Array.from(basis.mean.subarray(0, 784));
      for (let c = 0; c < 3; c++) {
        const v = basis.vectors.subarray(c * 784, (c + 1) * 784);
        let s = 0;
        for (let j = 0; j < 784; j++) s += (x[j] - basis.mean[j]) * v[j];
        for (let j = 0; j < 784; j++) want[j] += s * v[j];
      }
      for (let j = 0; j < 784; j++) {
        assert.ok(Math.abs(p![i * 784 + j] - want[j]) < 1e-4, `digit ${i} pixel ${j}`);
      }
    }
    // The images' own errors agree with the scores' order of magnitude: the noisy input's is the mask's.
    assert.equal(
      out.mse.noisy,
      noisyMse(viewOf(test, 0, 1500), { kind: 'mask', fraction: 0.5 }, { seed: 7 }),
    );
  });

  it('refuses what does not fit, saying what does', () => {
    const bad = (f: () => unknown, what: RegExp) =>
      assert.throws(
        f,
        (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT' && what.test(e.message),
      );
    bad(
      () => denoiseImages({ dae, ae }, test, { noise: { kind: 'gaussian', sigma: 0 } }),
      /above 0/,
    );
    bad(
      () => denoiseImages({ dae, ae }, viewOf(test, 0, 5), { noise: gaussian, shown: 6 }),
      /0 to 5/,
    );
    bad(
      () =>
        denoiseImages({ dae, ae }, viewOf(test, 0, 5), { noise: gaussian, pca: { basis, k: 11 } }),
      /1 to the basis's 10/,
    );
  });
});

describe('the worker task denoise', () => {
  let fixture: Fixture;
  let api: ReturnType<typeof exposeApi>;

  before(async () => {
    fixture = await startServer();
    api = exposeApi();
  });

  after(async () => {
    api.close();
    await fixture.close();
  });

  it('scores the same noisy digits through the shipped denoiser, the plain AE and the page PCA', async () => {
    const { remote } = api;
    const { key } = await remote.loadDataset(1, undefined, {
      images: `${fixture.base}/images.gz`,
      labels: `${fixture.base}/labels`,
    });
    await remote.pca(2, undefined, key, { components: 10 });
    const files = async (name: string) => {
      const dir = new URL(`../../pretrained/${name}/`, import.meta.url);
      const weights = await readFile(new URL('weights.bin', dir));
      return {
        modelJson: await readFile(new URL('model.json', dir), 'utf8'),
        weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    };
    const daeId = (await remote.loadModel(3, undefined, await files('dae-notebook'))).modelId;
    const aeId = (await remote.loadModel(4, undefined, await files('ae-notebook'))).modelId;
    const out = await remote.denoise(5, undefined, { dae: daeId, ae: aeId }, key, {
      noise: gaussian,
      count: 2000,
      pcaKey: key,
      k: 10,
    });
    assert.equal(out.count, 2000);
    assert.equal(out.shown, 8);
    assert.equal(out.k, 10);
    for (const images of Object.values(out.images)) assert.equal(images.length, 8 * 784);
    const { mse } = out;
    assert.ok(mse.dae < mse.noisy, `denoiser ${mse.dae}, noisy input ${mse.noisy}`);
    assert.ok(mse.dae < mse.ae, `denoiser ${mse.dae}, plain AE ${mse.ae}`);
    assert.ok(mse.dae < mse.pca!, `denoiser ${mse.dae}, PCA ${mse.pca}`);
    // The noise is the seed's (1 by default), whatever runs it.
    assert.equal(mse.noisy, noisyMse(viewOf(test, 0, 2000), gaussian, { seed: 1 }));

    await assert.rejects(
      remote.denoise(6, undefined, { dae: daeId, ae: aeId }, key, { noise: gaussian, k: 10 }),
      (e: unknown) => e instanceof AeError && e.code === 'NOT_LOADED',
    );
    await assert.rejects(
      remote.denoise(7, undefined, { dae: daeId, ae: 'ae-none' }, key, { noise: gaussian }),
      (e: unknown) => e instanceof AeError && e.code === 'NOT_LOADED',
    );
  });
});
