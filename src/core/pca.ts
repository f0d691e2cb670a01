/**
 * Principal component analysis over the WebAssembly kernels (assembly/). Runs
 * in Node, a worker or a page; no DOM. The covariance of 8-bit pixels is exact
 * (integer Gram matrix), the whole spectrum comes from Householder + implicit
 * QL, the top K eigenvectors from block power iteration with Rayleigh–Ritz,
 * and the reconstruction error of every k ≤ K from one projection pass.
 * In Node the row-wise passes (Gram, projection) are shared with helper
 * threads (pca-threads.ts); in a page or a web worker everything runs on the
 * calling thread.
 */
import { AeError, throwIfAborted } from './errors.ts';
import {
  initKernels,
  type GramPath,
  type KernelFlavor,
  type PcaWorkspace,
} from './wasm/kernels.ts';
import { yieldToEventLoop } from './yield.ts';
import { acquireHelpers, defaultThreads, releaseHelpers, type PcaHelper } from './pca-threads.ts';

export type { GramPath, KernelFlavor } from './wasm/kernels.ts';
export { closePcaThreads, startPcaThreads } from './pca-threads.ts';

/** Where an analysis is; `fraction` runs 0..1 within each stage. */
export interface PcaProgress {
  stage: 'gram' | 'spectrum' | 'eigenvectors' | 'projection';
  fraction: number;
}

/** `samples` rows of `features` values: give `pixels` or `values`, not both. */
export interface PcaInput {
  samples: number;
  features: number;
  /** 8-bit values 0..255, analysed as value / 255. */
  pixels?: Uint8Array;
  /** Values used as they are (already scaled). */
  values?: Float32Array;
}

export interface PcaOptions {
  /** K, the number of eigenvectors and of reconstruction errors: 1..features, default min(10, features). */
  components?: number;
  /** Scores kept per sample: 0..components, default min(2, components). */
  scoreDims?: number;
  /** Power iteration stops when every wanted ‖Cv − λv‖ ≤ tolerance·λ1: 1e-14..0.1, default 1e-9. */
  tolerance?: number;
  /** Rayleigh–Ritz iterations at most: 1..100000, default 300. */
  maxIterations?: number;
  /** Default 'auto' (SIMD when available). */
  kernel?: KernelFlavor;
  /**
   * Gram pass for pixels: 'sparse' skips zero pixels, 'dense' does not; both
   * are exact. Default 'auto' (estimated from the data); values are always dense.
   */
  gramPath?: GramPath;
  /**
   * Threads for the Gram and projection passes, this one included: 1..64.
   * Default: every core in Node (helpers started on first use, then reused;
   * see startPcaThreads, closePcaThreads), 1 elsewhere: in a page or a web
   * worker more than 1 runs on one thread. Results agree to rounding (exactly
   * for pixels' Gram matrix).
   */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (p: PcaProgress) => void;
}

export interface PcaResult {
  samples: number;
  features: number;
  /** K. */
  components: number;
  /** Column means (features). */
  mean: Float64Array;
  /** All `features` eigenvalues of the covariance (divided by n − 1), descending, from tridiagonal QL. */
  eigenvalues: Float64Array;
  /** The K eigenvalues from block power iteration (Ritz values). */
  powerEigenvalues: Float64Array;
  /** K × features, row-major, orthonormal; each row's largest-magnitude entry is positive. */
  vectors: Float64Array;
  /** features: share of the total variance in the first k+1 components. */
  cumulativeVariance: Float64Array;
  /** Smallest k with cumulativeVariance[k − 1] ≥ 0.9. */
  componentsFor90: number;
  /** k = 1..K: mean over samples × features of the squared error of the rank-k reconstruction. */
  reconstructionMse: Float64Array;
  /** samples × scoreDims, projections on the leading components. */
  scores: Float32Array;
  scoreDims: number;
  /** Rayleigh–Ritz iterations of the block power iteration. */
  iterations: number;
  /** The tolerance asked for (relative to λ1). */
  tolerance: number;
  /** Largest ‖Cv − λv‖ / λ1 over the K eigenpairs returned. */
  residual: number;
  /** Whether `residual` ≤ `tolerance` within maxIterations. */
  converged: boolean;
  timingsMs: {
    gram: number;
    spectrum: number;
    eigenvectors: number;
    projection: number;
    total: number;
  };
  kernel: { simd: boolean; threads: boolean };
  /** The Gram pass that ran: over every pixel, or over the non-zero pixels only. */
  gramPath: 'dense' | 'sparse';
  /** Threads that took part in the Gram and projection passes (helpers join once ready). */
  threads?: number;
}

