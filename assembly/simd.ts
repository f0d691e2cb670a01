/** Small f64 vector helpers shared by the kernels: f64x2 lanes when built with SIMD, scalar otherwise. */

/** Σ a[i]·b[i] for i < n (f64). */
export function dot(a: usize, b: usize, n: i32): f64 {
  let i = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 3;
      s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    s0 = f64x2.add(s0, s1);
    s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    s += load<f64>(a + o) * load<f64>(b + o);
  }
  return s;
}

/** y[i] += alpha·x[i] for i < n (f64). */
export function axpy(y: usize, alpha: f64, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(alpha);
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** y[i] = alpha·y[i] + beta·x[i] for i < n (f64). */
export function axpby(y: usize, alpha: f64, beta: f64, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(alpha);
    const bv = f64x2.splat(beta);
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(
        y + o,
        f64x2.add(f64x2.mul(av, v128.load(y + o)), f64x2.mul(bv, v128.load(x + o))),
      );
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, alpha * load<f64>(y + o) + beta * load<f64>(x + o));
  }
}

/** y[i] -= a·v[i] + b·w[i] for i < n (the symmetric rank-2 update of one row). */
export function rank2(y: usize, a: f64, v: usize, b: f64, w: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(a);
    const bv = f64x2.splat(b);
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      const t = f64x2.add(f64x2.mul(av, v128.load(v + o)), f64x2.mul(bv, v128.load(w + o)));
      v128.store(y + o, f64x2.sub(v128.load(y + o), t));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) - (a * load<f64>(v + o) + b * load<f64>(w + o)));
  }
}
