import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AeError } from '../../src/core/errors.ts';
import { nearestImages } from '../../src/core/nearest.ts';

describe('nearestImages', () => {
  const images = {
    count: 4,
    rows: 1,
    cols: 3,
    pixels: Uint8Array.of(0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255),
  };

  it('finds each query’s nearest image, exactly, with its RMS distance per pixel', () => {
    const queries = Float32Array.of(0.9, 0.1, 0.0, 0.1, 0.1, 0.1, 1, 1, 1);
    const { indices, rms } = nearestImages(images, queries);
    assert.deepEqual([...indices], [2, 0, 1]);
    assert.ok(Math.abs(rms[0] - Math.sqrt((0.01 + 0.01) / 3)) < 1e-6);
    assert.ok(Math.abs(rms[1] - 0.1) < 1e-6);
    assert.equal(rms[2], 0);
  });

  it('matches a brute-force search on random data, ties to the lower index', () => {
    let s = 7;
    const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const set = {
      count: 300,
      rows: 4,
      cols: 5,
      pixels: Uint8Array.from({ length: 6000 }, () => Math.floor(rand() * 256)),
    };
    const queries = Float32Array.from({ length: 20 * 8 }, () => rand());
    const got = nearestImages(set, queries);
    for (let j = 0; j < 8; j++) {
      let best = Infinity;
      let at = -1;
      for (let n = 0; n < 300; n++) {
        let d = 0;
        for (let i = 0; i < 20; i++) d += (set.pixels[n * 20 + i] / 255 - queries[j * 20 + i]) ** 2;
        if (d < best) [best, at] = [d, n];
      }
      assert.equal(got.indices[j], at);
      assert.ok(Math.abs(got.rms[j] - Math.sqrt(best / 20)) < 1e-6);
    }
    const twice = { count: 2, rows: 1, cols: 3, pixels: Uint8Array.of(255, 0, 0, 255, 0, 0) };
    assert.equal(nearestImages(twice, Float32Array.of(1, 0, 0)).indices[0], 0);
  });

  it('refuses queries of the wrong length', () => {
    assert.throws(
      () => nearestImages(images, new Float32Array(4)),
      (e: unknown) => e instanceof AeError && e.code === 'BAD_ARGUMENT',
    );
  });
});