// Extra block vectors beyond K: convergence of λ_k goes as (λ_{p+1}/λ_k)^iterations.
const EXTRA_BLOCK = 10;
// Stage progress and cancellation: the Gram pass is split into this many parts.
const GRAM_PARTS = 10;
const PROJECTION_PARTS = 4;
// Fewer rows than this per thread are not worth a helper's message round trips.
const MIN_SHARE_ROWS = 1024;
// Between Gram/projection parts the loop always yields; in the power iteration
// only once this much time has passed since the last yield.
const YIELD_MS = 30;

const scalePixels = 1 / 255;

function isInt(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}

interface Checked {
  samples: number;
  features: number;
  components: number;
  scoreDims: number;
  tolerance: number;
  maxIterations: number;
  kernel: KernelFlavor;
  gramPath: GramPath;
  threads: number | undefined;
}

function validate(input: PcaInput, options: PcaOptions): Checked {
  if (typeof input !== 'object' || input === null) {
    throw new AeError(
      'BAD_ARGUMENT',
      'pca() needs an input { samples, features, pixels | values }.',
    );
  }
  const { samples, features, pixels, values } = input;
  if (!isInt(samples, 2, 2 ** 31 - 1)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `samples must be an integer from 2 to 2^31 − 1; got ${samples}.`,
    );
  }
  if (!isInt(features, 1, 2 ** 20)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `features must be an integer from 1 to 2^20; got ${features}.`,
    );
  }
  if ((pixels === undefined) === (values === undefined)) {
    throw new AeError(
      'BAD_ARGUMENT',
      'Give exactly one of pixels (Uint8Array) or values (Float32Array).',
    );
  }
  const data = pixels ?? values;
  if (pixels !== undefined && !(pixels instanceof Uint8Array)) {
    throw new AeError('BAD_ARGUMENT', 'pixels must be a Uint8Array of values 0..255.');
  }
  if (values !== undefined && !(values instanceof Float32Array)) {
    throw new AeError('BAD_ARGUMENT', 'values must be a Float32Array.');
  }
  if (data!.length !== samples * features) {
    throw new AeError(
      'BAD_ARGUMENT',
      `${pixels ? 'pixels' : 'values'} has ${data!.length} entries; samples × features = ` +
        `${samples} × ${features} = ${samples * features}.`,
    );
  }
  const components = options.components ?? Math.min(10, features);
  if (!isInt(components, 1, features)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `components must be an integer from 1 to features (${features}); got ${components}.`,
    );
  }
  const scoreDims = options.scoreDims ?? Math.min(2, components);
  if (!isInt(scoreDims, 0, components)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `scoreDims must be an integer from 0 to components (${components}); got ${scoreDims}.`,
    );
  }
  const tolerance = options.tolerance ?? 1e-9;
  if (typeof tolerance !== 'number' || !(tolerance >= 1e-14 && tolerance <= 0.1)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `tolerance must be a number from 1e-14 to 0.1; got ${tolerance}.`,
    );
  }
  const maxIterations = options.maxIterations ?? 300;
  if (!isInt(maxIterations, 1, 100000)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `maxIterations must be an integer from 1 to 100000; got ${maxIterations}.`,
    );
  }
  const kernel = options.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'simd' && kernel !== 'scalar') {
    throw new AeError(
      'BAD_ARGUMENT',
      `kernel must be 'auto', 'simd' or 'scalar'; got ${JSON.stringify(kernel)}.`,
    );
  }
  const gramPath = options.gramPath ?? 'auto';
  if (gramPath !== 'auto' && gramPath !== 'dense' && gramPath !== 'sparse') {
    throw new AeError(
      'BAD_ARGUMENT',
      `gramPath must be 'auto', 'dense' or 'sparse'; got ${JSON.stringify(gramPath)}.`,
    );
  }
  if (gramPath === 'sparse' && values !== undefined) {
    throw new AeError(
      'BAD_ARGUMENT',
      "gramPath 'sparse' is for pixels (8-bit data); use 'auto' or 'dense' with values.",
    );
  }
  const threads = options.threads;
  if (threads !== undefined && !isInt(threads, 1, 64)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `threads must be an integer from 1 to 64 (or left out for every core); got ${threads}.`,
    );
  }
  return {
    samples,
    features,
    components,
    scoreDims,
    tolerance,
    maxIterations,
    kernel,
    gramPath,
    threads,
  };
}

/**
 * PCA of `input`. Rejects with a BAD_ARGUMENT AeError naming the valid range
 * of a wrong argument, ABORTED when `signal` fires, WASM_UNAVAILABLE when the
 * kernels cannot be loaded.
 */
