import type { PcaResult } from '../core/pca.ts';
import type { DataChoice } from './args.ts';

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
      : { split: 'files' as const, images: data.images, labels: data.labels };
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
      ? `${report.images} + ${report.labels}`
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
