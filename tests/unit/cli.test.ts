import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Dataset } from '../../src/core/data/idx.ts';
import { AeError } from '../../src/core/errors.ts';
import type { PcaInput, PcaOptions, PcaResult } from '../../src/core/pca.ts';
import { parseCli, type CliCommand } from '../../src/cli/args.ts';
import { formatPcaTable, pcaReport } from '../../src/cli/format.ts';
import { main, type CliIo } from '../../src/cli/main.ts';

const root = join(import.meta.dirname, '../..');

/** A 4-image, 2×3-pixel dataset; the stub PCA never looks at the pixels. */
const dataset: Dataset = {
  count: 4,
  rows: 2,
  cols: 3,
  pixels: new Uint8Array(24),
  labels: Uint8Array.of(1, 2, 3, 4),
};

/** A PCA result of the contract's shape, with simple numbers. */
function fakeResult(input: PcaInput, options: PcaOptions = {}): PcaResult {
  const k = options.components ?? 10;
  const n = input.features;
  const eigenvalues = Float64Array.from({ length: n }, (_, i) => 2 ** (n - i));
  const sum = eigenvalues.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulativeVariance = eigenvalues.map((v) => (acc += v) / sum);
  return {
    samples: input.samples,
    features: n,
    components: k,
    mean: new Float64Array(n),
    eigenvalues,
    powerEigenvalues: eigenvalues.slice(0, k),
    vectors: new Float64Array(k * n),
    cumulativeVariance,
    componentsFor90: cumulativeVariance.findIndex((c) => c >= 0.9) + 1,
    reconstructionMse: Float64Array.from({ length: k }, (_, i) => 0.1 / (i + 1)),
    scores: new Float32Array(0),
    scoreDims: 0,
    iterations: 42,
    tolerance: 1e-9,
    residual: 5e-10,
    converged: true,
    timingsMs: { gram: 1, spectrum: 2, eigenvectors: 3, projection: 4, total: 10 },
    kernel: { simd: true, threads: false },
    gramPath: 'dense',
  };
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  calls: { input: PcaInput; options?: PcaOptions }[];
}

/** Runs `main` with a stub loader and PCA; `tty` makes stderr look like a terminal. */
async function runStubbed(argv: string[], { tty = false, data = dataset } = {}): Promise<Captured> {
  const out: Captured = { code: -1, stdout: '', stderr: '', calls: [] };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s), isTTY: tty },
    loadData: async (choice) => {
      if (choice.kind === 'files' && choice.images.includes('missing')) {
        throw new AeError('DATA_FETCH_FAILED', `Cannot read ${choice.images}: no such file.`);
      }
      return data;
    },
    pca: async (input, options) => {
      out.calls.push({ input, options });
      options?.onProgress?.({ stage: 'gram', fraction: 0.4 });
      options?.onProgress?.({ stage: 'projection', fraction: 1 });
      return fakeResult(input, options);
    },
  };
  out.code = await main(argv, io);
  return out;
}

/** One line on stderr, prefixed `ae-demo: `, no stack trace. */
function assertOneLineError(r: Captured, code: number, pattern: RegExp) {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^ae-demo: [^\n]+\n$/);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/);
}

