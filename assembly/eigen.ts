/**
 * Symmetric eigenvalue problems in f64: Householder tridiagonalisation and the
 * implicit QL algorithm. `tred2` and `tql` follow the EISPACK routines as
 * published in JAMA (public domain, https://math.nist.gov/javanumerics/jama/).
 */
import { dot, rank2 } from './simd';

/** Address of element i of the f64 vector at `base`. */
function P(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

/** Address of element (i, j) of the row-major f64 matrix at `base` with row stride `rs` bytes. */
function M(base: usize, rs: usize, i: i32, j: i32): usize {
  return base + <usize>i * rs + ((<usize>j) << 3);
}

// The alpha of the last reflector() call (the new off-diagonal entry).
let reflectorAlpha: f64 = 0;

/**
 * Householder vector of x (m f64): writes v with (I − β v vᵀ) x = α e1 and
 * returns β (0 when no reflection is needed); α goes to reflectorAlpha.
 */
function reflector(x: usize, m: i32, v: usize): f64 {
  const x0 = load<f64>(x);
  const sigma = m > 1 ? dot(x, x, m) : 0;
  if (m <= 1 || sigma == 0) {
    reflectorAlpha = m == 1 ? x0 : 0;
    memory.fill(v, 0, (<usize>max(m, 0)) << 3);
    return 0;
  }
  const alpha = x0 >= 0 ? -Math.sqrt(sigma) : Math.sqrt(sigma);
  reflectorAlpha = alpha;
  memory.copy(v, x, (<usize>m) << 3);
  store<f64>(v, x0 - alpha);
  return 1 / (sigma - alpha * x0);
}

/**
 * One pass over the upper triangle of the trailing m×m block B (row r at
 * b0 + r·rs, entry j ≥ r at +8j), rows first..m−1: if `update`, applies
 * B −= v wᵀ + w vᵀ; then accumulates p += B u (the symmetric product through
 * the upper triangle; p starts at zero).
 */
function sweep(
  b0: usize,
  rs: usize,
  m: i32,
  first: i32,
  update: bool,
  v: usize,
  w: usize,
  u: usize,
  p: usize,
): void {
  for (let r = first; r < m; r++) {
    const row = b0 + <usize>r * rs;
    const ro = (<usize>r) << 3;
    const vr = load<f64>(v + ro);
    const wr = load<f64>(w + ro);
    const ur = load<f64>(u + ro);
    let b = load<f64>(row + ro);
    if (update) {
      b -= 2 * vr * wr;
      store<f64>(row + ro, b);
    }
    const acc = update
      ? sweepUpdateRow(row, r + 1, m, vr, wr, ur, v, w, u, p)
      : sweepRow(row, r + 1, m, ur, u, p);
    store<f64>(p + ro, load<f64>(p + ro) + b * ur + acc);
  }
}

/** Row part of sweep with the update: x_j −= vr·w_j + wr·v_j, p_j += x_j·ur; returns Σ x_j·u_j over j0..m−1. */
function sweepUpdateRow(
  row: usize,
  j0: i32,
  m: i32,
  vr: f64,
  wr: f64,
  ur: f64,
  v: usize,
  w: usize,
  u: usize,
  p: usize,
): f64 {
  let j = j0;
  let acc: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const vv = f64x2.splat(vr);
    const wv = f64x2.splat(wr);
    const uv = f64x2.splat(ur);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    for (; j + 4 <= m; j += 4) {
      const o = (<usize>j) << 3;
      const x0 = f64x2.sub(
        v128.load(row + o),
        f64x2.add(f64x2.mul(vv, v128.load(w + o)), f64x2.mul(wv, v128.load(v + o))),
      );
      const x1 = f64x2.sub(
        v128.load(row + o, 16),
        f64x2.add(f64x2.mul(vv, v128.load(w + o, 16)), f64x2.mul(wv, v128.load(v + o, 16))),
      );
      v128.store(row + o, x0);
      v128.store(row + o, x1, 16);
      a0 = f64x2.add(a0, f64x2.mul(x0, v128.load(u + o)));
      a1 = f64x2.add(a1, f64x2.mul(x1, v128.load(u + o, 16)));
      v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(x0, uv)));
      v128.store(p + o, f64x2.add(v128.load(p + o, 16), f64x2.mul(x1, uv)), 16);
    }
    a0 = f64x2.add(a0, a1);
    acc = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  }
  for (; j < m; j++) {
    const o = (<usize>j) << 3;
    const x = load<f64>(row + o) - (vr * load<f64>(w + o) + wr * load<f64>(v + o));
    store<f64>(row + o, x);
    acc += x * load<f64>(u + o);
    store<f64>(p + o, load<f64>(p + o) + x * ur);
  }
  return acc;
}

