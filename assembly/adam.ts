/**
 * The optimiser step of training, fused: one pass over a variable's weights,
 * gradient and Adam moments instead of a dozen TF.js ops that each allocate
 * a tensor. f32x4 lanes with SIMD, a scalar tail; both builds round alike.
 */

/**
 * One Adam step over n floats at w, g, m, v (TF.js's form of the update):
 * m = b1·m + (1 − b1)·g, v = b2·v + (1 − b2)·g², w = w − lr·(m / c1) / (√(v / c2) + eps),
 * where c1 = 1 − b1^t and c2 = 1 − b2^t for step t.
 */
export function adamStep(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f32,
  b1: f32,
  b2: f32,
  eps: f32,
  c1: f32,
  c2: f32,
): void {
  const a1: f32 = 1 - b1;
  const a2: f32 = 1 - b2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vb1 = f32x4.splat(b1);
    const vb2 = f32x4.splat(b2);
    const va1 = f32x4.splat(a1);
    const va2 = f32x4.splat(a2);
    const vc1 = f32x4.splat(c1);
    const vc2 = f32x4.splat(c2);
    const veps = f32x4.splat(eps);
    const vlr = f32x4.splat(lr);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const gi = v128.load(g + o);
      const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(va1, gi));
      const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(va2, f32x4.mul(gi, gi)));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      const step = f32x4.div(f32x4.div(mi, vc1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vc2)), veps));
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(vlr, step)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi: f32 = b1 * load<f32>(m + o) + a1 * gi;
    const vi: f32 = b2 * load<f32>(v + o) + a2 * (gi * gi);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const step: f32 = mi / c1 / (Mathf.sqrt(vi / c2) + eps);
    store<f32>(w + o, load<f32>(w + o) - lr * step);
  }
}