describe('parseCli', () => {
  test('defaults', () => {
    assert.deepEqual(parseCli(['pca']), {
      command: 'pca',
      data: { kind: 'mnist', split: 'test' },
      components: 10,
      kernel: 'auto',
      json: false,
    } satisfies CliCommand);
  });

  test('every option, in both spellings', () => {
    assert.deepEqual(
      parseCli(['pca', '--split=train', '-k', '20', '--kernel', 'scalar', '--json']),
      {
        command: 'pca',
        data: { kind: 'mnist', split: 'train' },
        components: 20,
        kernel: 'scalar',
        json: true,
      },
    );
    assert.deepEqual(parseCli(['pca', '--images', 'a.gz', '--labels=b', '--components=800']), {
      command: 'pca',
      data: { kind: 'files', images: 'a.gz', labels: 'b' },
      components: 800,
      kernel: 'auto',
      json: false,
    });
    // Labels are optional: without them nothing is coloured, and the PCA is the same.
    assert.deepEqual(parseCli(['pca', '--images', 'my.csv']), {
      command: 'pca',
      data: { kind: 'files', images: 'my.csv' },
      components: 10,
      kernel: 'auto',
      json: false,
    });
  });

  test('help and version', () => {
    assert.deepEqual(parseCli(['--help']), { command: 'help' });
    assert.deepEqual(parseCli(['-h']), { command: 'help' });
    assert.deepEqual(parseCli(['pca', '--help']), { command: 'help', topic: 'pca' });
    assert.deepEqual(parseCli(['help', 'pca']), { command: 'help', topic: 'pca' });
    assert.deepEqual(parseCli(['pca', '--split', 'nope', '-h']), { command: 'help', topic: 'pca' });
    assert.deepEqual(parseCli(['--version']), { command: 'version' });
  });

  const bad: [string[], RegExp][] = [
    [[], /no command/],
    [['fit'], /unknown command "fit"/],
    [['pca', '--foo'], /unknown option --foo/],
    [['pca', '-x'], /unknown option -x/],
    [['--split', 'test'], /unknown option --split.*after the command/],
    [['pca', 'extra'], /unexpected argument "extra"/],
    [['pca', '--split', 'validation'], /--split must be one of test, train/],
    [['pca', '--split'], /--split needs a value/],
    [['pca', '--components', '--json'], /--components needs a value/],
    [['pca', '--components', '0'], /from 1 to 784, not 0/],
    [['pca', '--components', '-3'], /from 1 to 784, not -3/],
    [['pca', '--components', '785'], /from 1 to 784, not 785/],
    [['pca', '--components', '2.5'], /whole number.*"2\.5"/],
    [['pca', '--components', 'ten'], /whole number.*"ten"/],
    [['pca', '--components', '1e3'], /whole number/],
    [['pca', '--components', '3', '-k', '4'], /given twice/],
    [['pca', '--kernel', 'gpu'], /--kernel must be one of auto, simd, scalar/],
    [['pca', '--json=yes'], /--json takes no value/],
    [['pca', '--labels', 'a'], /--labels goes with --images/],
    [['pca', '--split', 'test', '--images', 'a', '--labels', 'b'], /either --split or --images/],
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

describe('main', () => {
  test('--json prints one parseable object and nothing else', async () => {
    const r = await runStubbed(['pca', '--json', '-k', '3', '--kernel', 'simd'], { tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    const json = JSON.parse(r.stdout);
    assert.equal(json.split, 'test');
    assert.equal(json.samples, 4);
    assert.equal(json.features, 6);
    assert.equal(json.eigenvalues.length, 6);
    assert.equal(json.cumulativeVariance.length, 6);
    assert.equal(json.componentsFor90, 4);
    assert.deepEqual(json.reconstructionMse, [0.1, 0.05, 0.1 / 3]);
    assert.equal(json.timingsMs.total, 10);
    assert.deepEqual(json.kernel, { simd: true, threads: false });
    assert.equal(json.converged, true);
    assert.deepEqual(r.calls[0].input, { samples: 4, features: 6, pixels: dataset.pixels });
    assert.equal(r.calls[0].options?.components, 3);
    assert.equal(r.calls[0].options?.kernel, 'simd');
  });

  test('progress goes to a terminal stderr only', async () => {
    const tty = await runStubbed(['pca', '-k', '2'], { tty: true });
    assert.match(tty.stderr, /gram 40%/);
    assert.ok(tty.stderr.endsWith('\r\x1b[K'), 'the progress line is cleared at the end');
    assert.doesNotMatch(tty.stdout, /gram 40%|\r/);
    const piped = await runStubbed(['pca', '-k', '2']);
    assert.equal(piped.stderr, '');
  });

  test('the table shows the figures', async () => {
    const r = await runStubbed(['pca', '-k', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /MNIST test split: 4 samples × 6 features/);
    assert.match(r.stdout, /Components for 90% of the variance: 4 \(they explain 95\.24%\)/);
    assert.match(r.stdout, /^\s+1\s+64\.0000\s+50\.79%\s+0\.1000000$/m);
    assert.match(r.stdout, /^\s+3\s+16\.0000\s+88\.89%\s+0\.0333333$/m);
    assert.match(r.stdout, /total 10 ms/);
    assert.match(r.stdout, /Kernel: SIMD, single-threaded/);
    assert.match(r.stdout, /converged in 42 iterations \(residual 5\.0e-10\)/);
  });

  test('own files are named in the report and the table', () => {
    const choice = { kind: 'files', images: 'my-images.gz', labels: 'my-labels' } as const;
    const report = pcaReport(choice, fakeResult({ samples: 4, features: 6 }, { components: 2 }));
    assert.equal(report.split, 'files');
    assert.equal(report.images, 'my-images.gz');
    assert.equal(report.labels, 'my-labels');
    assert.deepEqual(report.eigenvalues, [64, 32, 16, 8, 4, 2]);
    assert.match(formatPcaTable(report), /^PCA of my-images\.gz \+ my-labels: 4 samples/);
  });

  test('help and version exit 0 on stdout', async () => {
    for (const argv of [['--help'], ['pca', '--help']]) {
      const r = await runStubbed(argv);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: ae-demo/);
      assert.equal(r.stderr, '');
    }
    const v = await runStubbed(['--version']);
    assert.match(v.stdout, /^ae-demo \d+\.\d+\.\d+\n$/);
  });

  test('usage errors: one line, exit 2', async () => {
    assertOneLineError(await runStubbed(['pca', '--split', 'x']), 2, /--split must be one of/);
    assertOneLineError(await runStubbed(['pca', '--nope']), 2, /unknown option --nope/);
    // Own files: K is checked against their pixel count once they are read.
    const r = await runStubbed(['pca', '--images', 'a', '--labels', 'b', '-k', '7']);
    assertOneLineError(r, 2, /from 1 to 6 \(the pixels per image\), not 7/);
    assert.equal(r.calls.length, 0);
  });

  test('runtime errors: one line, exit 1', async () => {
    const r = await runStubbed(['pca', '--images', 'missing.gz', '--labels', 'b'], { tty: true });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ae-demo: Cannot read missing\.gz: no such file\.\n$/);
    assert.equal(r.stderr.split('\n').length, 2);
    // An unexpected (non-AeError) failure is still one line.
    const io: CliIo = {
      stdout: { write: () => {} },
      stderr: { write: (s: string) => (stderr += s) },
      loadData: async () => dataset,
      pca: async () => {
        throw new TypeError('boom\nsecond line');
      },
    };
    let stderr = '';
    assert.equal(await main(['pca', '-k', '2'], io), 1);
    assert.equal(stderr, 'ae-demo: unexpected error: boom second line\n');
  });
});

describe('bin/ae-demo.js', () => {
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(root, 'bin/ae-demo.js'), ...args], {
      cwd: root,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  test('--help, a bad argument and a missing file', async () => {
    const help = await run('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: ae-demo/);
    const bad = await run('pca', '--components', 'x');
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^ae-demo: --components must be a whole number[^\n]*\n$/);
    const missing = await run('pca', '--images', '/nonexistent/i.gz', '--labels', '/nonexistent/l');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ae-demo: Cannot read \/nonexistent\/[il][^\n]*\n$/);
  });
});

// The reference analysis: on the 10,000 test images 84 components explain 90%
// of the variance, and PCA reconstruction MSE at k = 10 is 0.0339026.
test('end to end: pca --split test --json reproduces the reference numbers', async () => {
  let stdout = '';
  let stderr = '';
  const code = await main(['pca', '--split', 'test', '--json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const json = JSON.parse(stdout);
  assert.equal(json.split, 'test');
  assert.equal(json.samples, 10000);
  assert.equal(json.features, 784);
  assert.equal(json.cumulativeVariance.length, 784);
  assert.ok(json.eigenvalues.length >= 10);
  for (let i = 1; i < json.eigenvalues.length; i++) {
    assert.ok(json.eigenvalues[i] <= json.eigenvalues[i - 1]);
  }
  assert.equal(json.componentsFor90, 84);
  assert.ok(
    Math.abs(json.cumulativeVariance[83] - 0.900716) < 1e-6,
    `${json.cumulativeVariance[83]}`,
  );
  assert.equal(json.reconstructionMse.length, 10);
  assert.ok(
    Math.abs(json.reconstructionMse[9] - 0.0339026) < 1e-6,
    `MSE at k=10: ${json.reconstructionMse[9]}`,
  );
  assert.ok(json.timingsMs.total > 0);
  assert.equal(json.converged, true);
  assert.equal(typeof json.kernel.simd, 'boolean');
  assert.equal(typeof json.kernel.threads, 'boolean');
});
