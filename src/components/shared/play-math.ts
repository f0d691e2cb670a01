/** `n` evenly spaced values from `lo` to `hi`, both included. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [(lo + hi) / 2];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/**
 * Latent vectors for a walk over two dimensions: one row per grid cell, row
 * by row from the top (the largest `ys` first, so "up" is up on screen), each
 * a copy of `base` with dimension `dimX` set to the column's x and `dimY` to
 * the row's y. Returns `ys.length × xs.length` vectors of `base.length`.
 */
export function gridLatents(
  base: ArrayLike<number>,
  dimX: number,
  dimY: number,
  xs: readonly number[],
  ys: readonly number[],
): Float32Array {
  const size = base.length;
  const out = new Float32Array(xs.length * ys.length * size);
  let row = 0;
  for (let r = ys.length - 1; r >= 0; r--) {
    for (const x of xs) {
      const o = row * size;
      out.set(base as ArrayLike<number>, o);
      out[o + dimX] = x;
      out[o + dimY] = ys[r];
      row++;
    }
  }
  return out;
}

/** `n` evenly spaced points from `a` to `b` (both included), one after another. */
export function interpolate(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float32Array {
  const size = a.length;
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0 : i / (n - 1);
    for (let j = 0; j < size; j++) out[i * size + j] = (1 - t) * a[j] + t * b[j];
  }
  return out;
}

/** Mean squared error per pixel between floats in [0, 1] and 8-bit pixels (read as value / 255). */
export function mseToPixels(floats: ArrayLike<number>, pixels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    const d = floats[i] - pixels[i] / 255;
    sum += d * d;
  }
  return sum / pixels.length;
}

/**
 * Indices of the `k` rows of `points` (count × dim, row-major) nearest
 * `query` (Euclidean), nearest first. A plain scan: fine for 10,000 points
 * of a few dimensions on the page.
 */
export function nearest(
  points: ArrayLike<number>,
  dim: number,
  query: ArrayLike<number>,
  k: number,
): number[] {
  const count = Math.floor(points.length / dim);
  const best: { index: number; d: number }[] = [];
  for (let i = 0; i < count; i++) {
    let d = 0;
    for (let j = 0; j < dim; j++) {
      const diff = points[i * dim + j] - query[j];
      d += diff * diff;
    }
    if (best.length === k && d >= best[k - 1].d) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].d > d) at--;
    best.splice(at, 0, { index: i, d });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.index);
}

/** The most common label among `indices` and how many of them have it (ties: the smaller label). */
export function majority(
  labels: ArrayLike<number>,
  indices: readonly number[],
): { label: number; count: number } {
  const counts = new Map<number, number>();
  for (const i of indices) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  let label = -1;
  let count = 0;
  for (const [l, c] of counts) {
    if (c > count || (c === count && l < label)) {
      label = l;
      count = c;
    }
  }
  return { label, count };
}

/**
 * The `lo` and `hi` quantiles (0..1) of dimension `dim` of `codes`
 * (count × size, row-major), and its mean. When the range is empty (a dead
 * unit that is always 0), it is widened to ±1 around the value, so that a
 * walk still has somewhere to go.
 */
export function codeRange(
  codes: ArrayLike<number>,
  size: number,
  dim: number,
  lo = 0.01,
  hi = 0.99,
): { min: number; max: number; mean: number } {
  const count = Math.floor(codes.length / size);
  const values = new Float64Array(count);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    values[i] = codes[i * size + dim];
    sum += values[i];
  }
  values.sort();
  const at = (q: number) => values[Math.min(count - 1, Math.max(0, Math.round(q * (count - 1))))];
  let min = at(lo);
  let max = at(hi);
  if (!(max > min)) {
    min -= 1;
    max += 1;
  }
  return { min, max, mean: sum / count };
}

/** The mean of each dimension of `codes` (count × size, row-major). */
export function meanCode(codes: ArrayLike<number>, size: number): Float32Array {
  const count = Math.floor(codes.length / size);
  const mean = new Float64Array(size);
  for (let i = 0; i < count; i++) for (let j = 0; j < size; j++) mean[j] += codes[i * size + j];
  return Float32Array.from(mean, (v) => v / count);
}

/** Columns `dimX` and `dimY` of `codes` (count × size) as interleaved (x, y) pairs, for a scatter. */
export function pickDims(
  codes: ArrayLike<number>,
  size: number,
  dimX: number,
  dimY: number,
): Float32Array {
  const count = Math.floor(codes.length / size);
  const xy = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    xy[2 * i] = codes[i * size + dimX];
    xy[2 * i + 1] = codes[i * size + dimY];
  }
  return xy;
}

/**
 * The range `[lo, hi]` moved so that its middle is `centre`, keeping its
 * width: a walk's axis around an anchor code (the grid's middle cell then
 * decodes the anchor itself).
 */
export function centreOn([lo, hi]: readonly [number, number], centre: number): [number, number] {
  const half = (hi - lo) / 2;
  return [centre - half, centre + half];
}
