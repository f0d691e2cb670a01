/**
 * Nearest-neighbour search over 8-bit images, as the Embedding Projector's
 * neighbour search shows: for a generated digit, the closest training digit,
 * so a reader can see the sample is new rather than a copy.
 */
import { AeError } from './errors.ts';
import type { IdxImages } from './data/idx.ts';

/** For each query, the index of the nearest image and the distance as root mean square per pixel. */
export interface Nearest {
  indices: Uint32Array;
  rms: Float32Array;
}

/**
 * For each of the `queries` (images of `images.rows × images.cols` floats in
 * 0..1, one after another), the nearest of `images` (pixels / 255) by
 * Euclidean distance, ties to the lower index. Exact: every image is compared.
 */
export function nearestImages(images: IdxImages, queries: Float32Array): Nearest {
  const d = images.rows * images.cols;
  if (queries.length === 0 || queries.length % d !== 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Queries must be a non-empty multiple of ${d} values (the images' pixels), got ${queries.length}.`,
    );
  }
  const q = queries.length / d;
  const best = new Float64Array(q).fill(Infinity);
  const indices = new Uint32Array(q);
  const px = images.pixels;
  const row = new Float64Array(d);
  for (let n = 0; n < images.count; n++) {
    const base = n * d;
    for (let i = 0; i < d; i++) row[i] = px[base + i] / 255;
    for (let j = 0; j < q; j++) {
      const qb = j * d;
      const limit = best[j];
      let s = 0;
      // Stop early once this image is already farther than the best so far.
      for (let i = 0; i < d && s < limit; i++) {
        const t = row[i] - queries[qb + i];
        s += t * t;
      }
      if (s < limit) {
        best[j] = s;
        indices[j] = n;
      }
    }
  }
  const rms = Float32Array.from(best, (s) => Math.sqrt(s / d));
  return { indices, rms };
}
