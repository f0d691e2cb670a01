/**
 * Column statistics and the covariance matrix.
 *
 * 8-bit pixels: the Gram matrix XᵀX is computed exactly in integers over the
 * varying ("active") columns, transposed chunk by chunk so that each dot
 * product runs over samples (i32x4.dot_i16x8_s on bytes widened to i16), then
 * centred in f64: C = (n·G − s sᵀ) / (n(n−1)) · scale², where s are the exact
 * integer column sums. Float input is centred first and accumulated in f64.
 */

/** Samples per transposed chunk of the u8 Gram pass (da × 1024 bytes: within L2 for MNIST). */
export const CHUNK_U8: i32 = 1024;
/** Samples per transposed chunk of the f32 Gram pass (da × 128 f64: also 1024 bytes per row). */
export const CHUNK_F64: i32 = 128;
// Bytes between consecutive rows of a transposed chunk, in both passes: a
// compile-time constant, so that each register block addresses its rows with
// one pointer and immediate offsets.
const ROW: usize = 1024;

/** Bytes of the transposed-chunk scratch that gramU8 and gramF32 need for da4 rows. */
export function gramScratchBytes(da4: i32): usize {
  return <usize>da4 * ROW;
}

// Rows per block of the u8 column sums: 2^23 · 255 < 2^31, so i32 sums cannot overflow.
const STATS_BLOCK: i32 = 1 << 23;

/**
 * Column sums of n×d bytes (row-major) into `sum` (f64[d]) and the indices of
 * the columns that are not constant into `active` (i32[d]); returns how many.
 * Also stores Σ z_r and Σ z_r² into `nz` (f64[2]), z_r being the number of
 * non-zero bytes of row r: the work of the sparse Gram pass.
 * Scratch: `acc` i32[d + 16], `lo`/`hi` u8[d + 16] each.
 */
export function colStatsU8(
  x: usize,
  n: i32,
  d: i32,
  sum: usize,
  active: usize,
  acc: usize,
  lo: usize,
  hi: usize,
  nz: usize,
): i32 {
  let nzSum: f64 = 0;
  let nzSquares: f64 = 0;
  memory.fill(lo, 0xff, <usize>d);
  memory.fill(hi, 0, <usize>d);
  for (let c = 0; c < d; c++) store<f64>(sum + ((<usize>c) << 3), 0);
  for (let r0 = 0; r0 < n; r0 += STATS_BLOCK) {
    const r1 = min(n, r0 + STATS_BLOCK);
    memory.fill(acc, 0, (<usize>d) << 2);
    for (let r = r0; r < r1; r++) {
      const row = x + <usize>r * <usize>d;
      let c = 0;
      let nonZero = 0;
      if (ASC_FEATURE_SIMD) {
        for (; c + 16 <= d; c += 16) {
          const v = v128.load(row + c);
          nonZero += <i32>popcnt(i8x16.bitmask(i8x16.ne(v, i8x16.splat(0))));
          const l16 = i16x8.extend_low_i8x16_u(v);
          const h16 = i16x8.extend_high_i8x16_u(v);
          const pa = acc + ((<usize>c) << 2);
          v128.store(pa, i32x4.add(v128.load(pa), i32x4.extend_low_i16x8_u(l16)));
          v128.store(pa, i32x4.add(v128.load(pa, 16), i32x4.extend_high_i16x8_u(l16)), 16);
          v128.store(pa, i32x4.add(v128.load(pa, 32), i32x4.extend_low_i16x8_u(h16)), 32);
          v128.store(pa, i32x4.add(v128.load(pa, 48), i32x4.extend_high_i16x8_u(h16)), 48);
          v128.store(lo + c, i8x16.min_u(v128.load(lo + c), v));
          v128.store(hi + c, i8x16.max_u(v128.load(hi + c), v));
        }
      }
      for (; c < d; c++) {
        const v = <i32>load<u8>(row + c);
        const pa = acc + ((<usize>c) << 2);
        store<i32>(pa, load<i32>(pa) + v);
        if (v != 0) nonZero++;
        if (v < <i32>load<u8>(lo + c)) store<u8>(lo + c, <u8>v);
        if (v > <i32>load<u8>(hi + c)) store<u8>(hi + c, <u8>v);
      }
      nzSum += <f64>nonZero;
      nzSquares += <f64>nonZero * <f64>nonZero;
    }
    for (let c = 0; c < d; c++) {
      const ps = sum + ((<usize>c) << 3);
      store<f64>(ps, load<f64>(ps) + <f64>load<i32>(acc + ((<usize>c) << 2)));
    }
  }
  store<f64>(nz, nzSum);
  store<f64>(nz, nzSquares, 8);
  let na = 0;
  for (let c = 0; c < d; c++) {
    if (load<u8>(hi + c) > load<u8>(lo + c)) {
      store<i32>(active + ((<usize>na) << 2), c);
      na++;
    }
  }
  return na;
}