/** Row part of sweep without the update: p_j += x_j·ur; returns Σ x_j·u_j over j0..m−1. */
function sweepRow(row: usize, j0: i32, m: i32, ur: f64, u: usize, p: usize): f64 {
  let j = j0;
  let acc: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const uv = f64x2.splat(ur);
    let a0 = f64x2.splat(0);
    for (; j + 2 <= m; j += 2) {
      const o = (<usize>j) << 3;
      const x = v128.load(row + o);
      a0 = f64x2.add(a0, f64x2.mul(x, v128.load(u + o)));
      v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(x, uv)));
    }
    acc = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  }
  for (; j < m; j++) {
    const o = (<usize>j) << 3;
    const x = load<f64>(row + o);
    acc += x * load<f64>(u + o);
    store<f64>(p + o, load<f64>(p + o) + x * ur);
  }
  return acc;
}

/** Turns p = B v into w = β p − (β² vᵀ p / 2) v, the rank-2 update vector of H B H. */
function updateVector(p: usize, v: usize, m: i32, beta: f64): void {
  const kk = 0.5 * beta * beta * dot(v, p, m);
  for (let i = 0; i < m; i++) {
    const o = (<usize>i) << 3;
    store<f64>(p + o, beta * load<f64>(p + o) - kk * load<f64>(v + o));
  }
}

/**
 * Reduces the symmetric n×n matrix `a` (row-major; only the upper triangle is
 * read, and it is destroyed) to tridiagonal form with Householder reflections,
 * eigenvalues only: diagonal into d (f64[n]), off-diagonal into e (f64[n],
 * e[i] couples i and i+1, e[n-1] = 0). Scratch `w` holds 4n f64.
 *
 * Each step makes one pass over the trailing block: the rank-2 update of
 * step k is fused with the symmetric product B v of step k+1, whose
 * reflector comes from the first trailing row, updated first.
 */
export function tridiagonalize(a: usize, n: i32, d: usize, e: usize, w: usize): void {
  const rs = (<usize>n) << 3;
  const diag = rs + 8;
  // Four vectors of n f64: v and u (= w) of this step, and those of the next.
  let vb = w;
  let ub = w + rs;
  let vnb = w + 2 * rs;
  let pnb = w + 3 * rs;
  let off: usize = 0;
  store<f64>(d, load<f64>(a));
  if (n == 1) {
    store<f64>(e, 0);
    return;
  }
  // Step 0: reflector of A[0, 1..n) and w for the block A[1.., 1..].
  let m = n - 1;
  let beta = reflector(a + 8, m, vb);
  store<f64>(e, reflectorAlpha);
  memory.fill(ub, 0, (<usize>m) << 3);
  if (beta != 0) {
    sweep(a + diag, rs, m, 0, false, vb, vb, vb, ub);
    updateVector(ub, vb, m, beta);
  }
  for (let k = 0; k < n - 1; k++) {
    // Trailing block B = A[k+1.., k+1..] of size m; v, u (= w) have length m.
    m = n - k - 1;
    const v = vb + off;
    const u = ub + off;
    const b0 = a + <usize>(k + 1) * diag;
    if (beta != 0) {
      const v0 = load<f64>(v);
      const w0 = load<f64>(u);
      for (let j = 0; j < m; j++) {
        const o = (<usize>j) << 3;
        store<f64>(b0 + o, load<f64>(b0 + o) - (v0 * load<f64>(u + o) + w0 * load<f64>(v + o)));
      }
    }
    store<f64>(d + ((<usize>(k + 1)) << 3), load<f64>(b0));
    if (m == 1) break;
    // Next reflector from B[0, 1..m), stored one place right so it lines up with B's columns.
    const nb = reflector(b0 + 8, m - 1, vnb + 8);
    store<f64>(vnb, 0);
    store<f64>(e + ((<usize>(k + 1)) << 3), reflectorAlpha);
    memory.fill(pnb, 0, (<usize>m) << 3);
    if (beta != 0 || nb != 0) sweep(b0, rs, m, 1, beta != 0, v, u, vnb, pnb);
    if (nb != 0) updateVector(pnb + 8, vnb + 8, m - 1, nb);
    // Step k+1 works on B[1.., 1..]: its vectors start at index 1 of vnb, pnb.
    let t = vb;
    vb = vnb;
    vnb = t;
    t = ub;
    ub = pnb;
    pnb = t;
    off = 8;
    beta = nb;
  }
  store<f64>(e + ((<usize>(n - 1)) << 3), 0);
}