export async function pca(input: PcaInput, options: PcaOptions = {}): Promise<PcaResult> {
  const start = performance.now();
  const opts = validate(input, options);
  const { signal, onProgress } = options;
  const what = 'The PCA';
  throwIfAborted(signal, what);
  const kernels = await initKernels({ flavor: opts.kernel });
  throwIfAborted(signal, what);
  const tInit = performance.now();
  const { samples: n, features: d, components: K, scoreDims } = opts;

  const tick = async (stage: PcaProgress['stage'], fraction: number) => {
    onProgress?.({ stage, fraction });
    await yieldToEventLoop();
    throwIfAborted(signal, what);
  };

  const ws: PcaWorkspace = await kernels.openPca({
    samples: n,
    features: d,
    pixels: input.pixels,
    values: input.values,
    scale: scalePixels,
    gramPath: opts.gramPath,
  });
  // Helper threads and the rows each was given, [begin, end), after the calling thread's.
  let helpers: PcaHelper[] = [];
  const shares: Share[] = [];
  try {
    const threads = Math.min(
      opts.threads ?? (await defaultThreads()),
      Math.floor(n / MIN_SHARE_ROWS),
    );
    helpers = threads > 1 ? await acquireHelpers(threads - 1, opts.kernel) : [];

    // Gram matrix and covariance.
    onProgress?.({ stage: 'gram', fraction: 0 });
    const da = ws.activeFeatures;
    if (da === 0) {
      throw new AeError(
        'BAD_ARGUMENT',
        'Every feature is constant, so there is no variance to analyse; PCA needs varying data.',
      );
    }
    const step = Math.ceil(n / GRAM_PARTS);
    let cursor = 0;
    let mine = n;
    // Once helpers are ready (at once when the pool is warm), they take equal
    // shares of the rows not yet done; the partial Gram matrices sum exactly.
    const join = () => {
      if (shares.length > 0) return;
      const ready = helpers.filter((h) => h.isReady(opts.kernel));
      const remaining = mine - cursor;
      const parts = Math.min(ready.length + 1, Math.floor(remaining / MIN_SHARE_ROWS));
      if (parts < 2) return;
      const share = ws.share();
      for (let p = 1; p < parts; p++) {
        const begin = cursor + Math.floor((remaining * p) / parts);
        const end = cursor + Math.floor((remaining * (p + 1)) / parts);
        const rows = input.pixels
          ? { pixels: input.pixels.slice(begin * d, end * d) }
          : { values: input.values!.slice(begin * d, end * d) };
        const helper = ready[p - 1];
        const gram = helper.gram({
          type: 'gram',
          flavor: opts.kernel,
          samples: end - begin,
          features: d,
          scale: scalePixels,
          share,
          ...rows,
        });
        gram.catch(() => undefined);
        shares.push({ helper, begin, end, gram, open: true });
      }
      mine = cursor + Math.floor(remaining / parts);
    };
    join();
    while (cursor < mine) {
      const end = Math.min(cursor + step, mine);
      ws.gram(cursor, end);
      cursor = end;
      await tick('gram', cursor / mine);
      join();
    }
    for (const share of shares) {
      try {
        ws.addGram(await share.gram);
      } catch (error) {
        // A helper that stopped (or never started) leaves its rows to this thread.
        if (!threadStopped(error)) throw error;
        share.open = false;
        share.lost = true;
        ws.gram(share.begin, share.end);
      }
    }
    throwIfAborted(signal, what);
    ws.covariance();
    const tGram = performance.now();

    // The whole spectrum of the active block; constant features add exact zeros.
    onProgress?.({ stage: 'spectrum', fraction: 0 });
    const active = ws.spectrum();
    const eigenvalues = new Float64Array(d);
    eigenvalues.set(active);
    eigenvalues.sort().reverse();
    await tick('spectrum', 1);
    const tSpectrum = performance.now();

    // Top-K eigenpairs by block power iteration, accelerated by a Chebyshev
    // filter on [λ_min, λ_{p+1}] from the QL spectrum.
    onProgress?.({ stage: 'eigenvectors', fraction: 0 });
    const k = Math.min(K, da);
    const block = Math.min(k + EXTRA_BLOCK, da);
    const lower = Math.max(0, active[da - 1]);
    const upper = block < da ? active[block] : lower;
    ws.startSubspace(k, block, { lower, upper });
    let iterations = 0;
    let residual = Infinity;
    let first = NaN;
    let lastYield = performance.now();
    for (;;) {
      iterations++;
      const r = ws.ritz();
      const scale = Math.abs(ws.ritzValues()[0]) || 1;
      residual = r / scale;
      if (Number.isNaN(first)) first = residual;
      if (residual <= opts.tolerance || iterations >= opts.maxIterations) break;
      ws.advance();
      if (performance.now() - lastYield > YIELD_MS) {
        const progress = Math.log(first / residual) / Math.log(first / opts.tolerance);
        await tick('eigenvectors', Math.min(0.99, Math.max(0, progress)));
        lastYield = performance.now();
      }
    }
    const ritz = ws.ritzValues();
    const vectorsActive = ws.finishSubspace();
    await tick('eigenvectors', 1);
    const tVectors = performance.now();

    // Projection: scores and reconstruction errors for k = 1..K, each thread
    // over the rows of its Gram share.
    onProgress?.({ stage: 'projection', fraction: 0 });
    const kept = Math.min(scoreDims, k);
    const helperProjections = shares
      .filter((share) => !share.lost)
      .map((share) => {
        share.open = false;
        const projected = share.helper.project(vectorsActive, k, kept);
        projected.catch(() => undefined);
        return { share, projected };
      });
    for (let part = 0; part < PROJECTION_PARTS; part++) {
      const begin = Math.floor((mine * part) / PROJECTION_PARTS);
      const end = Math.floor((mine * (part + 1)) / PROJECTION_PARTS);
      if (end > begin || part === 0) ws.project(begin, end, kept);
      await tick('projection', (part + 1) / PROJECTION_PARTS);
    }
    for (const share of shares) if (share.lost) ws.project(share.begin, share.end, kept);
    for (const { share, projected } of helperProjections) {
      try {
        ws.addProjection(await projected, share.begin);
      } catch (error) {
        if (!threadStopped(error)) throw error;
        share.lost = true;
        ws.project(share.begin, share.end, kept);
      }
    }
    const projection = ws.projection();
    const tProjection = performance.now();

    // Full-length results. Components beyond the active features (K > da) are
    // unit vectors on constant features: eigenvalue 0, score 0.
    const indices = ws.activeIndices();
    const vectors = new Float64Array(K * d);
    for (let j = 0; j < k; j++) {
      for (let a = 0; a < da; a++) vectors[j * d + indices[a]] = vectorsActive[j * da + a];
    }
    if (K > k) {
      const isActive = new Uint8Array(d);
      for (const i of indices) isActive[i] = 1;
      let j = k;
      for (let i = 0; i < d && j < K; i++) if (!isActive[i]) vectors[j++ * d + i] = 1;
    }
    const powerEigenvalues = new Float64Array(K);
    powerEigenvalues.set(ritz);

    const cumulativeVariance = new Float64Array(d);
    let sum = 0;
    for (let i = 0; i < d; i++) cumulativeVariance[i] = sum += eigenvalues[i];
    for (let i = 0; i < d; i++) cumulativeVariance[i] /= sum;
    let componentsFor90 = d;
    for (let i = 0; i < d; i++) {
      if (cumulativeVariance[i] >= 0.9) {
        componentsFor90 = i + 1;
        break;
      }
    }

    const reconstructionMse = new Float64Array(K);
    let explained = 0;
    for (let j = 0; j < K; j++) {
      if (j < k) explained += projection.scoreSquares[j];
      reconstructionMse[j] = (projection.sumSquares - explained) / (n * d);
    }

    let scores = projection.scores;
    if (kept < scoreDims) {
      scores = new Float32Array(n * scoreDims);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < kept; j++) scores[i * scoreDims + j] = projection.scores[i * kept + j];
      }
    }

    const end = performance.now();
    return {
      samples: n,
      features: d,
      components: K,
      mean: ws.mean(),
      eigenvalues,
      powerEigenvalues,
      vectors,
      cumulativeVariance,
      componentsFor90,
      reconstructionMse,
      scores,
      scoreDims,
      iterations,
      tolerance: opts.tolerance,
      residual,
      converged: residual <= opts.tolerance,
      timingsMs: {
        gram: tGram - tInit,
        spectrum: tSpectrum - tGram,
        eigenvectors: tVectors - tSpectrum,
        projection: tProjection - tVectors,
        total: end - start,
      },
      kernel: { simd: kernels.info.simd, threads: kernels.info.threads },
      gramPath: ws.gramPath,
      threads: 1 + shares.filter((share) => !share.lost).length,
    };
  } finally {
    for (const share of shares) if (share.open) share.helper.close();
    releaseHelpers(helpers);
    ws.close();
  }
}