/**
 * Column sums (f64) of n×d f32 values and the non-constant columns, like
 * colStatsU8; returns -1 if any value is not finite. Scratch: `lo`/`hi` f32[d].
 */
export function colStatsF32(
  x: usize,
  n: i32,
  d: i32,
  sum: usize,
  active: usize,
  lo: usize,
  hi: usize,
): i32 {
  for (let c = 0; c < d; c++) {
    const v = load<f32>(x + ((<usize>c) << 2));
    store<f64>(sum + ((<usize>c) << 3), 0);
    store<f32>(lo + ((<usize>c) << 2), v);
    store<f32>(hi + ((<usize>c) << 2), v);
  }
  let bad = false;
  for (let r = 0; r < n; r++) {
    const row = x + ((<usize>r * <usize>d) << 2);
    for (let c = 0; c < d; c++) {
      const o = (<usize>c) << 2;
      const v = load<f32>(row + o);
      if (!isFinite<f32>(v)) bad = true;
      const ps = sum + ((<usize>c) << 3);
      store<f64>(ps, load<f64>(ps) + <f64>v);
      if (v < load<f32>(lo + o)) store<f32>(lo + o, v);
      if (v > load<f32>(hi + o)) store<f32>(hi + o, v);
    }
  }
  if (bad) return -1;
  let na = 0;
  for (let c = 0; c < d; c++) {
    const o = (<usize>c) << 2;
    if (load<f32>(hi + o) > load<f32>(lo + o)) {
      store<i32>(active + ((<usize>na) << 2), c);
      na++;
    }
  }
  return na;
}

/** Adds the horizontal sum of an i32x4 accumulator to the f64 at `p`. */
function flushI32(p: usize, v: v128): void {
  const s =
    i32x4.extract_lane(v, 0) +
    i32x4.extract_lane(v, 1) +
    i32x4.extract_lane(v, 2) +
    i32x4.extract_lane(v, 3);
  store<f64>(p, load<f64>(p) + <f64>s);
}

/** Adds the horizontal sum of an f64x2 accumulator to the f64 at `p`. */
function flushF64(p: usize, v: v128): void {
  store<f64>(p, load<f64>(p) + (f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1)));
}

/**
 * Adds rows r0..r1 of n×d bytes to the exact Gram matrix of the active columns:
 * g (f64, da4×da4, upper triangle and some of the diagonal blocks' lower part)
 * += Σ_r x[r,a]·x[r,b]. Scratch `t` holds da4 × CHUNK_U8 bytes (255²·CHUNK_U8 <
 * 2^31, so the i32 accumulators cannot overflow before they are flushed).
 * da4 is da rounded up to a multiple of 4.
 */