/**
 * Householder reduction of the symmetric n×n matrix `v` (row-major) to
 * tridiagonal form, accumulating the transformation in `v`: d (f64[n]) the
 * diagonal, e (f64[n]) the off-diagonal with e[i] coupling i and i+1.
 */
export function tred2(v: usize, n: i32, d: usize, e: usize): void {
  const rs = (<usize>n) << 3;
  for (let j = 0; j < n; j++) store<f64>(P(d, j), load<f64>(M(v, rs, n - 1, j)));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(load<f64>(P(d, k)));
    if (scale == 0) {
      store<f64>(P(e, i), load<f64>(P(d, i - 1)));
      for (let j = 0; j < i; j++) {
        store<f64>(P(d, j), load<f64>(M(v, rs, i - 1, j)));
        store<f64>(M(v, rs, i, j), 0);
        store<f64>(M(v, rs, j, i), 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const dk = load<f64>(P(d, k)) / scale;
        store<f64>(P(d, k), dk);
        h += dk * dk;
      }
      let f = load<f64>(P(d, i - 1));
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      store<f64>(P(e, i), scale * g);
      h -= f * g;
      store<f64>(P(d, i - 1), f - g);
      for (let j = 0; j < i; j++) store<f64>(P(e, j), 0);
      for (let j = 0; j < i; j++) {
        f = load<f64>(P(d, j));
        store<f64>(M(v, rs, j, i), f);
        g = load<f64>(P(e, j)) + load<f64>(M(v, rs, j, j)) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = load<f64>(M(v, rs, k, j));
          g += vkj * load<f64>(P(d, k));
          store<f64>(P(e, k), load<f64>(P(e, k)) + vkj * f);
        }
        store<f64>(P(e, j), g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const ej = load<f64>(P(e, j)) / h;
        store<f64>(P(e, j), ej);
        f += ej * load<f64>(P(d, j));
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) store<f64>(P(e, j), load<f64>(P(e, j)) - hh * load<f64>(P(d, j)));
      for (let j = 0; j < i; j++) {
        f = load<f64>(P(d, j));
        g = load<f64>(P(e, j));
        for (let k = j; k <= i - 1; k++) {
          store<f64>(
            M(v, rs, k, j),
            load<f64>(M(v, rs, k, j)) - (f * load<f64>(P(e, k)) + g * load<f64>(P(d, k))),
          );
        }
        store<f64>(P(d, j), load<f64>(M(v, rs, i - 1, j)));
        store<f64>(M(v, rs, i, j), 0);
      }
    }
    store<f64>(P(d, i), h);
  }
  for (let i = 0; i < n - 1; i++) {
    store<f64>(M(v, rs, n - 1, i), load<f64>(M(v, rs, i, i)));
    store<f64>(M(v, rs, i, i), 1);
    const h = load<f64>(P(d, i + 1));
    if (h != 0) {
      for (let k = 0; k <= i; k++) store<f64>(P(d, k), load<f64>(M(v, rs, k, i + 1)) / h);
      for (let j = 0; j <= i; j++) {
        let g: f64 = 0;
        for (let k = 0; k <= i; k++) g += load<f64>(M(v, rs, k, i + 1)) * load<f64>(M(v, rs, k, j));
        for (let k = 0; k <= i; k++) {
          store<f64>(M(v, rs, k, j), load<f64>(M(v, rs, k, j)) - g * load<f64>(P(d, k)));
        }
      }
    }
    for (let k = 0; k <= i; k++) store<f64>(M(v, rs, k, i + 1), 0);
  }
  for (let j = 0; j < n; j++) {
    store<f64>(P(d, j), load<f64>(M(v, rs, n - 1, j)));
    store<f64>(M(v, rs, n - 1, j), 0);
  }
  store<f64>(M(v, rs, n - 1, n - 1), 1);
  // JAMA's e[i] couples i−1 and i; shift to this file's convention.
  for (let i = 1; i < n; i++) store<f64>(P(e, i - 1), load<f64>(P(e, i)));
  store<f64>(P(e, n - 1), 0);
}

