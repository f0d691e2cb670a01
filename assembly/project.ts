/**
 * Projection onto the leading components and the reconstruction error of every
 * k = 1..K in one pass: with orthonormal components, the squared error of
 * keeping k of them is ‖x − μ‖² − Σ_{j≤k} score_j².
 */
import { dot } from './simd';

/** Scores of one centred row (f64[da] at `row`) on the K components v (K × da), accumulated into acc[1..K] and stored (the first sd) as f32. */
function scoreRow(row: usize, da: i32, v: usize, k: i32, out: usize, sd: i32, acc: usize): void {
  const vs = (<usize>da) << 3;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= k; j += 4) {
      const v0 = v + <usize>j * vs;
      const v1 = v0 + vs;
      const v2 = v1 + vs;
      const v3 = v2 + vs;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let i = 0;
      for (; i + 2 <= da; i += 2) {
        const o = (<usize>i) << 3;
        const x = v128.load(row + o);
        a0 = f64x2.add(a0, f64x2.mul(x, v128.load(v0 + o)));
        a1 = f64x2.add(a1, f64x2.mul(x, v128.load(v1 + o)));
        a2 = f64x2.add(a2, f64x2.mul(x, v128.load(v2 + o)));
        a3 = f64x2.add(a3, f64x2.mul(x, v128.load(v3 + o)));
      }
      let s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      let s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      let s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
      let s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
      for (; i < da; i++) {
        const o = (<usize>i) << 3;
        const x = load<f64>(row + o);
        s0 += x * load<f64>(v0 + o);
        s1 += x * load<f64>(v1 + o);
        s2 += x * load<f64>(v2 + o);
        s3 += x * load<f64>(v3 + o);
      }
      keep(s0, j, out, sd, acc);
      keep(s1, j + 1, out, sd, acc);
      keep(s2, j + 2, out, sd, acc);
      keep(s3, j + 3, out, sd, acc);
    }
  }
  for (; j < k; j++) keep(dot(row, v + <usize>j * vs, da), j, out, sd, acc);
}

function keep(s: f64, j: i32, out: usize, sd: i32, acc: usize): void {
  const pa = acc + ((<usize>(j + 1)) << 3);
  store<f64>(pa, load<f64>(pa) + s * s);
  if (j < sd) store<f32>(out + ((<usize>j) << 2), <f32>s);
}

/**
 * Projects rows r0..r1 of n×d bytes (times `scale`, minus `mean`, f64[da] in
 * active order) onto the K components v (K × da): scores (f32, n × sd) get
 * the first sd scores of each row, acc[0] += Σ‖x − μ‖², acc[j] += Σ score_j².
 * `row` is scratch for da f64.
 */
export function projectU8(
  x: usize,
  d: i32,
  active: usize,
  mean: usize,
  da: i32,
  scale: f64,
  v: usize,
  k: i32,
  r0: i32,
  r1: i32,
  scores: usize,
  sd: i32,
  acc: usize,
  row: usize,
): void {
  for (let r = r0; r < r1; r++) {
    const src = x + <usize>r * <usize>d;
    let ss: f64 = 0;
    for (let a = 0; a < da; a++) {
      const o = (<usize>a) << 3;
      const c = <usize>load<i32>(active + ((<usize>a) << 2));
      const t = <f64>load<u8>(src + c) * scale - load<f64>(mean + o);
      store<f64>(row + o, t);
      ss += t * t;
    }
    store<f64>(acc, load<f64>(acc) + ss);
    scoreRow(row, da, v, k, scores + ((<usize>r * <usize>sd) << 2), sd, acc);
  }
}

/** projectU8 for n×d f32 values (no scale). */
export function projectF32(
  x: usize,
  d: i32,
  active: usize,
  mean: usize,
  da: i32,
  v: usize,
  k: i32,
  r0: i32,
  r1: i32,
  scores: usize,
  sd: i32,
  acc: usize,
  row: usize,
): void {
  for (let r = r0; r < r1; r++) {
    const src = x + ((<usize>r * <usize>d) << 2);
    let ss: f64 = 0;
    for (let a = 0; a < da; a++) {
      const o = (<usize>a) << 3;
      const c = <usize>load<i32>(active + ((<usize>a) << 2));
      const t = <f64>load<f32>(src + (c << 2)) - load<f64>(mean + o);
      store<f64>(row + o, t);
      ss += t * t;
    }
    store<f64>(acc, load<f64>(acc) + ss);
    scoreRow(row, da, v, k, scores + ((<usize>r * <usize>sd) << 2), sd, acc);
  }
}