export function gramU8(
  x: usize,
  d: i32,
  active: usize,
  da: i32,
  da4: i32,
  r0: i32,
  r1: i32,
  t: usize,
  g: usize,
): void {
  const chunk = CHUNK_U8;
  const ld = ROW;
  if (da4 > da) memory.fill(t + <usize>da * ld, 0, <usize>(da4 - da) * ld);
  for (let s0 = r0; s0 < r1; s0 += chunk) {
    const m = min(chunk, r1 - s0);
    const m8 = (m + 7) & ~7;
    // Transpose: eight rows at a time, one 8-byte store per active column.
    let s = 0;
    for (; s + 8 <= m; s += 8) {
      const p = x + <usize>(s0 + s) * <usize>d;
      const dd = <usize>d;
      for (let a = 0; a < da; a++) {
        const c = <usize>load<i32>(active + ((<usize>a) << 2));
        const q = p + c;
        const v =
          (<u64>load<u8>(q)) |
          ((<u64>load<u8>(q + dd)) << 8) |
          ((<u64>load<u8>(q + 2 * dd)) << 16) |
          ((<u64>load<u8>(q + 3 * dd)) << 24) |
          ((<u64>load<u8>(q + 4 * dd)) << 32) |
          ((<u64>load<u8>(q + 5 * dd)) << 40) |
          ((<u64>load<u8>(q + 6 * dd)) << 48) |
          ((<u64>load<u8>(q + 7 * dd)) << 56);
        store<u64>(t + <usize>a * ld + <usize>s, v);
      }
    }
    if (s < m8) {
      for (let a = 0; a < da; a++) store<u64>(t + <usize>a * ld + <usize>s, 0);
      for (let k = s; k < m; k++) {
        const p = x + <usize>(s0 + k) * <usize>d;
        for (let a = 0; a < da; a++) {
          const c = <usize>load<i32>(active + ((<usize>a) << 2));
          store<u8>(t + <usize>a * ld + <usize>k, load<u8>(p + c));
        }
      }
    }
    // 2×4 register blocks over the upper triangle (blocks straddling the
    // diagonal also compute a few lower entries, which are ignored).
    for (let i = 0; i < da4; i += 2) {
      const a0 = t + <usize>i * ld;
      const a1 = a0 + ld;
      for (let j = i & ~3; j < da4; j += 4) {
        const b0 = t + <usize>j * ld;
        const b1 = b0 + ld;
        const b2 = b1 + ld;
        const b3 = b2 + ld;
        const g0 = g + ((<usize>i * <usize>da4 + <usize>j) << 3);
        const g1 = g0 + ((<usize>da4) << 3);
        if (ASC_FEATURE_SIMD) {
          let c00 = i32x4.splat(0);
          let c01 = i32x4.splat(0);
          let c02 = i32x4.splat(0);
          let c03 = i32x4.splat(0);
          let c10 = i32x4.splat(0);
          let c11 = i32x4.splat(0);
          let c12 = i32x4.splat(0);
          let c13 = i32x4.splat(0);
          const end = a0 + <usize>m8;
          let pa = a0;
          let pb = b0;
          while (pa < end) {
            const x0 = v128.load8x8_u(pa);
            const x1 = v128.load8x8_u(pa, ROW);
            const y0 = v128.load8x8_u(pb);
            const y1 = v128.load8x8_u(pb, ROW);
            const y2 = v128.load8x8_u(pb, 2 * ROW);
            const y3 = v128.load8x8_u(pb, 3 * ROW);
            c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, y0));
            c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, y1));
            c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x0, y2));
            c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x0, y3));
            c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, y0));
            c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, y1));
            c12 = i32x4.add(c12, i32x4.dot_i16x8_s(x1, y2));
            c13 = i32x4.add(c13, i32x4.dot_i16x8_s(x1, y3));
            pa += 8;
            pb += 8;
          }
          flushI32(g0, c00);
          flushI32(g0 + 8, c01);
          flushI32(g0 + 16, c02);
          flushI32(g0 + 24, c03);
          flushI32(g1, c10);
          flushI32(g1 + 8, c11);
          flushI32(g1 + 16, c12);
          flushI32(g1 + 24, c13);
        } else {
          let c00 = 0;
          let c01 = 0;
          let c02 = 0;
          let c03 = 0;
          let c10 = 0;
          let c11 = 0;
          let c12 = 0;
          let c13 = 0;
          for (let k = 0; k < m; k++) {
            const o = <usize>k;
            const x0 = <i32>load<u8>(a0 + o);
            const x1 = <i32>load<u8>(a1 + o);
            const y0 = <i32>load<u8>(b0 + o);
            const y1 = <i32>load<u8>(b1 + o);
            const y2 = <i32>load<u8>(b2 + o);
            const y3 = <i32>load<u8>(b3 + o);
            c00 += x0 * y0;
            c01 += x0 * y1;
            c02 += x0 * y2;
            c03 += x0 * y3;
            c10 += x1 * y0;
            c11 += x1 * y1;
            c12 += x1 * y2;
            c13 += x1 * y3;
          }
          store<f64>(g0, load<f64>(g0) + <f64>c00);
          store<f64>(g0 + 8, load<f64>(g0 + 8) + <f64>c01);
          store<f64>(g0 + 16, load<f64>(g0 + 16) + <f64>c02);
          store<f64>(g0 + 24, load<f64>(g0 + 24) + <f64>c03);
          store<f64>(g1, load<f64>(g1) + <f64>c10);
          store<f64>(g1 + 8, load<f64>(g1 + 8) + <f64>c11);
          store<f64>(g1 + 16, load<f64>(g1 + 16) + <f64>c12);
          store<f64>(g1 + 24, load<f64>(g1 + 24) + <f64>c13);
        }
      }
    }
  }
}

