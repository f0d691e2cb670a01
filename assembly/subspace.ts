/**
 * Block power (subspace) iteration with Rayleigh–Ritz for the top-k
 * eigenpairs of a symmetric positive semi-definite matrix C (n×n, f64).
 *
 * Vectors are stored contiguously (p vectors of n f64). Each step: Rayleigh–
 * Ritz on span(Q) using W = C·Q, residuals ‖C y − θ y‖ of the wanted Ritz
 * pairs, then a Chebyshev filter that damps the eigenvalues known to lie in
 * [lower, upper] (the unwanted part of the spectrum, from the QL eigenvalues)
 * and amplifies the wanted ones; see Y. Zhou and Y. Saad, "A Chebyshev–
 * Davidson algorithm for large symmetric eigenproblems", SIAM J. Matrix Anal.
 * Appl. 29 (2007). Without bounds (upper <= lower) it is plain power iteration.
 */
import { axpby, axpy, dot } from './simd';
import { tql, tred2 } from './eigen';

// Largest Chebyshev degree per step, and the largest ratio by which one step
// may amplify the top Ritz direction over the k-th (bounds the precision lost
// by the k-th direction before it is re-orthonormalised).
const MAX_DEGREE: i32 = 8;
const MAX_GROWTH: f64 = 1e4;

let sC: usize = 0;
let sN: i32 = 0;
let sP: i32 = 0;
let sK: i32 = 0;
let sQ: usize = 0;
let sW: usize = 0;
let sY: usize = 0;
let sZ: usize = 0;
let sT: usize = 0;
let sH: usize = 0;
let sTheta: usize = 0;
let sE: usize = 0;
let sRitz: usize = 0;
let sOrder: usize = 0;
let sLower: f64 = 0;
let sUpper: f64 = 0;
let sSeed: u64 = 0;

/** Bytes of workspace subspaceInit needs for block size p on an n×n matrix. */
export function subspaceBytes(n: i32, p: i32): usize {
  const vec = <usize>p * <usize>n;
  return (5 * vec + <usize>p * <usize>p + 3 * <usize>p) * 8 + <usize>p * 4 + 16;
}

/** Next pseudo-random number in [-1, 1) (xorshift64*). */
function random(): f64 {
  let x = sSeed;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  sSeed = x;
  return <f64>((x * 0x2545f4914f6cdd1d) >> 11) * 2.220446049250313e-16 - 1;
}

/** Makes the p vectors of length n at q orthonormal (modified Gram–Schmidt, twice); replaces dependent ones with random vectors. */
function orthonormalize(q: usize, p: i32, n: i32): void {
  const vs = (<usize>n) << 3;
  for (let j = 0; j < p; j++) {
    const qj = q + <usize>j * vs;
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = Math.sqrt(dot(qj, qj, n));
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < j; i++) {
          const qi = q + <usize>i * vs;
          axpy(qj, -dot(qi, qj, n), qi, n);
        }
      }
      const nrm = Math.sqrt(dot(qj, qj, n));
      if (nrm > 1e-10 * before && nrm > 1e-300) {
        axpby(qj, 1 / nrm, 0, qj, n);
        break;
      }
      for (let i = 0; i < n; i++) store<f64>(qj + ((<usize>i) << 3), random());
    }
  }
}

