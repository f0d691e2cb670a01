import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  centerDigit,
  centreDrawing,
  centreOfMass,
  inkBox,
} from '../../src/core/data/center-digit.ts';
import type { Dataset } from '../../src/core/data/idx.ts';
import { loadMnist } from '../../src/core/data/node.ts';
import { makeAuthorSet } from '../fixtures/author-set.ts';

/** A `size × size` canvas of zeros with `value` in the rectangle [x, x + w) × [y, y + h). */
function rect(size: number, x: number, y: number, w: number, h: number, value = 255): Float32Array {
  const img = new Float32Array(size * size);
  for (let r = y; r < y + h; r++) img.fill(value, r * size + x, r * size + x + w);
  return img;
}

/** An L-shaped stroke: a vertical bar and a foot, so its centre of mass is off its box's centre. */
function ell(size: number, x: number, y: number, unit: number): Float32Array {
  const img = rect(size, x, y, 2 * unit, 10 * unit);
  const foot = rect(size, x, y + 8 * unit, 6 * unit, 2 * unit);
  for (let i = 0; i < img.length; i++) img[i] = Math.max(img[i], foot[i]);
  return img;
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('inkBox and centreOfMass', () => {
  test('find the ink and its centre in pixel coordinates', () => {
    const img = rect(10, 2, 3, 4, 1);
    assert.deepEqual(inkBox(img, 10, 10), { left: 2, top: 3, right: 6, bottom: 4 });
    assert.deepEqual(centreOfMass(img, 10, 10), { x: 3.5, y: 3 });
  });

  test('say undefined for a blank image, and honour the threshold', () => {
    assert.equal(inkBox(new Float32Array(100), 10, 10), undefined);
    assert.equal(centreOfMass(new Float32Array(100), 10, 10), undefined);
    assert.equal(inkBox(rect(10, 0, 0, 10, 10, 5), 10, 10, 5), undefined);
  });
});

describe('centerDigit', () => {
  test('returns undefined when nothing is drawn', () => {
    assert.equal(centerDigit(new Float32Array(280 * 280), 280, 280), undefined);
  });

  test('scales the box to fit 20 × 20 keeping its aspect, centre of mass at (14, 14)', () => {
    // A 100 × 50 block in a corner of a 280 × 280 pad becomes 20 × 10.
    const out = centerDigit(rect(280, 0, 0, 100, 50), 280, 280)!;
    assert.equal(out.length, 784);
    // Its centre of mass, 9.5 and 4.5 pixels in, goes half a pixel past (14, 14) (rounding up).
    assert.deepEqual(inkBox(out, 28, 28), { left: 5, top: 10, right: 25, bottom: 20 });
    assert.deepEqual(centreOfMass(out, 28, 28), { x: 14.5, y: 14.5 });
    assert.equal(sum(out), 200 * 255);
  });

  test('puts the centre of mass, not the box centre, at (14, 14) to the nearest pixel', () => {
    const out = centerDigit(ell(280, 37, 11, 20), 280, 280)!;
    const box = inkBox(out, 28, 28)!;
    assert.equal(Math.max(box.right - box.left, box.bottom - box.top), 20);
    const c = centreOfMass(out, 28, 28)!;
    assert.ok(Math.abs(c.x - 14) <= 0.5, `x ${c.x}`);
    assert.ok(Math.abs(c.y - 14) <= 0.5, `y ${c.y}`);
    // The bar pulls the mass left of the box's centre and the foot down, so the box sits right and up.
    assert.ok(
      (box.left + box.right) / 2 > 15 && (box.top + box.bottom) / 2 < 14,
      JSON.stringify(box),
    );
  });

  test('gives the same digit wherever and at whatever size it is drawn', () => {
    const small = centerDigit(ell(280, 10, 20, 10), 280, 280)!;
    const moved = centerDigit(ell(280, 150, 170, 10), 280, 280)!;
    const large = centerDigit(ell(280, 40, 0, 25), 280, 280)!;
    assert.deepEqual(moved, small);
    assert.deepEqual(large, small);
  });

  test('averages areas when shrinking, so thin strokes turn grey rather than vanish', () => {
    // A 1-pixel line 200 long shrinks by 10: a 20-pixel line at a tenth of the ink.
    const out = centerDigit(rect(280, 40, 100, 200, 1), 280, 280)!;
    const inked = Array.from(out).filter((v) => v > 0);
    assert.equal(inked.length, 20);
    assert.ok(
      inked.every((v) => v === 26 || v === 25),
      inked.join(' '),
    );
  });

  describe("on images of another shape (16 rows × 12 columns, an author's set)", () => {
    const shape = { rows: 16, cols: 12 };
    /** A 210 × 280 pad (the pad keeps the images' aspect) with `value` in [x, x + w) × [y, y + h). */
    function block(x: number, y: number, w: number, h: number): Float32Array {
      const img = new Float32Array(210 * 280);
      for (let r = y; r < y + h; r++) img.fill(255, r * 210 + x, r * 210 + x + w);
      return img;
    }
    /** An L-shaped stroke on the 210 × 280 pad. */
    function padEll(x: number, y: number, unit: number): Float32Array {
      const img = block(x, y, 2 * unit, 10 * unit);
      const foot = block(x, y + 8 * unit, 6 * unit, 2 * unit);
      for (let i = 0; i < img.length; i++) img[i] = Math.max(img[i], foot[i]);
      return img;
    }

    // MNIST's (14, 14) of 28 to scale, in continuous coordinates: 14.5 / 28 of each side, less half a pixel.
    const centre = { x: (14.5 * 12) / 28 - 0.5, y: (14.5 * 16) / 28 - 0.5 };

    test('scales a wide box to 20/28 of the columns, centre of mass at (5.71, 7.79)', () => {
      // 60 × 40 pad pixels; the box is (60/7) columns × (80/7) rows: the width binds, scale 1/7.
      const out = centerDigit(block(150, 240, 60, 40), 210, 280, shape)!;
      assert.equal(out.length, 16 * 12);
      const box = inkBox(out, 12, 16)!;
      assert.equal(box.right - box.left, 9);
      assert.equal(box.bottom - box.top, 6);
      const c = centreOfMass(out, 12, 16)!;
      assert.ok(Math.abs(c.x - centre.x) <= 0.5, `x ${c.x}`);
      assert.ok(Math.abs(c.y - centre.y) <= 0.5, `y ${c.y}`);
      // Area averaging keeps the ink: 60 × 40 pixels at full ink, shrunk 49-fold (to rounding).
      assert.ok(Math.abs(sum(out) - (60 * 40 * 255) / 49) < 9 * 6, `${sum(out)}`);
    });

    test('scales a tall box to 20/28 of the rows, keeping its aspect', () => {
      // 20 × 200: the height binds, 200 rows to 80/7 ≈ 11.4, so 12 output rows and 2 columns.
      const out = centerDigit(block(0, 0, 20, 200), 210, 280, shape)!;
      const box = inkBox(out, 12, 16)!;
      assert.equal(box.bottom - box.top, 12);
      assert.equal(box.right - box.left, 2);
      const c = centreOfMass(out, 12, 16)!;
      assert.ok(Math.abs(c.x - centre.x) <= 0.5, `x ${c.x}`);
      assert.ok(Math.abs(c.y - centre.y) <= 0.5, `y ${c.y}`);
    });

    test('gives the same image wherever and at whatever size it is drawn', () => {
      const small = centerDigit(padEll(10, 20, 10), 210, 280, shape)!;
      const moved = centerDigit(padEll(100, 150, 10), 210, 280, shape)!;
      const large = centerDigit(padEll(40, 0, 20), 210, 280, shape)!;
      assert.deepEqual(moved, small);
      assert.deepEqual(large, small);
    });

    test('leaves MNIST digits averaged down to 16 × 12 nearly as they are', async () => {
      const set = await makeAuthorSet(200, 16, 12);
      const errors: number[] = [];
      for (let i = 0; i < 200; i++) {
        const image = set.pixels.subarray(i * 192, (i + 1) * 192);
        const out = centerDigit(image, 12, 16, shape)!;
        let e = 0;
        for (let p = 0; p < 192; p++) e += ((out[p] - image[p]) / 255) ** 2;
        errors.push(e / 192);
      }
      errors.sort((a, b) => a - b);
      // Averaging down spreads each box by up to a pixel, so more of them are rescaled than on MNIST.
      assert.ok(errors[100] < 0.015, `median MSE ${errors[100]}`);
      assert.ok(errors[180] < 0.05, `90th percentile MSE ${errors[180]}`);
    });

    test('rows = cols = 28 is the MNIST default', () => {
      const ink = ell(280, 37, 11, 20);
      assert.deepEqual(
        centerDigit(ink, 280, 280, { rows: 28, cols: 28 }),
        centerDigit(ink, 280, 280),
      );
    });
  });

  describe('on MNIST test digits, which were prepared this way', () => {
    let test10k: Dataset;
    before(async () => {
      test10k = await loadMnist('test');
    });

    test('leaves them nearly as they are', () => {
      const errors: number[] = [];
      for (let i = 0; i < 200; i++) {
        const digit = test10k.pixels.subarray(i * 784, (i + 1) * 784);
        const out = centerDigit(digit, 28, 28)!;
        let e = 0;
        for (let p = 0; p < 784; p++) e += ((out[p] - digit[p]) / 255) ** 2;
        errors.push(e / 784);
      }
      errors.sort((a, b) => a - b);
      // Median well under PCA's error at 10 components (0.034); a few digits whose box
      // exceeds 20 pixels (MNIST's anti-aliasing spills over) are rescaled more.
      assert.ok(errors[100] < 0.01, `median MSE ${errors[100]}`);
      assert.ok(errors[190] < 0.05, `90th percentile MSE ${errors[190]}`);
    });
  });
});

describe('centreDrawing', () => {
  test("reads a canvas's RGBA, dark ink on white, the way centerDigit reads the ink", () => {
    const ink = ell(280, 60, 30, 20);
    const rgba = new Uint8ClampedArray(4 * 280 * 280);
    for (let i = 0; i < ink.length; i++) {
      rgba.fill(255 - ink[i], 4 * i, 4 * i + 3);
      rgba[4 * i + 3] = 255;
    }
    const out = centreDrawing(rgba, 280, 280, { threshold: 8 })!;
    assert.deepEqual(out, centerDigit(ink, 280, 280, { threshold: 8 }));
    assert.ok(sum(out) > 0);
    // A blank (white) pad has no digit.
    assert.equal(centreDrawing(new Uint8ClampedArray(4 * 16).fill(255), 4, 4), undefined);
  });

  test('refuses pixels of another size, saying how many it takes', () => {
    assert.throws(() => centreDrawing(new Uint8ClampedArray(10), 4, 4), {
      code: 'BAD_ARGUMENT',
      message: 'A drawing of 4 × 4 pixels takes 64 RGBA values; got 10.',
    });
  });
});
