import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AeError, abortError } from '../../src/core/errors.ts';
import type { CompareRow } from '../../src/core/compare.ts';
import {
  parseCli,
  parseKs,
  type CompareCommand,
  type ReproduceCommand,
  type TrainCommand,
} from '../../src/cli/args.ts';
import type { CompareOutcome, CompareRunHooks, CompareSetup } from '../../src/cli/compare.ts';
import { formatCompareProgress } from '../../src/cli/format.ts';
import { main, type CliIo } from '../../src/cli/main.ts';

const isUsageError = (pattern: RegExp) => (e: unknown) =>
  e instanceof AeError && e.code === 'BAD_ARGUMENT' && pattern.test(e.message);

describe('parseCli compare', () => {
  test('defaults: k = 5..10, the notebook preset, a relu bottleneck', () => {
    assert.deepEqual(parseCli(['compare']), {
      command: 'compare',
      ks: [5, 6, 7, 8, 9, 10],
      preset: 'notebook',
      bottleneck: 'relu',
      epochs: 50,
      trainSize: 60000,
      seed: 1,
      json: false,
    } satisfies CompareCommand);
  });

  test('every option', () => {
    assert.deepEqual(
      parseCli([
        'compare',
        '--k=2..4',
        '--preset',
        'notebook',
        '--bottleneck',
        'linear',
        '--seed',
        '3',
        '--epochs',
        '7',
        '--train-size',
        '500',
        '--json',
      ]),
      {
        command: 'compare',
        ks: [2, 3, 4],
        preset: 'notebook',
        bottleneck: 'linear',
        epochs: 7,
        trainSize: 500,
        seed: 3,
        json: true,
      },
    );
    const quick = parseCli(['compare', '--preset', 'quick']) as CompareCommand;
    assert.equal(quick.epochs, 5);
    assert.equal(quick.trainSize, 2000);
    assert.deepEqual((parseCli(['compare', '-k', '7']) as CompareCommand).ks, [7]);
  });

  test('--k: a range, a list or one number, returned ascending', () => {
    assert.deepEqual(parseKs('1..10'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(parseKs('5..5'), [5]);
    assert.deepEqual(parseKs(' 3 .. 4 '), [3, 4]);
    assert.deepEqual(parseKs('5,1,2'), [1, 2, 5]);
    assert.deepEqual(parseKs('10'), [10]);
  });

  test('help', () => {
    assert.deepEqual(parseCli(['compare', '--help']), { command: 'help', topic: 'compare' });
    assert.deepEqual(parseCli(['help', 'compare']), { command: 'help', topic: 'compare' });
    assert.deepEqual(parseCli(['reproduce', '-h']), { command: 'help', topic: 'reproduce' });
    assert.deepEqual(parseCli(['help', 'reproduce']), { command: 'help', topic: 'reproduce' });
  });
});

describe('parseCli reproduce', () => {
  test('defaults: the notebook preset, k = 1..10, into ae-demo-report', () => {
    assert.deepEqual(parseCli(['reproduce']), {
      command: 'reproduce',
      out: 'ae-demo-report',
      preset: 'notebook',
      seed: 1,
      ks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      json: false,
    } satisfies ReproduceCommand);
  });

  test('every option', () => {
    assert.deepEqual(
      parseCli([
        'reproduce',
        '--out',
        'r',
        '--preset=quick',
        '--seed',
        '2',
        '-k',
        '1,3',
        '--jobs',
        '3',
        '--json',
      ]),
      { command: 'reproduce', out: 'r', preset: 'quick', seed: 2, ks: [1, 3], jobs: 3, json: true },
    );
  });

  test('--jobs is kept only when given: the default, all cores, is chosen when it runs', () => {
    assert.equal('jobs' in parseCli(['reproduce']), false);
    assert.equal('jobs' in parseCli(['compare']), false);
    assert.equal((parseCli(['compare', '--jobs', '1']) as CompareCommand).jobs, 1);
  });
});

describe('parseCli train --bottleneck', () => {
  test('ae takes relu or linear; without the option the command has none', () => {
    const linear = parseCli(['train', 'ae', '--bottleneck', 'linear']) as TrainCommand;
    assert.equal(linear.bottleneck, 'linear');
    assert.equal(
      (parseCli(['train', 'ae', '--bottleneck=relu']) as TrainCommand).bottleneck,
      'relu',
    );
    assert.equal('bottleneck' in parseCli(['train', 'ae']), false);
  });
});

const bad: [string[], RegExp][] = [
  [['compare', '--k', '0'], /--k must be from 1 to 10, not 0/],
  [['compare', '--k', '11'], /--k must be from 1 to 10, not 11/],
  [['compare', '--k', '1..11'], /--k must be from 1 to 10, not 11/],
  [['compare', '--k', '6..5'], /--k range 6\.\.5 is empty; write it low\.\.high/],
  [['compare', '--k', '1,,2'], /--k must be a whole number from 1 to 10, not ""/],
  [['compare', '--k', '3..'], /--k must be a whole number from 1 to 10, not "3\.\."/],
  [['compare', '--k', 'five'], /--k must be a whole number from 1 to 10, not "five"/],
  [['compare', '--k', '2,5,2'], /--k lists 2 twice/],
  [['compare', '--k'], /--k needs a value/],
  [['compare', '--bottleneck', 'tanh'], /--bottleneck must be one of relu, linear, not "tanh"/],
  [['compare', '--preset', 'huge'], /--preset must be one of notebook, quick, web/],
  [['compare', '--epochs', '0'], /--epochs must be from 1 to 1000, not 0/],
  [['compare', '--latent', '4'], /unknown option --latent for compare; see --help/],
  [['compare', '--components', '4'], /unknown option --components for compare/],
  [['compare', 'ae'], /unexpected argument "ae" after compare/],
  [['compare', '--jobs', '0'], /--jobs must be from 1 to 64, not 0/],
  [['reproduce', '--jobs', 'all'], /--jobs must be a whole number from 1 to 64, not "all"/],
  [['train', 'ae', '--jobs', '2'], /unknown option --jobs for train/],
  [['reproduce', '--preset', 'web'], /--preset must be one of notebook, quick, not "web"/],
  [['reproduce', '--out', ''], /--out needs a directory/],
  [['reproduce', '--out'], /--out needs a value/],
  [['reproduce', '--k', '0..3'], /--k must be from 1 to 10, not 0/],
  [['reproduce', '--epochs', '3'], /unknown option --epochs for reproduce/],
  [['reproduce', 'now'], /unexpected argument "now" after reproduce/],
  [['train', 'vae', '--bottleneck', 'linear'], /--bottleneck is for ae/],
  [['train', 'ae', '--bottleneck', 'sigmoid'], /--bottleneck must be one of relu, linear/],
  [['pca', '--k', '3'], /unknown option --k for pca/],
  [['fit'], /the commands are pca, train, compare, reproduce/],
];
for (const [argv, pattern] of bad) {
  test(`rejects: ae-demo ${argv.join(' ')}`, () => {
    assert.throws(() => parseCli(argv), isUsageError(pattern));
  });
}

describe('progress formatting', () => {
  test('which k, the epoch bar, losses and the ETA of the whole run', () => {
    const line = formatCompareProgress(
      {
        k: 7,
        index: 2,
        total: 6,
        epoch: 3,
        epochs: 5,
        batchFraction: 0.3,
        loss: 0.04,
        etaSeconds: 95,
      },
      10,
    );
    assert.equal(line, 'k 7 (3/6)  epoch 3/5  [###-------]  30%  loss 0.0400  ETA 1m35s');
  });
});

/** A row with simple numbers: the AE halves PCA's error; k = 3 has one dead unit. */
function fakeRow(k: number): CompareRow {
  return {
    k,
    pcaMse: 0.1 / k,
    aeMse: 0.05 / k,
    deadUnits: k === 3 ? 1 : 0,
    epochs: 2,
    bestEpoch: 2,
    trainSeconds: 1.5,
  };
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  setups: CompareSetup[];
}

/** Runs `main` with a stub comparison that reports progress like the real one. */
async function runStubbed(
  argv: string[],
  { tty = false, fail }: { tty?: boolean; fail?: Error } = {},
): Promise<Captured> {
  const out: Captured = { code: -1, stdout: '', stderr: '', setups: [] };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s), isTTY: tty },
    runCompare: async (setup: CompareSetup, hooks: CompareRunHooks = {}) => {
      out.setups.push(setup);
      hooks.onStage?.('loading MNIST');
      const rows: CompareRow[] = [];
      for (const [index, k] of setup.ks.entries()) {
        hooks.onAeStart?.(k, index, setup.ks.length);
        hooks.onBatch?.({ epoch: 1, batch: 8, batches: 32, fraction: 0.125 }, k);
        if (fail) throw fail;
        hooks.onEpoch?.(
          {
            epoch: 1,
            epochs: 2,
            loss: 0.1,
            valLoss: 0.09,
            samplesPerSecond: 3000,
            etaSeconds: 1,
            numTensors: 26,
          },
          k,
        );
        hooks.onStage?.('evaluating on 10,000 test images');
        rows.push(fakeRow(k));
        hooks.onAeDone?.(k, index, setup.ks.length);
      }
      for (const row of rows) hooks.onRow?.(row);
      return {
        result: {
          rows,
          preset: setup.preset,
          bottleneck: setup.bottleneck,
          seed: setup.seed,
          testCount: 10000,
          trainCount: setup.trainSize,
          validationCount: 1000,
        },
        backend: { name: 'wasm', simd: true, threads: false, matmulFix: true },
        timingsMs: { total: 65000 },
        jobs: 1,
      } satisfies CompareOutcome;
    },
  };
  out.code = await main(argv, io);
  return out;
}

