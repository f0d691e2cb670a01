import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AeError, abortError } from '../../src/core/errors.ts';
import { parseCli, type TrainCommand } from '../../src/cli/args.ts';
import { formatEta, formatTrainProgress } from '../../src/cli/format.ts';
import { main, type CliIo } from '../../src/cli/main.ts';
import type { TrainHooks, TrainOutcome, TrainSetup } from '../../src/cli/train.ts';

describe('parseCli train', () => {
  test('defaults come from the quick preset', () => {
    assert.deepEqual(parseCli(['train', 'ae']), {
      command: 'train',
      kind: 'ae',
      preset: 'quick',
      epochs: 5,
      latent: 10,
      trainSize: 2000,
      seed: 1,
      json: false,
    } satisfies TrainCommand);
  });

  test('every option overrides the preset', () => {
    assert.deepEqual(
      parseCli([
        'train',
        'vae',
        '--preset=notebook',
        '--epochs',
        '3',
        '--latent=2',
        '--train-size',
        '500',
        '--seed',
        '0',
        '--save',
        'out/vae',
        '--json',
      ]),
      {
        command: 'train',
        kind: 'vae',
        preset: 'notebook',
        epochs: 3,
        latent: 2,
        trainSize: 500,
        seed: 0,
        save: 'out/vae',
        json: true,
      },
    );
    assert.equal((parseCli(['train', 'ae', '--preset', 'notebook']) as TrainCommand).epochs, 50);
    assert.deepEqual(
      (parseCli(['train', 'ae', '--denoise', 'gaussian:0.3']) as TrainCommand).denoise,
      {
        kind: 'gaussian',
        sigma: 0.3,
      },
    );
    assert.deepEqual((parseCli(['train', 'vae', '--denoise=MASK:.5']) as TrainCommand).denoise, {
      kind: 'mask',
      fraction: 0.5,
    });
  });

  test('help', () => {
    assert.deepEqual(parseCli(['train', '--help']), { command: 'help', topic: 'train' });
    assert.deepEqual(parseCli(['train', 'gan', '-h']), { command: 'help', topic: 'train' });
    assert.deepEqual(parseCli(['help', 'train']), { command: 'help', topic: 'train' });
  });

  const bad: [string[], RegExp][] = [
    [['train'], /train needs a model: .*ae.*vae/],
    [['train', 'gan'], /train trains ae or vae, not "gan"/],
    [['train', 'ae', 'extra'], /unexpected argument "extra" after train ae/],
    [['train', 'ae', '--preset', 'huge'], /--preset must be one of notebook, quick, web/],
    [['train', 'ae', '--epochs', '0'], /--epochs must be from 1 to 1000, not 0/],
    [['train', 'ae', '--epochs', '1001'], /--epochs must be from 1 to 1000, not 1001/],
    [['train', 'ae', '--epochs', '2.5'], /--epochs must be a whole number.*"2\.5"/],
    [['train', 'ae', '--latent', '0'], /--latent must be from 1 to 392, not 0/],
    [['train', 'ae', '--latent', '393'], /--latent must be from 1 to 392, not 393/],
    [['train', 'ae', '--train-size', '60001'], /--train-size must be from 1 to 60000/],
    [['train', 'ae', '--loss', 'elbo'], /--loss is for vae/],
    [['train', 'vae', '--loss', 'kl'], /--loss must be one of notebook, elbo, not "kl"/],
    [['train', 'ae', '--train-size', 'all'], /--train-size must be a whole number.*"all"/],
    [['train', 'ae', '--seed', '-1'], /--seed must be from 0 to 4294967295, not -1/],
    [['train', 'ae', '--epochs'], /--epochs needs a value/],
    [['train', 'ae', '--save', ''], /--save needs a directory/],
    [['train', 'ae', '--denoise', 'salt:0.1'], /--denoise: Noise "salt:0\.1" is not KIND:LEVEL/],
    [
      ['train', 'ae', '--denoise', 'gaussian:0'],
      /--denoise: Gaussian noise .* above 0 and at most 1/,
    ],
    [['train', 'ae', '--denoise', 'mask:1'], /--denoise: Masking noise .* below 1, got 1/],
    [['train', 'ae', '--components', '3'], /unknown option --components for train/],
    [['pca', '--epochs', '3'], /unknown option --epochs for pca/],
    [['fit'], /unknown command "fit"; the commands are pca, train/],
  ];
  for (const [argv, pattern] of bad) {
    test(`rejects: ae-demo ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseCli(argv),
        (e: unknown) =>
          e instanceof AeError && e.code === 'BAD_ARGUMENT' && pattern.test(e.message),
      );
    });
  }
});

describe('progress formatting', () => {
  test('the bar, losses, speed and ETA', () => {
    const line = formatTrainProgress(
      {
        epoch: 2,
        epochs: 5,
        batchFraction: 0.5,
        loss: 0.05,
        valLoss: 0.04,
        samplesPerSecond: 2940.4,
        etaSeconds: 75,
      },
      10,
    );
    assert.equal(
      line,
      'epoch 2/5  [#####-----]  50%  loss 0.0500  val 0.0400  2,940 samples/s  ETA 1m15s',
    );
    assert.equal(formatEta(3725), '1h02m');
    assert.equal(formatEta(Infinity), '?');
  });
});

/** A training outcome of the right shape with simple numbers. */
function fakeOutcome(setup: TrainSetup): TrainOutcome {
  const epochs = Math.min(setup.epochs, 3);
  return {
    images: { rows: 28, cols: 28, heldOut: false },
    plan: { trainCount: setup.trainSize ?? 3000, validationCount: 1000, batchSize: 64, epochs },
    result: {
      history: {
        loss: Array.from({ length: epochs }, (_, i) => 0.1 / (i + 1)),
        valLoss: Array.from({ length: epochs }, (_, i) => 0.09 / (i + 1)),
      },
      epochs,
      bestEpoch: epochs,
      stoppedEarly: false,
      restoredBestWeights: false,
      samplesPerSecond: 3000,
      numTensorsPerEpoch: Array(epochs).fill(26),
      seconds: 1,
    },
    epochSamplesPerSecond: Array(epochs).fill(3000),
    testScore: setup.kind === 'ae' ? 0.0321 : 31.5,
    testCount: 10000,
    backend: { name: 'wasm', simd: true, threads: false, matmulFix: true },
    timingsMs: { train: 1000, evaluate: 200, total: 1500 },
    ...(setup.save ? { savedTo: `/abs/${setup.save}` } : {}),
  };
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  setups: TrainSetup[];
  hooks: TrainHooks[];
}

/** Runs `main` with a stub trainer that reports progress like the real one. */
async function runStubbed(
  argv: string[],
  { tty = false, fail }: { tty?: boolean; fail?: Error } = {},
): Promise<Captured> {
  const out: Captured = { code: -1, stdout: '', stderr: '', setups: [], hooks: [] };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s), isTTY: tty },
    runTraining: async (setup, hooks = {}) => {
      out.setups.push(setup);
      out.hooks.push(hooks);
      hooks.onStage?.('loading MNIST');
      const outcome = fakeOutcome(setup);
      hooks.onPlan?.(outcome.plan);
      hooks.onBatch?.({ epoch: 1, batch: 16, batches: 32, fraction: 0.5 / outcome.plan.epochs });
      if (fail) throw fail;
      hooks.onEpoch?.({
        epoch: 1,
        epochs: outcome.plan.epochs,
        loss: 0.1,
        valLoss: 0.09,
        samplesPerSecond: 3000,
        etaSeconds: 2,
        numTensors: 26,
      });
      return outcome;
    },
  };
  out.code = await main(argv, io);
  return out;
}

describe('main train (stubbed training)', () => {
  test('--json prints one object with the fields the issue names, and nothing else', async () => {
    const r = await runStubbed(['train', 'ae', '--epochs', '2', '--latent', '4', '--json'], {
      tty: true,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json, {
      kind: 'ae',
      preset: 'quick',
      history: { loss: [0.1, 0.05], valLoss: [0.09, 0.045] },
      epochs: 2,
      bestEpoch: 2,
      stoppedEarly: false,
      testMse: 0.0321,
      testSize: 10000,
      samplesPerSecond: 3000,
      numTensorsPerEpoch: [26, 26],
      backend: { name: 'wasm', simd: true, threads: false, matmulFix: true },
      trainSize: 2000,
      validationSize: 1000,
      latent: 4,
      bottleneck: 'relu',
      seed: 1,
      timingsMs: { train: 1000, evaluate: 200, total: 1500 },
    });
    assert.deepEqual(r.setups[0], {
      kind: 'ae',
      preset: 'quick',
      epochs: 2,
      latent: 4,
      trainSize: 2000,
      seed: 1,
      save: undefined,
    });
  });

  test('the VAE reports testLoss, not testMse, and has no bottleneck', async () => {
    const json = JSON.parse((await runStubbed(['train', 'vae', '--json'])).stdout);
    assert.equal(json.testLoss, 31.5);
    assert.equal('testMse' in json, false);
    assert.equal('bottleneck' in json, false);
    assert.equal(json.loss, 'notebook');
  });

  test('--loss elbo reaches training and the report', async () => {
    const r = await runStubbed(['train', 'vae', '--loss', 'elbo', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.setups[0].loss, 'elbo');
    assert.equal(JSON.parse(r.stdout).loss, 'elbo');
  });

  test('--bottleneck linear reaches training and the report', async () => {
    const r = await runStubbed(['train', 'ae', '--bottleneck', 'linear']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.setups[0].bottleneck, 'linear');
    assert.match(
      r.stdout,
      /^Trained an autoencoder \(preset quick, latent 10, linear bottleneck, seed 1\)/,
    );
  });

  test('on a terminal: a progress bar on stderr, then the summary on stdout', async () => {
    const r = await runStubbed(['train', 'ae', '--epochs', '3', '--save', 'm'], { tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /loading MNIST/);
    assert.match(r.stderr, /epoch 1\/3 {2}\[#+-+\] {2}50%.*ETA/);
    assert.match(
      r.stderr,
      /epoch 2\/3 .*loss 0\.1000 {2}val 0\.0900 {2}3,000 samples\/s {2}ETA 2s/,
    );
    assert.ok(r.stderr.endsWith('\r\x1b[K'), 'the progress line is cleared at the end');
    assert.ok(
      !r.stdout.includes('\r') && !r.stdout.includes('\x1b'),
      'no terminal codes on stdout',
    );
    assert.match(r.stdout, /^Trained an autoencoder \(preset quick, latent 10, seed 1\) on 2,000/);
    assert.match(r.stdout, /^\s+3\s+0\.03333\s+0\.03000\s+3,000$/m);
    assert.match(r.stdout, /Test MSE on 10,000 test images: 0\.03210/);
    assert.match(r.stdout, /Backend: wasm, SIMD, single thread, transposed-matmul fix on/);
    assert.match(r.stdout, /Saved the model to \/abs\/m \(model\.json \+ weights\.bin\)/);
  });

  test('no progress when stderr is not a terminal', async () => {
    const r = await runStubbed(['train', 'ae']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
  });

  test('cancelling (Ctrl-C) exits 130 with one line; the signal reaches training', async () => {
    const controller = new AbortController();
    let stderr = '';
    const code = await main(['train', 'ae'], {
      stdout: { write: () => {} },
      stderr: { write: (s: string) => (stderr += s), isTTY: true },
      signal: controller.signal,
      runTraining: async (_setup, hooks = {}) => {
        assert.equal(hooks.signal, controller.signal);
        hooks.onStage?.('loading MNIST');
        controller.abort();
        throw abortError('Training');
      },
    });
    assert.equal(code, 130);
    assert.ok(stderr.endsWith('\r\x1b[Kae-demo: Training was cancelled.\n'), stderr);
  });

  test('errors: one line; 2 for usage, 1 for runtime', async () => {
    for (const argv of [
      ['train', 'ae', '--latent', '999'],
      ['train', 'rbm'],
    ]) {
      const r = await runStubbed(argv);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^ae-demo: [^\n]+\n$/);
      assert.equal(r.setups.length, 0);
    }
    const diverged = new AeError('TRAINING_DIVERGED', 'Training diverged at epoch 1, batch 3.');
    const r = await runStubbed(['train', 'ae'], { fail: diverged });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ae-demo: Training diverged at epoch 1, batch 3.\n');
  });

  test('help lists and documents the command', async () => {
    const top = await runStubbed(['--help']);
    assert.match(top.stdout, /^\s+train\s+train an autoencoder or a VAE/m);
    const help = await runStubbed(['train', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: ae-demo train ae\|vae/);
    assert.match(help.stdout, /quick .*\n.*well under a minute/);
    for (const option of ['--preset', '--epochs', '--latent', '--train-size', '--seed', '--save']) {
      assert.match(help.stdout, new RegExp(`^\\s+${option} `, 'm'));
    }
  });
});

// The real thing, small: 256 images, 2 epochs (so that a constant tensor count per epoch
// means something), latent 4, scored on all 10,000 test images. About 3 s here.
test('end to end: train ae --json trains, scores and saves', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ae-demo-train-'));
  try {
    let stdout = '';
    let stderr = '';
    const argv = ['train', 'ae', '--preset', 'quick', '--epochs', '2', '--train-size', '256'];
    argv.push('--latent', '4', '--save', join(dir, 'model'), '--json');
    const code = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
    });
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const json = JSON.parse(stdout);
    assert.equal(json.kind, 'ae');
    assert.equal(json.preset, 'quick');
    assert.equal(json.epochs, 2);
    assert.equal(json.trainSize, 256);
    assert.equal(json.validationSize, 1000);
    assert.equal(json.latent, 4);
    assert.equal(json.seed, 1);
    assert.equal(json.testSize, 10000);
    assert.equal(json.history.loss.length, 2);
    assert.equal(json.history.valLoss.length, 2);
    for (const x of [...json.history.loss, ...json.history.valLoss, json.testMse]) {
      assert.ok(Number.isFinite(x) && x > 0 && x < 1, `loss ${x}`);
    }
    // An untrained sigmoid decoder outputs about 0.5 everywhere (MSE ≈ 0.23); two epochs must beat it.
    assert.ok(json.history.loss[1] < json.history.loss[0], `${json.history.loss}`);
    assert.ok(json.testMse < 0.2, `test MSE ${json.testMse}`);
    assert.equal(json.numTensorsPerEpoch.length, 2);
    assert.equal(json.numTensorsPerEpoch[0], json.numTensorsPerEpoch[1]);
    assert.ok(json.samplesPerSecond > 0);
    assert.equal(json.backend.name, 'wasm');
    assert.equal(typeof json.backend.simd, 'boolean');
    assert.equal(typeof json.backend.threads, 'boolean');
    assert.equal(typeof json.backend.matmulFix, 'boolean');
    for (const key of ['train', 'evaluate', 'total']) assert.ok(json.timingsMs[key] > 0, key);
    assert.ok(json.timingsMs.total >= json.timingsMs.train + json.timingsMs.evaluate);

    assert.equal(json.savedTo, join(dir, 'model'));
    const modelJson = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
    assert.deepEqual(modelJson.weightsManifest[0].paths, ['./weights.bin']);
    // Kernels 784×392 and 392×4, mirrored in the decoder; biases 392, 4, 392, 784; float32.
    const params = 2 * (784 * 392 + 392 * 4) + 392 + 4 + 392 + 784;
    assert.equal((await stat(join(dir, 'model', 'weights.bin'))).size, 4 * params);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
