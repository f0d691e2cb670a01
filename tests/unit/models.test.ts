import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { AeError } from '../../src/core/errors.ts';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveArtifacts, loadArtifacts } from '../../src/core/models/artifacts.ts';
import { createAutoencoder } from '../../src/core/models/autoencoder.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { kerasValidationSplit, viewOf } from '../../src/core/models/batches.ts';
import {
  decodeLatents,
  encodeImages,
  evaluate,
  reconstructImages,
  sampleFromPrior,
} from '../../src/core/models/inference.ts';
import { loadModelFiles, saveModelFiles } from '../../src/core/models/node-io.ts';
import { AE_PRESETS, VAE_PRESETS, getPreset, selectData } from '../../src/core/models/presets.ts';
import { train } from '../../src/core/models/train.ts';
import { createVae, vaeSampleLosses } from '../../src/core/models/vae.ts';

let test: Dataset;

before(async () => {
  await initBackend();
  test = await loadMnist('test');
});

function isCode(code: string) {
  return (e: unknown) => e instanceof AeError && e.code === code;
}

/** A [count, 784] pixel set of `count` images without any data behind it (for split arithmetic). */
function fakeImages(count: number) {
  return { count, rows: 28, cols: 28, pixels: new Uint8Array(0) };
}

describe('model factories', () => {
  it('builds the notebook autoencoder: 784-392-10-392-784 with sigmoid output', () => {
    const ae = createAutoencoder(AE_PRESETS.notebook.model);
    const shapes = ae.model.weights.map((w) => w.shape.join('×'));
    assert.deepEqual(shapes, ['784×392', '392', '392×10', '10', '10×392', '392', '392×784', '784']);
    assert.equal(ae.encoder.outputs[0].shape[1], 10);
    assert.equal(ae.decoder.inputs[0].shape[1], 10);
    // Encoder and decoder share the autoencoder's layers (no copies of the weights).
    assert.equal(ae.encoder.getLayer('bottleneck'), ae.model.getLayer('bottleneck'));
    assert.equal(ae.decoder.getLayer('reconstruction'), ae.model.getLayer('reconstruction'));
    ae.dispose();
  });

  it('builds the notebook VAE with 410,404 parameters, as the notebook prints', () => {
    const vae = createVae(VAE_PRESETS.notebook.model);
    assert.equal(vae.model.countParams(), 410404);
    assert.equal(vae.encoder.countParams(), 200960 + 2570 + 2570);
    assert.equal(vae.decoder.countParams(), 204304);
    vae.dispose();
  });

  it('frees every weight on dispose', () => {
    const baseline = tf.memory().numTensors;
    createAutoencoder({ hidden: [64, 32], latent: 3 }).dispose();
    createVae({ hidden: [32], latent: 2 }).dispose();
    assert.equal(tf.memory().numTensors, baseline);
  });

  it('initialises from the seed: same seed same weights, other seed other weights', () => {
    const read = (seed: number) => {
      const ae = createAutoencoder({ hidden: [16], latent: 2, seed });
      const w = ae.model.getWeights().map((t) => Array.from(t.dataSync()));
      ae.dispose();
      return w;
    };
    assert.deepEqual(read(5), read(5));
    assert.notDeepEqual(read(5), read(6));
  });

  it('rejects bad configurations with messages naming the valid options', () => {
    assert.throws(() => createAutoencoder({ latent: 0 }), isCode('BAD_ARGUMENT'));
    assert.throws(
      () => createAutoencoder({ activation: 'swish' as never }),
      /use one of: relu, linear/,
    );
    assert.throws(() => createVae({ loss: 'kl' as never }), /use notebook or elbo/);
    assert.throws(() => getPreset('ae', 'huge'), /use one of: notebook, quick, web/);
  });
});