/** w_j = C q_j for the p vectors at q (C is n×n, row-major). */
export function multiply(c: usize, n: i32, q: usize, w: usize, p: i32): void {
  const rs = (<usize>n) << 3;
  let j = 0;
  for (; j + 4 <= p; j += 4) {
    const q0 = q + <usize>j * rs;
    const q1 = q0 + rs;
    const q2 = q1 + rs;
    const q3 = q2 + rs;
    const w0 = w + <usize>j * rs;
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const r0 = c + <usize>i * rs;
      const r1 = r0 + rs;
      let s00: f64 = 0;
      let s01: f64 = 0;
      let s02: f64 = 0;
      let s03: f64 = 0;
      let s10: f64 = 0;
      let s11: f64 = 0;
      let s12: f64 = 0;
      let s13: f64 = 0;
      let k = 0;
      if (ASC_FEATURE_SIMD) {
        let a00 = f64x2.splat(0);
        let a01 = f64x2.splat(0);
        let a02 = f64x2.splat(0);
        let a03 = f64x2.splat(0);
        let a10 = f64x2.splat(0);
        let a11 = f64x2.splat(0);
        let a12 = f64x2.splat(0);
        let a13 = f64x2.splat(0);
        for (; k + 2 <= n; k += 2) {
          const o = (<usize>k) << 3;
          const x0 = v128.load(r0 + o);
          const x1 = v128.load(r1 + o);
          const y0 = v128.load(q0 + o);
          const y1 = v128.load(q1 + o);
          const y2 = v128.load(q2 + o);
          const y3 = v128.load(q3 + o);
          a00 = f64x2.add(a00, f64x2.mul(x0, y0));
          a01 = f64x2.add(a01, f64x2.mul(x0, y1));
          a02 = f64x2.add(a02, f64x2.mul(x0, y2));
          a03 = f64x2.add(a03, f64x2.mul(x0, y3));
          a10 = f64x2.add(a10, f64x2.mul(x1, y0));
          a11 = f64x2.add(a11, f64x2.mul(x1, y1));
          a12 = f64x2.add(a12, f64x2.mul(x1, y2));
          a13 = f64x2.add(a13, f64x2.mul(x1, y3));
        }
        s00 = f64x2.extract_lane(a00, 0) + f64x2.extract_lane(a00, 1);
        s01 = f64x2.extract_lane(a01, 0) + f64x2.extract_lane(a01, 1);
        s02 = f64x2.extract_lane(a02, 0) + f64x2.extract_lane(a02, 1);
        s03 = f64x2.extract_lane(a03, 0) + f64x2.extract_lane(a03, 1);
        s10 = f64x2.extract_lane(a10, 0) + f64x2.extract_lane(a10, 1);
        s11 = f64x2.extract_lane(a11, 0) + f64x2.extract_lane(a11, 1);
        s12 = f64x2.extract_lane(a12, 0) + f64x2.extract_lane(a12, 1);
        s13 = f64x2.extract_lane(a13, 0) + f64x2.extract_lane(a13, 1);
      }
      for (; k < n; k++) {
        const o = (<usize>k) << 3;
        const x0 = load<f64>(r0 + o);
        const x1 = load<f64>(r1 + o);
        const y0 = load<f64>(q0 + o);
        const y1 = load<f64>(q1 + o);
        const y2 = load<f64>(q2 + o);
        const y3 = load<f64>(q3 + o);
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const o = (<usize>i) << 3;
      store<f64>(w0 + o, s00);
      store<f64>(w0 + rs + o, s01);
      store<f64>(w0 + 2 * rs + o, s02);
      store<f64>(w0 + 3 * rs + o, s03);
      store<f64>(w0 + o + 8, s10);
      store<f64>(w0 + rs + o + 8, s11);
      store<f64>(w0 + 2 * rs + o + 8, s12);
      store<f64>(w0 + 3 * rs + o + 8, s13);
    }
    for (; i < n; i++) {
      const r0 = c + <usize>i * rs;
      const o = (<usize>i) << 3;
      store<f64>(w0 + o, dot(r0, q0, n));
      store<f64>(w0 + rs + o, dot(r0, q1, n));
      store<f64>(w0 + 2 * rs + o, dot(r0, q2, n));
      store<f64>(w0 + 3 * rs + o, dot(r0, q3, n));
    }
  }
  for (; j < p; j++) {
    const qj = q + <usize>j * rs;
    const wj = w + <usize>j * rs;
    for (let i = 0; i < n; i++) store<f64>(wj + ((<usize>i) << 3), dot(c + <usize>i * rs, qj, n));
  }
}

/**
 * Starts the iteration for the top k eigenpairs of c (n×n) with block size p
 * (k ≤ p ≤ n) in `work` (subspaceBytes(n, p) bytes, 16-aligned). [lower, upper]
 * bounds the eigenvalues beyond the p-th (upper <= lower: no bounds known).
 */
export function subspaceInit(
  c: usize,
  n: i32,
  p: i32,
  k: i32,
  work: usize,
  lower: f64,
  upper: f64,
  seed: u32,
): void {
  const vec = (<usize>p * <usize>n) << 3;
  sC = c;
  sN = n;
  sP = p;
  sK = k;
  sQ = work;
  sW = sQ + vec;
  sY = sW + vec;
  sZ = sY + vec;
  sT = sZ + vec;
  sH = sT + vec;
  sTheta = sH + ((<usize>p * <usize>p) << 3);
  sE = sTheta + ((<usize>p) << 3);
  sRitz = sE + ((<usize>p) << 3);
  sOrder = sRitz + ((<usize>p) << 3);
  sLower = lower;
  sUpper = upper;
  sSeed = 0x9e3779b97f4a7c15 ^ ((<u64>seed) << 1);
  for (let i = 0, len = p * n; i < len; i++) store<f64>(sQ + ((<usize>i) << 3), random());
  orthonormalize(sQ, p, n);
  multiply(sC, n, sQ, sW, p);
}

/**
 * Rayleigh–Ritz on span(Q): Ritz values (descending) at subspaceRitzValues(),
 * Ritz vectors in Y, C·Y in Z. Returns the largest residual ‖C y_j − θ_j y_j‖
 * over the k wanted pairs, or -1 if the small eigenproblem did not converge.
 */
