import { formatNoise } from '../core/noise.ts';
import type { PcaResult } from '../core/pca.ts';
import type { CompareCommand, DataChoice, TrainCommand } from './args.ts';
import type { CompareOutcome } from './compare.ts';
import type { TrainOutcome } from './train.ts';

/** What `ae-demo pca --json` prints: plain numbers and arrays, one object. */
export interface PcaReport {
  /** 'test' or 'train' for MNIST, 'files' for --images/--labels. */
  split: 'test' | 'train' | 'files';
  /** The idx files, when they were given. */
  images?: string;
  labels?: string;
  samples: number;
  features: number;
  /** K. */
  components: number;
  /** Every eigenvalue of the covariance matrix, descending. */
  eigenvalues: number[];
  /** Fraction of the variance explained by the first 1, 2, … components (one per feature). */
  cumulativeVariance: number[];
  /** Fewest components explaining at least 90% of the variance. */
  componentsFor90: number;
  /** Mean squared reconstruction error per pixel with k = 1..K components. */
  reconstructionMse: number[];
  /** Block power iterations, the largest relative residual ‖Cv − λv‖ / λ1, and whether it met the tolerance. */
  iterations: number;
  residual: number;
  converged: boolean;
  timingsMs: PcaResult['timingsMs'];
  kernel: PcaResult['kernel'];
  /** Which exact Gram pass ran: over every pixel (`dense`) or the non-zero ones (`sparse`). */
  gramPath: PcaResult['gramPath'];
}

/** The report of one PCA run (a pure function of its result). */
export function pcaReport(data: DataChoice, result: PcaResult): PcaReport {
  const where =
    data.kind === 'mnist'
      ? { split: data.split }
      : {
          split: 'files' as const,
          images: data.images,
          ...(data.labels !== undefined ? { labels: data.labels } : {}),
        };
  return {
    ...where,
    samples: result.samples,
    features: result.features,
    components: result.components,
    eigenvalues: Array.from(result.eigenvalues),
    cumulativeVariance: Array.from(result.cumulativeVariance),
    componentsFor90: result.componentsFor90,
    reconstructionMse: Array.from(result.reconstructionMse),
    iterations: result.iterations,
    residual: result.residual,
    converged: result.converged,
    timingsMs: { ...result.timingsMs },
    kernel: { simd: result.kernel.simd, threads: result.kernel.threads },
    gramPath: result.gramPath,
  };
}

/** `ae-demo pca --json`: the report on one line. */
export function formatPcaJson(report: PcaReport): string {
  return JSON.stringify(report) + '\n';
}

const percent = (f: number) => `${(100 * f).toFixed(2)}%`;

/** The TF.js backend a run used. */
export interface BackendReport {
  name: string;
  simd: boolean;
  threads: boolean;
  matmulFix: boolean;
}

/** What `ae-demo train --json` prints: plain numbers and arrays, one object. */
export interface TrainReport {
  kind: 'ae' | 'vae';
  preset: string;
  /** Per epoch: mean training loss, and validation loss (null for an epoch without one). */
  history: { loss: number[]; valLoss: (number | null)[] };
  /** Epochs run, and the 1-based epoch whose weights the model holds. */
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  /** AE: reconstruction MSE per pixel on the test images. */
  testMse?: number;
  /** VAE: its training loss on the test images. */
  testLoss?: number;
  /** With --denoise: the noise, and the noisy test images' MSE against the clean ones (testMse is then the denoised output's). */
  denoise?: string;
  noisyMse?: number;
  /** Test images scored (10,000 from the command line). */
  testSize: number;
  /** With --images: the author's files, the image shape and where the test images came from. */
  data?: {
    images: string;
    rows: number;
    cols: number;
    /** The test file, or 'held-out' for the last 20 % of `images`. */
    test: string;
  };
  /** Training samples per second over the run (validation excluded). */
  samplesPerSecond: number;
  /** tf.memory().numTensors after each epoch; constant unless tensors leak. */
  numTensorsPerEpoch: number[];
  backend: BackendReport;
  /** Images trained on (after any validation split) and validated on. */
  trainSize: number;
  validationSize: number;
  latent: number;
  /** AE: the bottleneck's activation. */
  bottleneck?: 'relu' | 'linear';
  /** VAE: the loss trained on and scored with. */
  loss?: 'notebook' | 'elbo';
  seed: number;
  timingsMs: { train: number; evaluate: number; total: number };
  /** The directory written with --save. */
  savedTo?: string;
}