describe('VAE loss', () => {
  // x = [0, 1], x̂ = [0.2, 0.6], μ = [0.5, −1], log σ² = [0, ln 2], by hand:
  // MSE = (0.04 + 0.16) / 2 = 0.1, so 2 · MSE = 0.2; KL terms 1 + log σ² − μ² − σ²
  // = [−0.25, ln 2 − 2], so −½ · mean = 0.389213…, and −½ · sum = 0.778426…;
  // BCE summed = −ln 0.8 − ln 0.6 = 0.733969….
  const example = () =>
    [
      tf.tensor2d([[0, 1]]),
      tf.tensor2d([[0.2, 0.6]]),
      tf.tensor2d([[0.5, -1]]),
      tf.tensor2d([[0, Math.LN2]]),
    ] as const;

  it("matches a hand computation of the notebook's formula", () => {
    const [x, xHat, mu, logVar] = example();
    const loss = vaeSampleLosses(x, xHat, mu, logVar, 'notebook');
    const klMean = -0.5 * ((1 + 0 - 0.25 - 1 + (1 + Math.LN2 - 1 - 2)) / 2);
    assert.ok(Math.abs(loss.dataSync()[0] - (0.2 + klMean)) < 1e-6, `${loss.dataSync()[0]}`);
    assert.ok(Math.abs(loss.dataSync()[0] - 0.5892132) < 1e-6);
    tf.dispose([x, xHat, mu, logVar, loss]);
  });

  it('matches a hand computation of the standard ELBO (BCE and KL summed)', () => {
    const [x, xHat, mu, logVar] = example();
    const loss = vaeSampleLosses(x, xHat, mu, logVar, 'elbo');
    const expected = -Math.log(0.8) - Math.log(0.6) + 0.5 * (0.25 + 2 - Math.LN2);
    assert.ok(Math.abs(loss.dataSync()[0] - expected) < 1e-5, `${loss.dataSync()[0]}`);
    tf.dispose([x, xHat, mu, logVar, loss]);
  });
});