/** Rows [begin, end) given to a helper thread, and its partial Gram matrix. */
interface Share {
  helper: PcaHelper;
  begin: number;
  end: number;
  gram: Promise<Float64Array>;
  /** Whether the helper still holds the rows (no projection asked for). */
  open: boolean;
  /** Whether the helper stopped, so that this thread did the rows itself. */
  lost?: boolean;
}

function threadStopped(error: unknown): boolean {
  return error instanceof AeError && error.code === 'WORKER_FAILED';
}

/** A fitted PCA basis: the column means and K orthonormal components (row-major K × features). */
export type PcaBasis = Pick<PcaResult, 'features' | 'components' | 'mean' | 'vectors'>;

/** Scores and rank-k reconstructions of images through a fitted basis. */
export interface PcaProjection {
  count: number;
  /** count × k: coordinates on the first k components (centred, like PcaResult.scores). */
  scores: Float32Array;
  /** count × features: mean + the rank-k reconstruction, in the analysed scale [0, 1]. */
  reconstructions: Float32Array;
}

/**
 * Projects 8-bit images (count × features, 0..255, analysed as value / 255)
 * onto the first `k` components of `basis` and rebuilds them from those k
 * numbers. Plain JavaScript: it is meant for a handful of images (a drawn
 * digit, a grid of examples), O(count · k · features).
 */
