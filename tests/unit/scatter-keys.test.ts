import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compareSentence, type CompareTable } from '../../src/components/compare/compare-table.ts';
import {
  centralPoint,
  describePoint,
  formatCoordinate,
  scatterKeyStep,
} from '../../src/components/charts/scatter-keys.ts';

/** A 5 × 5 grid of points 0..4 on each axis, index = 5·row + column (row = y). */
const grid = Float32Array.from({ length: 50 }, (_, i) => {
  const p = Math.floor(i / 2);
  return i % 2 === 0 ? p % 5 : Math.floor(p / 5);
});

describe('scatterKeyStep', () => {
  test('the first arrow selects the point nearest the middle of the cloud', () => {
    assert.equal(centralPoint(grid), 12);
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown']) {
      assert.equal(scatterKeyStep(grid, -1, key), 12, key);
    }
  });

  test('arrows go to the neighbour in that direction (y up) and stop at the edge', () => {
    assert.equal(scatterKeyStep(grid, 12, 'ArrowRight'), 13);
    assert.equal(scatterKeyStep(grid, 12, 'ArrowLeft'), 11);
    assert.equal(scatterKeyStep(grid, 12, 'ArrowUp'), 17);
    assert.equal(scatterKeyStep(grid, 12, 'ArrowDown'), 7);
    assert.equal(scatterKeyStep(grid, 14, 'ArrowRight'), 14);
    assert.equal(scatterKeyStep(grid, 0, 'ArrowDown'), 0);
  });

  test('repeated presses reach the far side without cycling', () => {
    let at = 10;
    const seen = [at];
    for (let i = 0; i < 10; i++) {
      at = scatterKeyStep(grid, at, 'ArrowRight') as number;
      seen.push(at);
    }
    assert.deepEqual(seen.slice(0, 5), [10, 11, 12, 13, 14]);
    assert.ok(seen.slice(5).every((i) => i === 14));
  });

  test('a step skips points closer than a few pixels, unless none is further', () => {
    // Three points on a line: 0 at 0, 1 a hair to the right, 2 at the far end.
    const line = Float32Array.from([0, 0, 0.001, 0, 1, 0]);
    assert.equal(scatterKeyStep(line, 0, 'ArrowRight'), 2);
    const close = Float32Array.from([0, 0, 0.001, 0]);
    assert.equal(scatterKeyStep(close, 0, 'ArrowRight'), 1);
  });

  test('Shift takes a bigger step; Home and End go to the leftmost and rightmost', () => {
    const line = Float32Array.from({ length: 202 }, (_, i) => (i % 2 === 0 ? i / 2 : 0));
    assert.equal(scatterKeyStep(line, 0, 'ArrowRight'), 2);
    assert.equal(scatterKeyStep(line, 0, 'ArrowRight', true), 10);
    assert.equal(scatterKeyStep(grid, 12, 'Home'), 0);
    assert.equal(scatterKeyStep(grid, 12, 'End'), 4);
  });

  test('Escape clears a selection; other keys and empty plots are left alone', () => {
    assert.equal(scatterKeyStep(grid, 3, 'Escape'), null);
    assert.equal(scatterKeyStep(grid, -1, 'Escape'), undefined);
    assert.equal(scatterKeyStep(grid, 3, 'a'), undefined);
    assert.equal(scatterKeyStep(grid, 3, 'Tab'), undefined);
    assert.equal(scatterKeyStep(new Float32Array(0), -1, 'ArrowRight'), undefined);
  });
});

test('a point is announced with a true minus sign', () => {
  assert.equal(formatCoordinate(-1.234), '\u22121.23');
  assert.equal(
    describePoint(7, 0, ['PC1', 'PC2'], -1.234, 4.561),
    'Digit 7 (#0): PC1 \u22121.23, PC2 4.56',
  );
});

describe('compareSentence', () => {
  const table = (ae: number[], pca: number[]): CompareTable => ({
    about: '',
    command: '',
    preset: 'notebook',
    bottleneck: 'relu',
    seed: 1,
    testCount: 10000,
    trainCount: 11999,
    rows: ae.map((a, i) => ({ k: i + 1, aeMse: a, pcaMse: pca[i], deadUnits: 0, epochs: 50 })),
  });

  test('says the shipped table: the AE wins at every k, with the ratios at both ends', () => {
    const shipped = JSON.parse(
      readFileSync(new URL('../../pretrained/compare.json', import.meta.url), 'utf8'),
    ) as CompareTable;
    assert.equal(
      compareSentence(shipped),
      'The autoencoder beats PCA at every k from 1 to 10 (AE/PCA 0.94 at k = 1 … 0.58 at k = 10), ' +
        'measured by `ae-demo reproduce` (notebook preset, relu bottleneck, seed 1, 50 epochs per k) ' +
        'on the 10,000 test digits. Dead bottleneck units at k = 5 (1), 8 (2), 10 (2).',
    );
  });

  test('names the k where the AE loses, or says PCA wins everywhere', () => {
    assert.match(
      compareSentence(table([1, 3, 1], [2, 2, 2])),
      /^The autoencoder beats PCA at k = 1, 3 and not at k = 2 \(AE\/PCA 0\.50 at k = 1 … 0\.50 at k = 3\)/,
    );
    assert.match(compareSentence(table([3, 3], [2, 2])), /^PCA beats the autoencoder at every k/);
  });
});