describe('Keras validation split', () => {
  it('validates on the LAST part and trains on the first, before any shuffling', () => {
    const { train: t, validation: v } = kerasValidationSplit(fakeImages(20), 0.5);
    assert.deepEqual(Array.from(t.indices), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Array.from(v.indices), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('splits at floor(n · (1 − 0.8)) in float arithmetic, as Keras and TF.js do', () => {
    // 1 − 0.8 is 0.19999999999999996 in doubles, so Keras trains on 1 of 10 and 11,999 of 60,000.
    const tiny = kerasValidationSplit(fakeImages(10), 0.8);
    assert.deepEqual(Array.from(tiny.train.indices), [0]);
    assert.deepEqual(Array.from(tiny.validation.indices), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const mnist = kerasValidationSplit(fakeImages(60000), 0.8);
    assert.equal(mnist.train.indices.length, 11999);
    assert.equal(mnist.validation.indices[0], 11999);
    assert.equal(mnist.validation.indices.length, 48001);
  });

  it('the notebook AE preset selects that split; the VAE validates on the whole test set', () => {
    const ae = selectData(AE_PRESETS.notebook.training, fakeImages(60000));
    assert.equal(ae.train.indices.length, 11999);
    assert.equal(ae.validation?.indices.length, 48001);
    const vae = selectData(VAE_PRESETS.notebook.training, fakeImages(60000), fakeImages(10000));
    assert.equal(vae.train.indices.length, 60000);
    assert.equal(vae.validation?.indices.length, 10000);
    assert.throws(() => kerasValidationSplit(fakeImages(10), 1), isCode('BAD_ARGUMENT'));
  });
});

describe('inference after training', () => {
  it('encodes, reconstructs, decodes and samples with the right shapes, without leaks', async () => {
    const ae = createAutoencoder({ seed: 2 });
    const vae = createVae({ seed: 2 });
    await train(ae, viewOf(test, 0, 256), { epochs: 1, batchSize: 128 });
    const baseline = tf.memory().numTensors;
    const images = viewOf(test, 0, 300);
    for (const model of [ae, vae]) {
      const codes = encodeImages(model, images, { batchSize: 128 });
      assert.equal(codes.length, 300 * 10);
      const rec = reconstructImages(model, images, { batchSize: 128 });
      assert.equal(rec.length, 300 * 784);
      assert.ok(rec.every((p) => p >= 0 && p <= 1));
      const decoded = decodeLatents(model, codes.subarray(0, 3 * 10));
      assert.equal(decoded.length, 3 * 784);
      // Decoding a code gives the reconstruction of its image.
      for (let i = 0; i < 784; i++) assert.ok(Math.abs(decoded[i] - rec[i]) < 1e-5);
    }
    const { images: samples, latents } = sampleFromPrior(vae, 5, 9);
    assert.equal(samples.length, 5 * 784);
    assert.equal(latents.length, 5 * 10);
    assert.deepEqual(sampleFromPrior(vae, 5, 9).latents, latents);
    assert.throws(() => sampleFromPrior(ae, 5), /needs a VAE/);
    assert.throws(() => decodeLatents(ae, new Float32Array(7)), /multiple of the latent size 10/);
    assert.equal(tf.memory().numTensors, baseline);
    ae.dispose();
    vae.dispose();
  });

  it("evaluates the AE's test MSE as the mean squared error over all pixels", () => {
    const ae = createAutoencoder({ seed: 4, hidden: [64] });
    const images = viewOf(test, 0, 250);
    const rec = reconstructImages(ae, images);
    let sum = 0;
    for (let i = 0; i < rec.length; i++) sum += (rec[i] - test.pixels[i] / 255) ** 2;
    const mse = evaluate(ae, images, { batchSize: 100 });
    assert.ok(Math.abs(mse - sum / rec.length) < 1e-6, `${mse} vs ${sum / rec.length}`);
    ae.dispose();
  });
});

describe('save and load (TF.js artifacts)', () => {
  for (const kind of ['ae', 'vae'] as const) {
    it(`round-trips a trained ${kind} to identical predictions`, async () => {
      const model = kind === 'ae' ? createAutoencoder({ seed: 7 }) : createVae({ seed: 7 });
      await train(model, viewOf(test, 0, 256), { epochs: 1, batchSize: 64, seed: 7 });
      const artifacts = await saveArtifacts(model);
      assert.equal(typeof artifacts.modelTopology, 'object');
      assert.ok(artifacts.weightSpecs && artifacts.weightSpecs.length > 0);
      assert.equal((artifacts.userDefinedMetadata?.aeDemo as { kind: string }).kind, kind);
      // The artifacts survive JSON (model.json) plus a binary weights file.
      const json = JSON.parse(
        JSON.stringify({ ...artifacts, weightData: undefined }),
      ) as tf.io.ModelArtifacts;
      const copy = await loadArtifacts({ ...json, weightData: artifacts.weightData });
      assert.equal(copy.kind, kind);
      const images = viewOf(test, 1000, 64);
      assert.deepEqual(reconstructImages(copy, images), reconstructImages(model, images));
      assert.deepEqual(encodeImages(copy, images), encodeImages(model, images));
      model.dispose();
      copy.dispose();
    });
  }

  it('writes model.json and weights.bin in Node and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ae-demo-model-'));
    try {
      const vae = createVae({ hidden: [32], latent: 3, seed: 3 });
      await saveModelFiles(vae, dir);
      assert.deepEqual((await readdir(dir)).sort(), ['model.json', 'weights.bin']);
      const copy = await loadModelFiles(dir);
      assert.equal(copy.kind, 'vae');
      const images = viewOf(test, 0, 16);
      assert.deepEqual(reconstructImages(copy, images), reconstructImages(vae, images));
      vae.dispose();
      copy.dispose();
      await assert.rejects(loadModelFiles(join(dir, 'missing')), isCode('DATA_FETCH_FAILED'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects artifacts without the ae-demo architecture', async () => {
    const ae = createAutoencoder({ hidden: [8], latent: 2 });
    const artifacts = await saveArtifacts(ae);
    await assert.rejects(
      loadArtifacts({ ...artifacts, userDefinedMetadata: {} }),
      /no ae-demo architecture/,
    );
    ae.dispose();
  });
});