describe('main compare (stubbed)', () => {
  test('--json prints exactly one object with the rows and the settings', async () => {
    const r = await runStubbed(['compare', '--k', '2,3', '--preset', 'quick', '--json'], {
      tty: true,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      rows: [
        { k: 2, pcaMse: 0.05, aeMse: 0.025, deadUnits: 0, epochs: 2 },
        { k: 3, pcaMse: 0.1 / 3, aeMse: 0.05 / 3, deadUnits: 1, epochs: 2 },
      ],
      preset: 'quick',
      bottleneck: 'relu',
      seed: 1,
      testSize: 10000,
      trainSize: 2000,
      validationSize: 1000,
      backend: { name: 'wasm', simd: true, threads: false, matmulFix: true },
    });
    assert.deepEqual(r.setups, [
      { ks: [2, 3], preset: 'quick', bottleneck: 'relu', epochs: 5, trainSize: 2000, seed: 1 },
    ]);
  });

  test('on a terminal: progress on stderr, then the table on stdout', async () => {
    const r = await runStubbed(
      ['compare', '--k', '1..3', '--preset', 'quick', '--bottleneck', 'linear'],
      { tty: true },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /loading MNIST…/);
    assert.match(r.stderr, /k 1 \(1\/3\) {2}epoch 1\/5 {2}\[#+-+\] {2}25%/);
    assert.match(r.stderr, /k 2 \(2\/3\) {2}epoch 2\/2 .*loss 0\.1000 {2}val 0\.0900 .*ETA/);
    assert.match(r.stderr, /k 3 \(3\/3\) {2}evaluating on 10,000 test images…/);
    assert.ok(r.stderr.endsWith('\r\x1b[K'), 'the progress line is cleared at the end');
    assert.ok(!r.stdout.includes('\r') && !r.stdout.includes('\x1b'));
    assert.match(
      r.stdout,
      /^Autoencoder against PCA on 10,000 MNIST test images \(preset quick, linear bottleneck, seed 1\)/,
    );
    assert.match(r.stdout, /^\s+k\s+PCA MSE\s+AE MSE\s+AE\/PCA\s+dead units$/m);
    assert.match(r.stdout, /^\s+1\s+0\.10000\s+0\.05000\s+0\.50\s+0 of 1$/m);
    assert.match(r.stdout, /^\s+3\s+0\.03333\s+0\.01667\s+0\.50\s+1 of 3$/m);
    assert.match(r.stdout, /Dead units output 0 for every test image/);
    assert.match(r.stdout, /Total 1m05s\. Backend: wasm, SIMD/);
  });

  test('no dead units, no note about them; nothing on a piped stderr', async () => {
    const r = await runStubbed(['compare', '--k', '1,2']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /Dead units/);
  });

  test('cancelling (Ctrl-C) exits 130 with one line; the signal reaches the comparison', async () => {
    const controller = new AbortController();
    let stderr = '';
    const code = await main(['compare'], {
      stdout: { write: () => assert.fail('nothing on stdout') },
      stderr: { write: (s: string) => (stderr += s), isTTY: true },
      signal: controller.signal,
      runCompare: async (_setup, hooks = {}) => {
        assert.equal(hooks.signal, controller.signal);
        hooks.onAeStart?.(5, 0, 6);
        controller.abort();
        throw abortError('The comparison');
      },
    });
    assert.equal(code, 130);
    assert.ok(stderr.endsWith('\r\x1b[Kae-demo: The comparison was cancelled.\n'), stderr);
  });

  test('errors: one line; 2 for usage, 1 for runtime', async () => {
    const usage = await runStubbed(['compare', '--k', '0']);
    assert.equal(usage.code, 2);
    assert.equal(usage.stdout, '');
    assert.equal(usage.stderr, 'ae-demo: --k must be from 1 to 10, not 0.\n');
    assert.equal(usage.setups.length, 0);
    const diverged = new AeError('TRAINING_DIVERGED', 'Training diverged at epoch 1, batch 3.');
    const r = await runStubbed(['compare'], { fail: diverged });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ae-demo: Training diverged at epoch 1, batch 3.\n');
  });

  test('help lists and documents the commands', async () => {
    const top = await runStubbed(['--help']);
    assert.match(top.stdout, /^\s+compare\s+autoencoder against PCA/m);
    assert.match(top.stdout, /^\s+reproduce\s+rerun the reference notebook/m);
    const compare = await runStubbed(['compare', '--help']);
    assert.equal(compare.code, 0);
    assert.match(compare.stdout, /^Usage: ae-demo compare \[--k 5\.\.10\]/);
    assert.equal((await runStubbed(['help', 'compare'])).stdout, compare.stdout);
    for (const option of [
      '--k',
      '--preset',
      '--bottleneck',
      '--seed',
      '--epochs',
      '--train-size',
    ]) {
      assert.match(compare.stdout, new RegExp(`^\\s+${option} `, 'm'));
    }
    const reproduce = await runStubbed(['reproduce', '--help']);
    assert.match(reproduce.stdout, /^Usage: ae-demo reproduce \[--out DIR\]/);
    for (const option of ['--out', '--preset', '--seed', '--k', '--json']) {
      assert.match(reproduce.stdout, new RegExp(`^\\s+${option} `, 'm'));
    }
    assert.match((await runStubbed(['train', '--help'])).stdout, /^\s+--bottleneck B\s+ae only/m);
  });
});

describe('main reproduce (stubbed)', () => {
  const outcome = {
    outDir: '/abs/r',
    files: ['/abs/r/report.json', '/abs/r/report.html', '/abs/r/ae/model.json', '/elsewhere/x'],
    summary: [
      'PCA MSE at k = 10: 0.0339 (notebook 0.0339)',
      'AE test MSE: 0.0201 (notebook 0.0203)',
    ],
    report: { schema: 1, pca: { mseK10: 0.0339 } },
  };

  async function run(argv: string[], tty = false) {
    const out = { code: -1, stdout: '', stderr: '', setups: [] as unknown[] };
    out.code = await main(argv, {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s), isTTY: tty },
      runReproduce: async (setup, hooks = {}) => {
        out.setups.push(setup);
        hooks.onProgress?.('training the autoencoder', 0.25);
        hooks.onProgress?.('writing the report');
        return outcome;
      },
    });
    return out;
  }

  test('passes the setup and prints the summary and the files', async () => {
    const r = await run(['reproduce', '--out', 'r', '--preset', 'quick', '--k', '9..10'], true);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.setups, [{ out: 'r', preset: 'quick', seed: 1, ks: [9, 10] }]);
    assert.match(r.stderr, /training the autoencoder 25%/);
    assert.match(r.stderr, /writing the report/);
    assert.ok(r.stderr.endsWith('\r\x1b[K'));
    assert.equal(
      r.stdout,
      'PCA MSE at k = 10: 0.0339 (notebook 0.0339)\nAE test MSE: 0.0201 (notebook 0.0203)\n\n' +
        'Wrote /abs/r:\n  report.json\n  report.html\n  ae/model.json\n  /elsewhere/x\n',
    );
  });

  test('--json prints report.json and nothing else', async () => {
    const r = await run(['reproduce', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, JSON.stringify(outcome.report) + '\n');
  });
});