/**
 * Adds rows r0..r1 of n×d f32 values, centred by `mean` (f64[da], active
 * order), to the f64 cross-product matrix g (da4×da4, upper triangle). Scratch
 * `t` holds da4 × CHUNK_F64 f64.
 */
export function gramF32(
  x: usize,
  d: i32,
  active: usize,
  mean: usize,
  da: i32,
  da4: i32,
  r0: i32,
  r1: i32,
  t: usize,
  g: usize,
): void {
  const chunk = CHUNK_F64;
  const ld = ROW;
  if (da4 > da) memory.fill(t + <usize>da * ld, 0, <usize>(da4 - da) * ld);
  for (let s0 = r0; s0 < r1; s0 += chunk) {
    const m = min(chunk, r1 - s0);
    const m2 = (m + 1) & ~1;
    for (let k = 0; k < m; k++) {
      const p = x + ((<usize>(s0 + k) * <usize>d) << 2);
      for (let a = 0; a < da; a++) {
        const c = <usize>load<i32>(active + ((<usize>a) << 2));
        const v = <f64>load<f32>(p + (c << 2)) - load<f64>(mean + ((<usize>a) << 3));
        store<f64>(t + <usize>a * ld + ((<usize>k) << 3), v);
      }
    }
    if (m2 > m) {
      for (let a = 0; a < da; a++) store<f64>(t + <usize>a * ld + ((<usize>m) << 3), 0);
    }
    for (let i = 0; i < da4; i += 2) {
      const a0 = t + <usize>i * ld;
      const a1 = a0 + ld;
      for (let j = i & ~3; j < da4; j += 4) {
        const b0 = t + <usize>j * ld;
        const b1 = b0 + ld;
        const b2 = b1 + ld;
        const b3 = b2 + ld;
        const g0 = g + ((<usize>i * <usize>da4 + <usize>j) << 3);
        const g1 = g0 + ((<usize>da4) << 3);
        if (ASC_FEATURE_SIMD) {
          let c00 = f64x2.splat(0);
          let c01 = f64x2.splat(0);
          let c02 = f64x2.splat(0);
          let c03 = f64x2.splat(0);
          let c10 = f64x2.splat(0);
          let c11 = f64x2.splat(0);
          let c12 = f64x2.splat(0);
          let c13 = f64x2.splat(0);
          const end = a0 + ((<usize>m2) << 3);
          let pa = a0;
          let pb = b0;
          while (pa < end) {
            const x0 = v128.load(pa);
            const x1 = v128.load(pa, ROW);
            const y0 = v128.load(pb);
            const y1 = v128.load(pb, ROW);
            const y2 = v128.load(pb, 2 * ROW);
            const y3 = v128.load(pb, 3 * ROW);
            c00 = f64x2.add(c00, f64x2.mul(x0, y0));
            c01 = f64x2.add(c01, f64x2.mul(x0, y1));
            c02 = f64x2.add(c02, f64x2.mul(x0, y2));
            c03 = f64x2.add(c03, f64x2.mul(x0, y3));
            c10 = f64x2.add(c10, f64x2.mul(x1, y0));
            c11 = f64x2.add(c11, f64x2.mul(x1, y1));
            c12 = f64x2.add(c12, f64x2.mul(x1, y2));
            c13 = f64x2.add(c13, f64x2.mul(x1, y3));
            pa += 16;
            pb += 16;
          }
          flushF64(g0, c00);
          flushF64(g0 + 8, c01);
          flushF64(g0 + 16, c02);
          flushF64(g0 + 24, c03);
          flushF64(g1, c10);
          flushF64(g1 + 8, c11);
          flushF64(g1 + 16, c12);
          flushF64(g1 + 24, c13);
        } else {
          let c00: f64 = 0;
          let c01: f64 = 0;
          let c02: f64 = 0;
          let c03: f64 = 0;
          let c10: f64 = 0;
          let c11: f64 = 0;
          let c12: f64 = 0;
          let c13: f64 = 0;
          for (let k = 0; k < m; k++) {
            const o = (<usize>k) << 3;
            const x0 = load<f64>(a0 + o);
            const x1 = load<f64>(a1 + o);
            const y0 = load<f64>(b0 + o);
            const y1 = load<f64>(b1 + o);
            const y2 = load<f64>(b2 + o);
            const y3 = load<f64>(b3 + o);
            c00 += x0 * y0;
            c01 += x0 * y1;
            c02 += x0 * y2;
            c03 += x0 * y3;
            c10 += x1 * y0;
            c11 += x1 * y1;
            c12 += x1 * y2;
            c13 += x1 * y3;
          }
          store<f64>(g0, load<f64>(g0) + c00);
          store<f64>(g0 + 8, load<f64>(g0 + 8) + c01);
          store<f64>(g0 + 16, load<f64>(g0 + 16) + c02);
          store<f64>(g0 + 24, load<f64>(g0 + 24) + c03);
          store<f64>(g1, load<f64>(g1) + c10);
          store<f64>(g1 + 8, load<f64>(g1 + 8) + c11);
          store<f64>(g1 + 16, load<f64>(g1 + 16) + c12);
          store<f64>(g1 + 24, load<f64>(g1 + 24) + c13);
        }
      }
    }
  }
}

