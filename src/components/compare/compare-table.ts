/** The shipped AE-vs-PCA table and how the element says it in words; no DOM, so Node tests it. */
import { number } from '../ae-demo/words.ts';

/** The AE-vs-PCA table shipped in pretrained/compare.json (written by `ae-demo reproduce`). */
export interface CompareTable {
  about: string;
  command: string;
  preset: string;
  bottleneck: string;
  seed: number;
  testCount: number;
  trainCount: number;
  rows: { k: number; pcaMse: number; aeMse: number; deadUnits: number; epochs: number }[];
}

/** The figures of one latent size that the sentences use: both test errors and dead units. */
export type CompareFigures = Pick<
  CompareTable['rows'][number],
  'k' | 'pcaMse' | 'aeMse' | 'deadUnits'
>;

/** Where the AE wins over rows sorted by k, and by how much at the first and last k. */
export function compareVerdict(rows: readonly CompareFigures[]): string {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const ratio = (r: CompareFigures) => (r.aeMse / r.pcaMse).toFixed(2);
  const wins = rows.filter((r) => r.aeMse < r.pcaMse).map((r) => r.k);
  const losses = rows.filter((r) => r.aeMse >= r.pcaMse).map((r) => r.k);
  const span = rows.length === 1 ? `k = ${first.k}` : `k from ${first.k} to ${last.k}`;
  const every = rows.length === 1 ? '' : 'every ';
  const verdict =
    losses.length === 0
      ? `The autoencoder beats PCA at ${every}${span}`
      : wins.length === 0
        ? `PCA beats the autoencoder at ${every}${span}`
        : `The autoencoder beats PCA at k = ${wins.join(', ')} and not at k = ${losses.join(', ')}`;
  const ratios =
    rows.length === 1
      ? `AE/PCA ${ratio(first)}`
      : `AE/PCA ${ratio(first)} at k = ${first.k} … ${ratio(last)} at k = ${last.k}`;
  return `${verdict} (${ratios})`;
}

/** The dead bottleneck units of `rows`, as a sentence, or '' when there are none. */
function deadWords(rows: readonly CompareFigures[]): string {
  const dead = rows.filter((r) => r.deadUnits > 0);
  return dead.length
    ? ` Dead bottleneck units at k = ${dead.map((r) => `${r.k} (${r.deadUnits})`).join(', ')}.`
    : '';
}

/** The compare table in one sentence: where the AE wins, by how much, and how it was measured. */
export function compareSentence(t: CompareTable): string {
  const rows = t.rows;
  const epochs = [...new Set(rows.map((r) => r.epochs))].join('/');
  return (
    `${compareVerdict(rows)}, ` +
    `measured by \`ae-demo reproduce\` (${t.preset} preset, ${t.bottleneck} bottleneck, seed ${t.seed}, ` +
    `${epochs} epochs per k) on the ${number(t.testCount)} test digits.` +
    deadWords(rows)
  );
}

/** How a comparison on the author's images was measured, for {@link measuredSentence}. */
export interface MeasuredOn {
  /** The test images in words, e.g. "the 600 test images held out from my digits (…)". */
  test: string;
  preset: string;
  seed: number;
  epochs: number;
  /** Images each autoencoder trained on, and PCA was fitted on. */
  trainCount: number;
  fitCount: number;
  /** Latent sizes asked for: rows may be fewer while it runs or once cancelled. */
  total: number;
}

/**
 * The comparison measured in the page on the author's images, in words:
 * where the AE wins, every k's two errors, and how it was measured; while
 * it runs (or once cancelled), the rows so far.
 */
export function measuredSentence(rows: readonly CompareFigures[], on: MeasuredOn): string {
  if (rows.length === 0) return '';
  const sofar =
    rows.length < on.total ? `So far (${rows.length} of ${on.total} latent sizes): ` : '';
  const verdict = compareVerdict(rows);
  const each = rows
    .map((r) => `k = ${r.k}: ${r.aeMse.toFixed(4)} / ${r.pcaMse.toFixed(4)}`)
    .join(', ');
  return (
    `${sofar}${sofar ? verdict.replace(/^The /, 'the ') : verdict}, ` +
    `measured here on ${on.test}. Test MSE per pixel, autoencoder / PCA: ${each}. ` +
    `Each autoencoder: ${on.preset} preset, relu bottleneck, seed ${on.seed}, ${on.epochs} epochs, ` +
    `${number(on.trainCount)} training images; PCA fitted on the ${number(on.fitCount)} images the models train on.` +
    deadWords(rows)
  );
}