// The real thing, small: two latent sizes, 200 training images for one epoch, scored
// (and PCA fitted) on all 10,000 test images. A few seconds here.
test('end to end: compare --json measures PCA and the AE on the test set', async () => {
  let stdout = '';
  let stderr = '';
  const argv = ['compare', '--k', '1,2', '--preset', 'quick', '--epochs', '1'];
  argv.push('--train-size', '200', '--bottleneck', 'linear', '--json');
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const json = JSON.parse(stdout);
  assert.equal(json.testSize, 10000);
  assert.equal(json.trainSize, 200);
  assert.equal(json.bottleneck, 'linear');
  assert.deepEqual(
    json.rows.map((r: { k: number }) => r.k),
    [1, 2],
  );
  // The PCA errors of `ae-demo pca --split test` at k = 1 (the README's table) and k = 2.
  assert.ok(Math.abs(json.rows[0].pcaMse - 0.0606355) < 1e-6, `${json.rows[0].pcaMse}`);
  assert.ok(Math.abs(json.rows[1].pcaMse - 0.0555499) < 1e-6, `${json.rows[1].pcaMse}`);
  for (const row of json.rows) {
    assert.equal(row.deadUnits, 0);
    assert.equal(row.epochs, 1);
    assert.ok(row.aeMse > 0 && row.aeMse < 0.25, `${row.aeMse}`);
  }
});