/**
 * The covariance c (f64, da×da, full symmetric) from the upper triangle of g.
 * With `sums` (f64[da], active order; integer data): c = (n·g − s sᵀ)·factor,
 * exact until the final product. With sums == 0 (data already centred):
 * c = g·factor. factor is scale²/(n(n−1)) or 1/(n−1) respectively.
 */
export function covariance(
  g: usize,
  da4: i32,
  c: usize,
  da: i32,
  n: f64,
  sums: usize,
  factor: f64,
): void {
  for (let a = 0; a < da; a++) {
    const sa = sums != 0 ? load<f64>(sums + ((<usize>a) << 3)) : 0;
    for (let b = a; b < da; b++) {
      let v = load<f64>(g + ((<usize>a * <usize>da4 + <usize>b) << 3));
      if (sums != 0) v = n * v - sa * load<f64>(sums + ((<usize>b) << 3));
      v *= factor;
      store<f64>(c + ((<usize>a * <usize>da + <usize>b) << 3), v);
      store<f64>(c + ((<usize>b * <usize>da + <usize>a) << 3), v);
    }
  }
}

/*
 * The sparse pass. Each row of the Gram matrix is swept once per batch of
 * SPARSE_BATCH samples: the samples' non-zero entries are bucketed by column,
 * and bucket a adds v_a·x_b for the sample's entries b ≥ a to row a of an i32
 * triangle, which stays in L1 meanwhile (the triangle as a whole does not fit
 * in L2 on MNIST). The scalar build keeps lists of non-zero (column, value)
 * pairs and a packed triangle over the active columns; the SIMD build keeps
 * lists of non-zero 8-byte chunks widened to i16x8 and a triangle over all d
 * columns whose row c starts at the chunk holding c, so that one chunk is two
 * i32x4 extended multiply-adds.
 */

// Samples per batch (measured: 16 to 32 are best on MNIST; 256 is 1.4× slower with SIMD).
const SPARSE_BATCH: i32 = 16;

/** Elements of the SIMD triangle before row c: Σ_{c' < c} (d8 − 8⌊c'/8⌋). */
function chunkedStart(c: usize, d8: usize): usize {
  const q = c >>> 3;
  return c * d8 - ((((q * (q - 1)) << 2) + (c & 7) * q) << 3);
}