function backendReport(b: BackendReport): BackendReport {
  return { name: b.name, simd: b.simd, threads: b.threads, matmulFix: b.matmulFix };
}

/** The report of one training run (a pure function of the command and the outcome). */
export function trainReport(command: TrainCommand, outcome: TrainOutcome): TrainReport {
  const { result, backend } = outcome;
  const loss = [...result.history.loss];
  // train() keeps val_loss only for epochs that had validation: all or none of them.
  const valLoss =
    result.history.valLoss.length === loss.length
      ? [...result.history.valLoss]
      : loss.map(() => null);
  return {
    kind: command.kind,
    preset: command.preset,
    history: { loss, valLoss },
    epochs: result.epochs,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    ...(command.kind === 'ae' ? { testMse: outcome.testScore } : { testLoss: outcome.testScore }),
    ...(command.denoise
      ? { denoise: formatNoise(command.denoise), noisyMse: outcome.noisyMse }
      : {}),
    testSize: outcome.testCount,
    ...(command.data
      ? {
          data: {
            images: command.data.images,
            rows: outcome.images.rows,
            cols: outcome.images.cols,
            test: outcome.images.heldOut ? 'held-out' : command.data.testImages!,
          },
        }
      : {}),
    samplesPerSecond: result.samplesPerSecond,
    numTensorsPerEpoch: [...result.numTensorsPerEpoch],
    backend: backendReport(backend),
    trainSize: outcome.plan.trainCount,
    validationSize: outcome.plan.validationCount,
    latent: command.latent,
    ...(command.kind === 'ae'
      ? { bottleneck: command.bottleneck ?? 'relu' }
      : { loss: command.loss ?? 'notebook' }),
    seed: command.seed,
    timingsMs: { ...outcome.timingsMs },
    ...(outcome.savedTo !== undefined ? { savedTo: outcome.savedTo } : {}),
  };
}

/** `ae-demo train --json`: the report on one line. */
export function formatTrainJson(report: TrainReport): string {
  return JSON.stringify(report) + '\n';
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A duration a person reads at a glance: 42s, 3m05s, 1h02m. */
export function formatEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor(t / 60) % 60).padStart(2, '0')}m`;
}

/** What the training progress bar shows. */
export interface TrainProgressState {
  epoch: number;
  epochs: number;
  /** Fraction of the current epoch done, 0..1. */
  batchFraction: number;
  /** The last finished epoch's losses, if any. */
  loss?: number;
  valLoss?: number | null;
  samplesPerSecond?: number;
  etaSeconds?: number;
}

/** One line of training progress: epoch, a bar for the epoch's batches, losses, speed, ETA. */
export function formatTrainProgress(p: TrainProgressState, width = 20): string {
  const filled = Math.max(0, Math.min(width, Math.round(p.batchFraction * width)));
  const parts = [
    `epoch ${p.epoch}/${p.epochs}`,
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(100 * p.batchFraction)).padStart(3)}%`,
  ];
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p.valLoss != null) parts.push(`val ${p.valLoss.toFixed(4)}`);
  if (p.samplesPerSecond !== undefined) parts.push(`${count(p.samplesPerSecond)} samples/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatEta(p.etaSeconds)}`);
  return parts.join('  ');
}

function backendLine(b: BackendReport): string {
  if (b.name !== 'wasm') return `Backend: ${b.name}`;
  return (
    `Backend: wasm, ${b.simd ? 'SIMD' : 'no SIMD'}, ${b.threads ? 'multi-threaded' : 'single thread'}, ` +
    `transposed-matmul fix ${b.matmulFix ? 'on' : 'off'}`
  );
}