export function projectImages(basis: PcaBasis, pixels: Uint8Array, k: number): PcaProjection {
  const d = basis.features;
  if (!isInt(k, 1, basis.components)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `k must be an integer from 1 to the basis's ${basis.components} components; got ${k}.`,
    );
  }
  if (!(pixels instanceof Uint8Array) || pixels.length === 0 || pixels.length % d !== 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `pixels must be a non-empty Uint8Array, a multiple of ${d} values long; got ${pixels.length}.`,
    );
  }
  const n = pixels.length / d;
  const { mean, vectors } = basis;
  const scores = new Float32Array(n * k);
  const reconstructions = new Float32Array(n * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) centred[p] = pixels[i * d + p] * scalePixels - mean[p];
    const out = reconstructions.subarray(i * d, (i + 1) * d);
    for (let p = 0; p < d; p++) out[p] = mean[p];
    for (let c = 0; c < k; c++) {
      const v = vectors.subarray(c * d, (c + 1) * d);
      let s = 0;
      for (let p = 0; p < d; p++) s += centred[p] * v[p];
      scores[i * k + c] = s;
      for (let p = 0; p < d; p++) out[p] += s * v[p];
    }
  }
  return { count: n, scores, reconstructions };
}

/** Images between two checks for a cancel in {@link heldOutMse}. */
const HELD_OUT_CHUNK = 256;

/**
 * The mean squared error per pixel of rank-k reconstructions of other
 * images than the basis was fitted on (8-bit, count × features, analysed as
 * value / 255), for every k from 1 to the basis's components: index k − 1.
 * What PCA scores on held-out test images, the error the autoencoders are
 * scored with. One pass, O(count · components · features), yielding to the
 * event loop between chunks so that `signal` gets through.
 */
export async function heldOutMse(
  basis: PcaBasis,
  pixels: Uint8Array,
  signal?: AbortSignal,
): Promise<Float64Array> {
  const d = basis.features;
  const K = basis.components;
  if (!(pixels instanceof Uint8Array) || pixels.length === 0 || pixels.length % d !== 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `pixels must be a non-empty Uint8Array, a multiple of ${d} values long; got ${pixels.length}.`,
    );
  }
  const n = pixels.length / d;
  const { mean, vectors } = basis;
  const centred = new Float64Array(d);
  // residual[j]: the squared error summed over the images, with j + 1 components.
  const residual = new Float64Array(K);
  for (let start = 0; start < n; start += HELD_OUT_CHUNK) {
    throwIfAborted(signal, 'Scoring PCA on the test images');
    const end = Math.min(n, start + HELD_OUT_CHUNK);
    for (let i = start; i < end; i++) {
      let total = 0;
      for (let p = 0; p < d; p++) {
        const c = pixels[i * d + p] * scalePixels - mean[p];
        centred[p] = c;
        total += c * c;
      }
      // The components are orthonormal: each one's squared score comes off the error.
      for (let c = 0; c < K; c++) {
        const v = vectors.subarray(c * d, (c + 1) * d);
        let s = 0;
        for (let p = 0; p < d; p++) s += centred[p] * v[p];
        total -= s * s;
        residual[c] += Math.max(0, total);
      }
    }
    if (end < n) await yieldToEventLoop();
  }
  throwIfAborted(signal, 'Scoring PCA on the test images');
  return residual.map((r) => r / (n * d));
}