/** Byte offset of row c of the SIMD triangle, less 4 × its first column: entry (c, b) is at this + 4b. */
function chunkedRow(c: usize, d8: usize): usize {
  return (chunkedStart(c, d8) - (c & ~(<usize>7))) << 2;
}

/** Byte offset of row a of the scalar (packed) triangle, less 4a: entry (a, b ≥ a) is at this + 4b. */
function packedRow(a: usize, da: usize): usize {
  return (a * da - ((a * (a + 1)) >>> 1)) << 2;
}

/** Bytes of the i32 triangle that gramSparseU8 accumulates into, for d columns of which da are active. */
export function gramSparseBytes(d: i32, da: i32): usize {
  if (ASC_FEATURE_SIMD) return chunkedStart(<usize>d, <usize>((d + 7) & ~7)) << 2;
  return ((<usize>da * <usize>(da + 1)) >>> 1) << 2;
}

/** Bytes of the other scratch that gramSparseU8 needs, for d columns of which da are active. */
export function gramSparseScratchBytes(d: i32, da: i32): usize {
  const batch = <usize>SPARSE_BATCH;
  // Lists and buckets of one batch, column starts and list ends.
  const lists = ASC_FEATURE_SIMD ? batch * <usize>((d + 7) >>> 3) * 20 : batch * <usize>da * 8;
  const buckets = batch * <usize>da * (ASC_FEATURE_SIMD ? 16 : 8);
  return lists + buckets + ((<usize>(d + 1 + SPARSE_BATCH)) << 2) + 64;
}

/**
 * Gathers the non-zero active bytes of the row at `row` (d bytes) into `nz`
 * as i32 pairs (4·active index, value), in column order; returns how many.
 * `pos` (i32[d]) maps a column to 4·its active index, or to -1 if constant.
 */
function gatherPairs(row: usize, d: i32, pos: usize, nz: usize): i32 {
  let m = 0;
  let c = 0;
  for (; c + 8 <= d; c += 8) {
    let w = load<u64>(row + c);
    while (w != 0) {
      const bit = ctz(w) & ~(<u64>7);
      const cc = <usize>c + <usize>(bit >>> 3);
      const v = <i32>((w >>> bit) & 0xff);
      w &= ~((<u64>0xff) << bit);
      const p = load<i32>(pos + (cc << 2));
      const q = nz + ((<usize>m) << 3);
      store<i32>(q, p);
      store<i32>(q, v, 4);
      m += select<i32>(1, 0, p >= 0);
    }
  }
  for (; c < d; c++) {
    const v = <i32>load<u8>(row + c);
    const p = load<i32>(pos + ((<usize>c) << 2));
    if (v != 0 && p >= 0) {
      const q = nz + ((<usize>m) << 3);
      store<i32>(q, p);
      store<i32>(q, v, 4);
      m++;
    }
  }
  return m;
}

/** One batch of the scalar sparse pass (see above); `start` is i32[da + 1], `ends` i32[batch]. */
function sparseBatchPairs(
  x: usize,
  d: i32,
  pos: usize,
  da: i32,
  b0: i32,
  b1: i32,
  lists: usize,
  buckets: usize,
  start: usize,
  ends: usize,
  acc: usize,
): void {
  memory.fill(start, 0, (<usize>(da + 1)) << 2);
  let cursor = lists;
  for (let r = b0; r < b1; r++) {
    const m = gatherPairs(x + <usize>r * <usize>d, d, pos, cursor);
    const end = cursor + ((<usize>m) << 3);
    for (let e = cursor; e < end; e += 8) {
      const pc = start + 4 + <usize>load<i32>(e);
      store<i32>(pc, load<i32>(pc) + 1);
    }
    store<i32>(ends + ((<usize>(r - b0)) << 2), <i32>end);
    cursor = end;
  }
  let total = 0;
  for (let a = 1; a <= da; a++) {
    const pc = start + ((<usize>a) << 2);
    total += load<i32>(pc);
    store<i32>(pc, total);
  }
  // Fill the buckets (entry, end of its list); afterwards start[a] is where bucket a ends.
  let e = lists;
  for (let k = 0; k < b1 - b0; k++) {
    const end = <usize>load<i32>(ends + ((<usize>k) << 2));
    for (; e < end; e += 8) {
      const pc = start + <usize>load<i32>(e);
      const slot = load<i32>(pc);
      store<i32>(pc, slot + 1);
      const q = buckets + ((<usize>slot) << 3);
      store<i32>(q, <i32>e);
      store<i32>(q, <i32>end, 4);
    }
  }
  let q = buckets;
  for (let a = 0; a < da; a++) {
    const qEnd = buckets + ((<usize>load<i32>(start + ((<usize>a) << 2))) << 3);
    const base = acc + packedRow(<usize>a, <usize>da);
    for (; q < qEnd; q += 8) {
      const pi = <usize>load<i32>(q);
      const end = <usize>load<i32>(q, 4);
      const vi = load<i32>(pi, 4);
      for (let pj = pi; pj < end; pj += 8) {
        const p = base + <usize>load<i32>(pj);
        store<i32>(p, load<i32>(p) + vi * load<i32>(pj, 4));
      }
    }
  }
}

