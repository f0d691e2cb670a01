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

/**
 * Reduces the symmetric n×n matrix `a` (row-major, destroyed) to tridiagonal
 * form with Householder reflections, eigenvalues only: diagonal into d (f64[n]),
 * off-diagonal into e (f64[n], e[i] couples i and i+1, e[n-1] = 0).
 * Scratch `w` holds 2n f64.
 */
export function tridiagonalize(a: usize, n: i32, d: usize, e: usize, w: usize): void {
  const rs = (<usize>n) << 3;
  const v = w;
  const p = w + rs;
  for (let k = 0; k < n; k++) {
    const akk = a + <usize>k * rs + ((<usize>k) << 3);
    store<f64>(d + ((<usize>k) << 3), load<f64>(akk));
    const m = n - k - 1;
    if (m <= 0) {
      store<f64>(e + ((<usize>k) << 3), 0);
      continue;
    }
    // x = A[k, k+1..n) (= column k below the diagonal, by symmetry).
    const x = akk + 8;
    if (m == 1) {
      store<f64>(e + ((<usize>k) << 3), load<f64>(x));
      continue;
    }
    const sigma = dot(x, x, m);
    const x0 = load<f64>(x);
    if (sigma == 0) {
      store<f64>(e + ((<usize>k) << 3), 0);
      continue;
    }
    const alpha = x0 >= 0 ? -Math.sqrt(sigma) : Math.sqrt(sigma);
    store<f64>(e + ((<usize>k) << 3), alpha);
    // Reflector H = I − β v vᵀ with v = x − α e1, so that H x = α e1.
    memory.copy(v, x, (<usize>m) << 3);
    store<f64>(v, x0 - alpha);
    const beta = 1 / (sigma - alpha * x0);
    // Trailing block B = A[k+1.., k+1..]: p = β B v, w = p − (β vᵀp / 2) v, B −= v wᵀ + w vᵀ.
    const b = akk + rs + 8;
    for (let i = 0; i < m; i++) {
      store<f64>(p + ((<usize>i) << 3), beta * dot(b + <usize>i * rs, v, m));
    }
    const kk = 0.5 * beta * dot(v, p, m);
    for (let i = 0; i < m; i++) {
      const o = (<usize>i) << 3;
      store<f64>(p + o, load<f64>(p + o) - kk * load<f64>(v + o));
    }
    for (let i = 0; i < m; i++) {
      const o = (<usize>i) << 3;
      rank2(b + <usize>i * rs, load<f64>(v + o), p, load<f64>(p + o), v, m);
    }
  }
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
 * descending, into `out` (f64[n]). Scratch `w`: 3n f64. Returns 0, or -1 if
 * QL did not converge.
 */
export function symEigenvalues(a: usize, n: i32, out: usize, w: usize): i32 {
  const e = w;
  tridiagonalize(a, n, out, e, w + ((<usize>n) << 3));
  const r = tql(out, e, n, 0);
  sortDescending(out, n);
  return r;
}
