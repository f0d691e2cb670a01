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

/** The compare table in one sentence: where the AE wins, by how much, and how it was measured. */
export function compareSentence(t: CompareTable): string {
  const rows = t.rows;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const ratio = (r: CompareTable['rows'][number]) => (r.aeMse / r.pcaMse).toFixed(2);
  const wins = rows.filter((r) => r.aeMse < r.pcaMse).map((r) => r.k);
  const losses = rows.filter((r) => r.aeMse >= r.pcaMse).map((r) => r.k);
  const span = `k from ${first.k} to ${last.k}`;
  const verdict =
    losses.length === 0
      ? `The autoencoder beats PCA at every ${span}`
      : wins.length === 0
        ? `PCA beats the autoencoder at every ${span}`
        : `The autoencoder beats PCA at k = ${wins.join(', ')} and not at k = ${losses.join(', ')}`;
  const dead = rows.filter((r) => r.deadUnits > 0);
  const epochs = [...new Set(rows.map((r) => r.epochs))].join('/');
  return (
    `${verdict} (AE/PCA ${ratio(first)} at k = ${first.k} … ${ratio(last)} at k = ${last.k}), ` +
    `measured by \`ae-demo reproduce\` (${t.preset} preset, ${t.bottleneck} bottleneck, seed ${t.seed}, ` +
    `${epochs} epochs per k) on the ${number(t.testCount)} test digits.` +
    (dead.length
      ? ` Dead bottleneck units at k = ${dead.map((r) => `${r.k} (${r.deadUnits})`).join(', ')}.`
      : '')
  );
}