/**
 * One batch of the SIMD sparse pass (see above). `data` gets the non-zero
 * chunks as i16x8, `offs` their byte offsets in a triangle row (i32), buckets
 * are (chunk, end of its list, value, -); `start` is i32[d + 1], `ends` i32[batch].
 */
function sparseBatchChunks(
  x: usize,
  d: i32,
  pos: usize,
  b0: i32,
  b1: i32,
  data: usize,
  offs: usize,
  buckets: usize,
  start: usize,
  ends: usize,
  acc: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    const d8 = <usize>((d + 7) & ~7);
    // Bytes of the last chunk inside the row, if it is partial.
    const tail = d & 7;
    const chunks = (d + 7) >>> 3;
    memory.fill(start, 0, (<usize>(d + 1)) << 2);
    let m = 0;
    for (let r = b0; r < b1; r++) {
      const row = x + <usize>r * <usize>d;
      for (let j = 0; j < chunks; j++) {
        const p = row + ((<usize>j) << 3);
        let w: u64 = 0;
        if (j * 8 + 8 <= d) {
          w = load<u64>(p);
        } else {
          for (let b = 0; b < tail; b++) {
            const byte = <u64>load<u8>(p + b);
            w |= byte << ((<u64>b) << 3);
          }
        }
        if (w == 0) continue;
        v128.store(data + ((<usize>m) << 4), i16x8.extend_low_i8x16_u(i64x2.splat(w)));
        store<i32>(offs + ((<usize>m) << 2), j << 5);
        // Count the active non-zero columns of this chunk.
        while (w != 0) {
          const bit = ctz(w) & ~(<u64>7);
          w &= ~((<u64>0xff) << bit);
          const c = ((<usize>j) << 3) + <usize>(bit >>> 3);
          if (load<i32>(pos + (c << 2)) >= 0) {
            const pc = start + 4 + (c << 2);
            store<i32>(pc, load<i32>(pc) + 1);
          }
        }
        m++;
      }
      store<i32>(ends + ((<usize>(r - b0)) << 2), m);
    }
    let total = 0;
    for (let c = 1; c <= d; c++) {
      const pc = start + ((<usize>c) << 2);
      total += load<i32>(pc);
      store<i32>(pc, total);
    }
    // Fill the buckets; afterwards start[c] is where bucket c ends.
    let i = 0;
    for (let k = 0; k < b1 - b0; k++) {
      const end = load<i32>(ends + ((<usize>k) << 2));
      for (; i < end; i++) {
        const pd = data + ((<usize>i) << 4);
        const j = (<usize>load<i32>(offs + ((<usize>i) << 2))) >>> 5;
        let mask = i16x8.bitmask(i16x8.ne(v128.load(pd), i16x8.splat(0)));
        while (mask != 0) {
          const b = <usize>ctz(mask);
          mask &= mask - 1;
          const c = (j << 3) + b;
          if (load<i32>(pos + (c << 2)) < 0) continue;
          const pc = start + (c << 2);
          const slot = load<i32>(pc);
          store<i32>(pc, slot + 1);
          const q = buckets + ((<usize>slot) << 4);
          store<i32>(q, i);
          store<i32>(q, end, 4);
          store<i32>(q, <i32>load<u16>(pd + (b << 1)), 8);
        }
      }
    }
    let q = buckets;
    for (let c = 0; c < d; c++) {
      const qEnd = buckets + ((<usize>load<i32>(start + ((<usize>c) << 2))) << 4);
      const base = acc + chunkedRow(<usize>c, d8);
      for (; q < qEnd; q += 16) {
        const i0 = <usize>load<i32>(q);
        const i1 = <usize>load<i32>(q, 4);
        const v = i16x8.splat(<i16>load<i32>(q, 8));
        let pd = data + (i0 << 4);
        let po = offs + (i0 << 2);
        const endPo = offs + (i1 << 2);
        for (; po < endPo; po += 4) {
          const xv = v128.load(pd);
          const p = base + <usize>load<i32>(po);
          v128.store(p, i32x4.add(v128.load(p), i32x4.extmul_low_i16x8_u(xv, v)));
          v128.store(p, i32x4.add(v128.load(p, 16), i32x4.extmul_high_i16x8_u(xv, v)), 16);
          pd += 16;
        }
      }
    }
  }
}