/**
 * Implicit QL iterations on the symmetric tridiagonal matrix (d, e; e[i]
 * couples i and i+1): eigenvalues into d (unsorted), and when v != 0 the
 * eigenvectors rotated into the columns of v (n×n, from tred2 or the identity).
 * Returns 0, or -1 if an eigenvalue needed more than 60 iterations.
 */
export function tql(d: usize, e: usize, n: i32, v: usize): i32 {
  const rs = (<usize>n) << 3;
  store<f64>(P(e, n - 1), 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  const eps: f64 = 2.220446049250313e-16;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(load<f64>(P(d, l))) + Math.abs(load<f64>(P(e, l))));
    let m = l;
    while (m < n) {
      if (Math.abs(load<f64>(P(e, m))) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return -1;
        let g = load<f64>(P(d, l));
        let p = (load<f64>(P(d, l + 1)) - g) / (2 * load<f64>(P(e, l)));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        store<f64>(P(d, l), load<f64>(P(e, l)) / (p + r));
        store<f64>(P(d, l + 1), load<f64>(P(e, l)) * (p + r));
        const dl1 = load<f64>(P(d, l + 1));
        let h = g - load<f64>(P(d, l));
        for (let i = l + 2; i < n; i++) store<f64>(P(d, i), load<f64>(P(d, i)) - h);
        f += h;
        p = load<f64>(P(d, m));
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = load<f64>(P(e, l + 1));
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(P(e, i));
          const di = load<f64>(P(d, i));
          g = c * ei;
          h = c * p;
          r = Math.hypot(p, ei);
          store<f64>(P(e, i + 1), s * r);
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          store<f64>(P(d, i + 1), h + s * (c * g + s * di));
          if (v != 0) {
            for (let k = 0; k < n; k++) {
              const pk = v + <usize>k * rs + ((<usize>i) << 3);
              const vi = load<f64>(pk);
              const vi1 = load<f64>(pk, 8);
              store<f64>(pk, c * vi - s * vi1);
              store<f64>(pk, s * vi + c * vi1, 8);
            }
          }
        }
        p = (-s * s2 * c3 * el1 * load<f64>(P(e, l))) / dl1;
        store<f64>(P(e, l), s * p);
        store<f64>(P(d, l), c * p);
      } while (Math.abs(load<f64>(P(e, l))) > eps * tst1);
    }
    store<f64>(P(d, l), load<f64>(P(d, l)) + f);
    store<f64>(P(e, l), 0);
  }
  return 0;
}

/** Sorts the n f64 at `d` in descending order (insertion sort; n is at most a few thousand). */
export function sortDescending(d: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const x = load<f64>(d + ((<usize>i) << 3));
    let j = i - 1;
    while (j >= 0 && load<f64>(d + ((<usize>j) << 3)) < x) {
      store<f64>(d + ((<usize>(j + 1)) << 3), load<f64>(d + ((<usize>j) << 3)));
      j--;
    }
    store<f64>(d + ((<usize>(j + 1)) << 3), x);
  }
}

/**
 * All eigenvalues of the symmetric n×n matrix `a` (row-major, destroyed),
 * descending, into `out` (f64[n]). Scratch `w`: 5n f64. Returns 0, or -1 if
 * QL did not converge.
 */
export function symEigenvalues(a: usize, n: i32, out: usize, w: usize): i32 {
  const e = w;
  tridiagonalize(a, n, out, e, w + ((<usize>n) << 3));
  const r = tql(out, e, n, 0);
  sortDescending(out, n);
  return r;
}
