import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Latest, type Scheduler } from '../../src/components/shared/latest.ts';
import { themeSignature } from '../../src/components/charts/theme.ts';
import {
  centreOn,
  codeRange,
  gridLatents,
  interpolate,
  linspace,
  majority,
  meanCode,
  mseToPixels,
  nearest,
  pickDims,
} from '../../src/components/shared/play-math.ts';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

describe('walk and interpolation vectors', () => {
  test('linspace includes both ends', () => {
    close(linspace(-2.5, 2.5, 5), [-2.5, -1.25, 0, 1.25, 2.5]);
    close(linspace(0, 1, 1), [0.5]);
  });

  test('gridLatents sets two dimensions of the base, top row first', () => {
    const out = gridLatents([9, 9, 9], 2, 0, [-1, 1], [10, 20]);
    // Rows of the screen: y = 20 on top, then y = 10; x left to right.
    close(out, [20, 9, -1, 20, 9, 1, 10, 9, -1, 10, 9, 1]);
  });

  test('interpolate runs evenly from a to b', () => {
    close(interpolate([0, 10], [1, 20], 3), [0, 10, 0.5, 15, 1, 20]);
  });
});

describe('scores and neighbours', () => {
  test('mseToPixels reads pixels as value / 255', () => {
    assert.equal(mseToPixels([1, 0], [255, 0]), 0);
    assert.ok(Math.abs(mseToPixels([0, 0.5], [255, 0]) - (1 + 0.25) / 2) < 1e-12);
  });

  test('nearest finds the k nearest rows, nearest first', () => {
    const points = [0, 0, 5, 5, 1, 1, -3, 0, 2, 2];
    assert.deepEqual(nearest(points, 2, [1.2, 1.1], 3), [2, 4, 0]);
    assert.deepEqual(nearest(points, 2, [-10, 0], 1), [3]);
  });

  test('majority counts labels, ties to the smaller one', () => {
    const labels = [3, 3, 5, 5, 7];
    assert.deepEqual(majority(labels, [0, 1, 2, 4]), { label: 3, count: 2 });
    assert.deepEqual(majority(labels, [2, 3, 0, 1]), { label: 3, count: 2 });
    assert.deepEqual(majority(labels, [4]), { label: 7, count: 1 });
  });
});

describe('codes', () => {
  // 101 codes of size 2: dimension 0 runs 0..100, dimension 1 is a dead unit at 0.
  const codes = new Float32Array(202);
  for (let i = 0; i <= 100; i++) codes[2 * i] = i;

  test('codeRange takes quantiles and widens a dead unit', () => {
    assert.deepEqual(codeRange(codes, 2, 0), { min: 1, max: 99, mean: 50 });
    assert.deepEqual(codeRange(codes, 2, 0, 0, 1), { min: 0, max: 100, mean: 50 });
    assert.deepEqual(codeRange(codes, 2, 1), { min: -1, max: 1, mean: 0 });
  });

  test('meanCode and pickDims', () => {
    close(meanCode(codes, 2), [50, 0]);
    close(pickDims([1, 2, 3, 4, 5, 6], 3, 2, 0), [3, 1, 6, 4]);
  });
});

describe('Latest', () => {
  /** A scheduler whose ticks run when the test says so. */
  function manual() {
    const queue: (() => void)[] = [];
    const schedule: Scheduler = (cb) => {
      queue.push(cb);
      return () => queue.splice(queue.indexOf(cb), 1);
    };
    return { schedule, flush: () => queue.splice(0).forEach((cb) => cb()), queue };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('runs one task at a time on the latest value, one per tick', async () => {
    const ticks = manual();
    const started: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const finish: (() => void)[] = [];
    const latest = new Latest<number>(async (v) => {
      started.push(v);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise<void>((resolve) => finish.push(resolve));
      inFlight--;
    }, ticks.schedule);

    latest.push(1);
    latest.push(2);
    assert.deepEqual(started, [], 'nothing before the tick');
    assert.equal(ticks.queue.length, 1, 'one tick for both pushes');
    ticks.flush();
    await settle();
    assert.deepEqual(started, [2]);
    latest.push(3);
    latest.push(4);
    latest.push(5);
    ticks.flush();
    await settle();
    assert.deepEqual(started, [2], 'waits for the running task');
    finish.shift()!();
    await settle();
    ticks.flush();
    await settle();
    assert.deepEqual(started, [2, 5], 'then runs only the latest');
    finish.shift()!();
    await settle();
    assert.equal(ticks.queue.length, 0, 'idle: nothing scheduled');
    assert.equal(maxInFlight, 1);
  });

  test('reports errors and goes on; clear drops the waiting value', async () => {
    const ticks = manual();
    const errors: unknown[] = [];
    const seen: number[] = [];
    const latest = new Latest<number>(
      async (v) => {
        seen.push(v);
        if (v === 1) throw new Error('boom');
      },
      ticks.schedule,
      (e) => errors.push(e),
    );
    latest.push(1);
    ticks.flush();
    await settle();
    assert.equal((errors[0] as Error).message, 'boom');
    latest.push(2);
    latest.clear();
    ticks.flush();
    await settle();
    latest.push(3);
    ticks.flush();
    await settle();
    assert.deepEqual(seen, [1, 3]);
  });
});

describe('walk anchors and chart themes', () => {
  test('centreOn keeps the width and puts the middle on the anchor', () => {
    close(centreOn([-2.5, 2.5], 0.75), [-1.75, 3.25]);
    close(centreOn([1, 5], -1), [-3, 1]);
    // The middle of a 9-point linspace over it is the anchor itself.
    close([linspace(...centreOn([0.2, 3.4], 1.1), 9)[4]], [1.1]);
  });

  test('themeSignature changes with any colour or the font, and only then', () => {
    const light = { fg: '#1f2328', grid: '#d8dee4', accent: '#0969da', font: '12px x' };
    assert.equal(themeSignature(light), themeSignature({ ...light }));
    for (const change of [
      { fg: '#e6edf3' },
      { grid: '#30363d' },
      { accent: '#4493f8' },
      { font: '13px x' },
    ]) {
      assert.notEqual(themeSignature(light), themeSignature({ ...light, ...change }));
    }
  });
});