/**
 * Adds rows r0..r1 of n×d bytes to the i32 triangle `acc` (gramSparseBytes)
 * from the outer products of each row's non-zero active entries only: about
 * Σ z_r(z_r+1)/2 multiply-adds instead of n·da(da+1)/2, exact as long as at
 * most 33,025 rows (255²·33025 < 2^31) are added between two gramSparseFlush
 * calls. `pos` (i32[d]) maps a column to 4·its active index, or to -1 if
 * constant; scratch `s` as sized by gramSparseScratchBytes.
 */
export function gramSparseU8(
  x: usize,
  d: i32,
  pos: usize,
  da: i32,
  r0: i32,
  r1: i32,
  s: usize,
  acc: usize,
): void {
  const batch = <usize>SPARSE_BATCH;
  for (let b0 = r0; b0 < r1; b0 += SPARSE_BATCH) {
    const b1 = min(r1, b0 + SPARSE_BATCH);
    if (ASC_FEATURE_SIMD) {
      const chunks = batch * <usize>((d + 7) >>> 3);
      const data = (s + 15) & ~(<usize>15);
      const offs = data + (chunks << 4);
      const buckets = offs + (chunks << 2);
      const start = buckets + ((batch * <usize>da) << 4);
      const ends = start + ((<usize>(d + 1)) << 2);
      sparseBatchChunks(x, d, pos, b0, b1, data, offs, buckets, start, ends, acc);
    } else {
      const lists = s;
      const buckets = lists + ((batch * <usize>da) << 3);
      const start = buckets + ((batch * <usize>da) << 3);
      const ends = start + ((<usize>(d + 1)) << 2);
      sparseBatchPairs(x, d, pos, da, b0, b1, lists, buckets, start, ends, acc);
    }
  }
}

/** Adds the i32 triangle `acc` to the upper triangle of g (f64, da4×da4; `active` lists the da active columns of d) and clears it. */
export function gramSparseFlush(
  acc: usize,
  d: i32,
  active: usize,
  da: i32,
  g: usize,
  da4: i32,
): void {
  const d8 = <usize>((d + 7) & ~7);
  for (let a = 0; a < da; a++) {
    const dst = g + ((<usize>a * <usize>da4) << 3);
    if (ASC_FEATURE_SIMD) {
      const src = acc + chunkedRow(<usize>load<i32>(active + ((<usize>a) << 2)), d8);
      for (let b = a; b < da; b++) {
        const pa = src + ((<usize>load<i32>(active + ((<usize>b) << 2))) << 2);
        const pg = dst + ((<usize>b) << 3);
        store<f64>(pg, load<f64>(pg) + <f64>load<i32>(pa));
      }
    } else {
      const src = acc + packedRow(<usize>a, <usize>da);
      for (let b = a; b < da; b++) {
        const pa = src + ((<usize>b) << 2);
        const pg = dst + ((<usize>b) << 3);
        store<f64>(pg, load<f64>(pg) + <f64>load<i32>(pa));
      }
    }
  }
  memory.fill(acc, 0, gramSparseBytes(d, da));
}