/** `ae-demo train`: the report as a summary a person reads. */
export function formatTrainSummary(
  report: TrainReport,
  epochSamplesPerSecond: number[] = [],
): string {
  const model = report.kind === 'ae' ? 'an autoencoder' : 'a VAE';
  const validation = report.validationSize ? `, validated on ${count(report.validationSize)}` : '';
  const rows = report.history.loss.map((loss, i) => {
    const val = report.history.valLoss[i];
    const sps = epochSamplesPerSecond[i];
    return [
      String(i + 1) + (i + 1 === report.bestEpoch && report.bestEpoch !== report.epochs ? '*' : ''),
      loss.toFixed(5),
      val == null ? '–' : val.toFixed(5),
      sps === undefined ? '–' : count(sps),
    ];
  });
  const tested = !report.data
    ? `${count(report.testSize)} test images`
    : report.data.test === 'held-out'
      ? `${count(report.testSize)} held-out images (the last 20 % of ${report.data.images})`
      : `${count(report.testSize)} images of ${report.data.test}`;
  const score =
    report.testMse !== undefined
      ? `Test MSE on ${tested}: ${report.testMse.toFixed(5)}`
      : `Test loss on ${tested}: ${report.testLoss!.toFixed(3)}`;
  const denoised =
    report.noisyMse !== undefined
      ? ` (denoising ${report.denoise}: the noisy inputs' MSE is ${report.noisyMse.toFixed(5)})`
      : '';
  let ending = `Ran ${report.epochs} epoch${report.epochs === 1 ? '' : 's'}`;
  if (report.stoppedEarly) ending += ', stopped early';
  if (report.bestEpoch !== report.epochs) {
    ending += `; kept the weights of epoch ${report.bestEpoch} (*), the best on validation`;
  }
  const t = report.timingsMs;
  const linear =
    report.bottleneck === 'linear'
      ? ', linear bottleneck'
      : report.loss === 'elbo'
        ? ', ELBO loss'
        : '';
  const lines = [
    `Trained ${model} (preset ${report.preset}, latent ${report.latent}${linear}, seed ${report.seed}) ` +
      (report.data
        ? `on ${count(report.trainSize)} ${report.data.rows} × ${report.data.cols} images of ${report.data.images}${validation}`
        : `on ${count(report.trainSize)} MNIST training images${validation}`),
    '',
    table(['epoch', 'loss', 'val loss', 'samples/s'], rows),
    '',
    ending + '.',
    score + denoised,
    `Speed: ${count(report.samplesPerSecond)} samples/s training; ` +
      `train ${seconds(t.train)}, evaluate ${seconds(t.evaluate)}, total ${seconds(t.total)}`,
    backendLine(report.backend),
  ];
  if (report.savedTo !== undefined) {
    lines.push(`Saved the model to ${report.savedTo} (model.json + weights.bin)`);
  }
  return lines.join('\n') + '\n';
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, c) => cell.padStart(widths[c])).join('   ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** `ae-demo pca`: the report as a table a person reads. */
export function formatPcaTable(report: PcaReport): string {
  const source =
    report.split === 'files'
      ? report.labels
        ? `${report.images} + ${report.labels}`
        : report.images
      : `MNIST ${report.split} split`;
  const k90 = report.componentsFor90;
  const rows = report.reconstructionMse.map((mse, i) => [
    String(i + 1),
    report.eigenvalues[i].toPrecision(6),
    percent(report.cumulativeVariance[i]),
    mse.toFixed(7),
  ]);
  const t = report.timingsMs;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const kernel = `${report.kernel.simd ? 'SIMD' : 'scalar'}, ${
    report.kernel.threads ? 'multi-threaded' : 'single-threaded'
  }`;
  return [
    `PCA of ${source}: ${report.samples} samples × ${report.features} features`,
    `Components for 90% of the variance: ${k90} (they explain ${percent(report.cumulativeVariance[k90 - 1])})`,
    '',
    table(['k', 'eigenvalue', 'cumulative variance', 'reconstruction MSE'], rows),
    '',
    `Timings: gram ${ms(t.gram)}, spectrum ${ms(t.spectrum)}, eigenvectors ${ms(t.eigenvectors)}, ` +
      `projection ${ms(t.projection)}; total ${ms(t.total)}`,
    `Kernel: ${kernel}; ${report.gramPath} Gram pass`,
    report.converged
      ? `Power iteration: converged in ${report.iterations} iterations (residual ${report.residual.toExponential(1)})`
      : `Warning: power iteration did not converge in ${report.iterations} iterations ` +
        `(residual ${report.residual.toExponential(1)}); the eigenvectors are approximate.`,
    '',
  ].join('\n');
}

/** What `ae-demo compare --json` prints: plain numbers and arrays, one object. */
export interface CompareReport {
  /** One row per latent size k, ascending; both errors are MSE per pixel on the same test images. */
  rows: {
    k: number;
    pcaMse: number;
    aeMse: number;
    /** Bottleneck units whose code is 0 for every test image. */
    deadUnits: number;
    /** Epochs the autoencoder ran. */
    epochs: number;
  }[];
  preset: string;
  bottleneck: 'relu' | 'linear';
  seed: number;
  /** Test images PCA was fitted on and both methods were scored on. */
  testSize: number;
  /** Images each autoencoder trained on (after any validation split) and validated on. */
  trainSize: number;
  validationSize: number;
  backend: BackendReport;
}

/** The report of one comparison (a pure function of its outcome). */
export function compareReport(outcome: CompareOutcome): CompareReport {
  const { result } = outcome;
  return {
    rows: result.rows.map(({ k, pcaMse, aeMse, deadUnits, epochs }) => ({
      k,
      pcaMse,
      aeMse,
      deadUnits,
      epochs,
    })),
    preset: result.preset,
    bottleneck: result.bottleneck,
    seed: result.seed,
    testSize: result.testCount,
    trainSize: result.trainCount,
    validationSize: result.validationCount,
    backend: backendReport(outcome.backend),
  };
}

/** `ae-demo compare --json`: the report on one line. */
export function formatCompareJson(report: CompareReport): string {
  return JSON.stringify(report) + '\n';
}

/** `ae-demo compare`: the report as a table a person reads. */
export function formatCompareTable(
  report: CompareReport,
  command: Pick<CompareCommand, 'epochs'>,
  totalMs: number,
): string {
  const rows = report.rows.map((r) => [
    String(r.k),
    r.pcaMse.toFixed(5),
    r.aeMse.toFixed(5),
    (r.aeMse / r.pcaMse).toFixed(2),
    `${r.deadUnits} of ${r.k}`,
  ]);
  const validation = report.validationSize ? `, validated on ${count(report.validationSize)}` : '';
  const lines = [
    `Autoencoder against PCA on ${count(report.testSize)} MNIST test images ` +
      `(preset ${report.preset}, ${report.bottleneck} bottleneck, seed ${report.seed})`,
    `AE: bottleneck k, up to ${command.epochs} epoch${command.epochs === 1 ? '' : 's'} ` +
      `on ${count(report.trainSize)} training images${validation}`,
    'PCA: k components, fitted on the test images',
    '',
    table(['k', 'PCA MSE', 'AE MSE', 'AE/PCA', 'dead units'], rows),
    '',
  ];
  if (report.rows.some((r) => r.deadUnits > 0)) {
    lines.push(
      'Dead units output 0 for every test image: an autoencoder with d of k dead works with',
      'k - d, so its error need not fall as k grows. --bottleneck linear has none.',
    );
  }
  lines.push(`Total ${formatEta(totalMs / 1000)}. ${backendLine(report.backend)}`);
  return lines.join('\n') + '\n';
}

/** What the comparison's progress line shows: which autoencoder, and its training bar. */
export interface CompareProgressState extends TrainProgressState {
  k: number;
  /** 0-based position of this k, of `total`. */
  index: number;
  total: number;
}

/** One line of comparison progress: `k 5 (1/6)` and the training bar (its ETA is for the whole run). */
export function formatCompareProgress(p: CompareProgressState, width = 20): string {
  return `k ${p.k} (${p.index + 1}/${p.total})  ${formatTrainProgress(p, width)}`;
}