export function subspaceRitz(): f64 {
  const n = sN;
  const p = sP;
  const vs = (<usize>n) << 3;
  const ps = (<usize>p) << 3;
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const qa = sQ + <usize>a * vs;
      const qb = sQ + <usize>b * vs;
      const h = 0.5 * (dot(qa, sW + <usize>b * vs, n) + dot(qb, sW + <usize>a * vs, n));
      store<f64>(sH + <usize>a * ps + ((<usize>b) << 3), h);
      store<f64>(sH + <usize>b * ps + ((<usize>a) << 3), h);
    }
  }
  tred2(sH, p, sTheta, sE);
  if (tql(sTheta, sE, p, sH) < 0) return -1;
  // Order the Ritz pairs by descending value (selection sort; p is small).
  for (let j = 0; j < p; j++) store<i32>(sOrder + ((<usize>j) << 2), j);
  for (let j = 0; j < p; j++) {
    let best = j;
    for (let i = j + 1; i < p; i++) {
      const ti = load<f64>(sTheta + ((<usize>load<i32>(sOrder + ((<usize>i) << 2))) << 3));
      const tb = load<f64>(sTheta + ((<usize>load<i32>(sOrder + ((<usize>best) << 2))) << 3));
      if (ti > tb) best = i;
    }
    const t = load<i32>(sOrder + ((<usize>j) << 2));
    store<i32>(sOrder + ((<usize>j) << 2), load<i32>(sOrder + ((<usize>best) << 2)));
    store<i32>(sOrder + ((<usize>best) << 2), t);
  }
  memory.fill(sY, 0, <usize>p * vs);
  memory.fill(sZ, 0, <usize>p * vs);
  for (let j = 0; j < p; j++) {
    const o = load<i32>(sOrder + ((<usize>j) << 2));
    store<f64>(sRitz + ((<usize>j) << 3), load<f64>(sTheta + ((<usize>o) << 3)));
    const yj = sY + <usize>j * vs;
    const zj = sZ + <usize>j * vs;
    for (let a = 0; a < p; a++) {
      const s = load<f64>(sH + <usize>a * ps + ((<usize>o) << 3));
      axpy(yj, s, sQ + <usize>a * vs, n);
      axpy(zj, s, sW + <usize>a * vs, n);
    }
  }
  let worst: f64 = 0;
  for (let j = 0; j < sK; j++) {
    const yj = sY + <usize>j * vs;
    const zj = sZ + <usize>j * vs;
    const th = load<f64>(sRitz + ((<usize>j) << 3));
    let r: f64 = 0;
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      const t = load<f64>(zj + o) - th * load<f64>(yj + o);
      r += t * t;
    }
    worst = Math.max(worst, Math.sqrt(r));
  }
  return worst;
}

/** Pointer to the p Ritz values (f64, descending) of the last subspaceRitz. */
export function subspaceRitzValues(): usize {
  return sRitz;
}

/**
 * Filters the Ritz vectors (Chebyshev polynomial of a degree chosen from the
 * Ritz values and the bounds), re-orthonormalises them into Q and forms
 * W = C·Q. Returns the number of products with C it made.
 */
export function subspaceAdvance(): i32 {
  const n = sN;
  const p = sP;
  const len = p * n;
  const bytes = (<usize>len) << 3;
  const t1 = load<f64>(sRitz);
  const tk = load<f64>(sRitz + ((<usize>(sK - 1)) << 3));
  const half = 0.5 * (sUpper - sLower);
  const centre = 0.5 * (sUpper + sLower);
  let products = 1;
  if (half > 1e-12 * Math.abs(t1) && tk > sUpper + 1e-3 * half) {
    const x1 = (t1 - centre) / half;
    const xk = (tk - centre) / half;
    const ratio = (x1 + Math.sqrt(x1 * x1 - 1)) / (xk + Math.sqrt(xk * xk - 1));
    let m = MAX_DEGREE;
    if (ratio > 1.0001) m = <i32>Math.floor(Math.log(MAX_GROWTH) / Math.log(ratio));
    m = max(1, min(MAX_DEGREE, m));
    // Y_0 = Y, Y_1 = (C − c)Y/e, Y_{i+1} = 2(C − c)Y_i/e − Y_{i−1}; Z = C·Y is reused for Y_1.
    let prev = sY;
    let cur = sZ;
    axpby(cur, 1 / half, -centre / half, prev, len);
    for (let i = 2; i <= m; i++) {
      multiply(sC, n, cur, sT, p);
      axpby(prev, -1, 2 / half, sT, len);
      axpy(prev, (-2 * centre) / half, cur, len);
      const t = prev;
      prev = cur;
      cur = t;
    }
    memory.copy(sQ, cur, bytes);
    products = m;
  } else {
    memory.copy(sQ, sZ, bytes);
  }
  orthonormalize(sQ, p, n);
  multiply(sC, n, sQ, sW, p);
  return products;
}

/**
 * Copies the first k Ritz vectors (k × n) to `out`, each with its sign fixed
 * so that its entry of largest magnitude is positive.
 */
export function subspaceVectors(out: usize): void {
  const n = sN;
  const vs = (<usize>n) << 3;
  memory.copy(out, sY, <usize>sK * vs);
  for (let j = 0; j < sK; j++) {
    const v = out + <usize>j * vs;
    let big: f64 = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(load<f64>(v + ((<usize>i) << 3)));
      if (a > big) {
        big = a;
        at = i;
      }
    }
    if (load<f64>(v + ((<usize>at) << 3)) < 0) axpby(v, -1, 0, v, n);
  }
}
