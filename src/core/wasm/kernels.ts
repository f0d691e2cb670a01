/**
 * The only module that touches the PCA kernels' memory and pointers. It loads
 * one of the two builds of assembly/ (SIMD or scalar, chosen by feature
 * detection), lays out kernel memory, and offers typed arrays in and out.
 */
import { AeError } from '../errors.ts';
import { shortUrl, shortUrlsIn } from '../short-url.ts';

/** Which kernel build to run: 'auto' picks SIMD when the runtime supports it. */
export type KernelFlavor = 'auto' | 'simd' | 'scalar';

/** What the loaded kernels use. Threads are never used (single-threaded wasm). */
export interface KernelInfo {
  readonly simd: boolean;
  readonly threads: false;
}

/**
 * How the 8-bit Gram matrix is accumulated: 'dense' over all active features
 * (register-blocked, i32x4 dot products with SIMD), 'sparse' over each
 * sample's non-zero features only, 'auto' by a cost estimate from the
 * column-statistics pass. Both are exact and give the same matrix; float
 * values always take the dense path.
 */
export type GramPath = 'auto' | 'dense' | 'sparse';

/** Where to get a kernel build from instead of the bundled file. */
export type KernelSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

export interface InitKernelsOptions {
  /** Default 'auto'. */
  flavor?: KernelFlavor;
  /** A URL, the .wasm bytes or a compiled module; it must be the build `flavor` names. */
  source?: KernelSource;
}

/** Data for one analysis: `samples` rows of `features` values, one of the two arrays. */
export interface KernelPcaData {
  samples: number;
  features: number;
  /** 8-bit values, used as value × `scale`. */
  pixels?: Uint8Array;
  /** Float values, used as they are. */
  values?: Float32Array;
  /** Factor applied to `pixels` (default 1). */
  scale?: number;
  /** Default 'auto'; 'sparse' needs `pixels`. */
  gramPath?: GramPath;
  /**
   * For a share of another workspace's rows (PcaWorkspace.share()): its active
   * columns and means, so that gram() and project() add to the same sums.
   */
  share?: PcaShare;
}

/** What a workspace over some of the rows needs from the one over all of them. */
export interface PcaShare {
  /** Indices of the non-constant features, ascending. */
  active: Int32Array;
  /** Their means, in the units of the analysis. */
  meanActive: Float64Array;
  gramPath: 'dense' | 'sparse';
}

/** The state of one analysis in kernel memory. Methods run in the order listed. */
export interface PcaWorkspace {
  readonly samples: number;
  readonly features: number;
  /** Number of features that are not constant (the others have zero variance). */
  readonly activeFeatures: number;
  /** The Gram pass gram() runs: always 'dense' for float values. */
  readonly gramPath: 'dense' | 'sparse';
  /** Indices of the non-constant features, ascending (a copy). */
  activeIndices(): Int32Array;
  /** What a workspace over other rows of the same data needs to add to this one's sums. */
  share(): PcaShare;
  /** The cross-product matrix so far (da4 × da4, upper triangle; a copy), for addGram. */
  gramMatrix(): Float64Array;
  /** Adds another workspace's gramMatrix() (over other rows) to this one's. */
  addGram(partial: Float64Array): void;
  /** Column means (features), in the units of the analysis (pixels × scale). */
  mean(): Float64Array;
  /** Adds samples begin..end to the cross-product matrix. */
  gram(begin: number, end: number): void;
  /** Forms the covariance (divided by samples − 1) of the active features. */
  covariance(): void;
  /** All eigenvalues of the active covariance, descending (Householder + implicit QL). */
  spectrum(): Float64Array;
  /** Starts block power iteration for `k` eigenpairs with block size `block`. */
  startSubspace(k: number, block: number, bounds: { lower: number; upper: number }): void;
  /** Rayleigh–Ritz step; returns the largest residual ‖Cv − θv‖ of the wanted pairs. */
  ritz(): number;
  /** The `k` wanted Ritz values of the last ritz(), descending. */
  ritzValues(): Float64Array;
  /** Filters and re-orthonormalises the block; returns how many products with C it made. */
  advance(): number;
  /** Keeps the Ritz vectors (k × activeFeatures, sign fixed) for projection and returns them. */
  finishSubspace(): Float64Array;
  /** Sets the vectors to project on (k × activeFeatures), instead of finishSubspace. */
  useVectors(vectors: Float64Array, k: number): void;
  /** Projects samples begin..end onto the first `scoreDims` (≤ k) components, accumulating errors. */
  project(begin: number, end: number, scoreDims: number): void;
  /** Σ‖x − μ‖², Σ score_j² per component, and the scores (samples × scoreDims). */
  projection(): { sumSquares: number; scoreSquares: Float64Array; scores: Float32Array };
  /** Adds another workspace's projection() over rows begin.. (after this one's project calls). */
  addProjection(
    partial: { sumSquares: number; scoreSquares: Float64Array; scores: Float32Array },
    begin: number,
  ): void;
  /** Gives the kernel memory back to the next analysis. */
  close(): void;
}

/** The loaded kernels. One analysis runs at a time; openPca waits for the previous to close. */
export interface PcaKernels {
  readonly info: KernelInfo;
  openPca(data: KernelPcaData): Promise<PcaWorkspace>;
}

/** The kernels' exports, as src/core/wasm/ calls them. */
export interface Exports {
  memory: WebAssembly.Memory;
  simd(): number;
  reserve(bytes: number): number;
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  colStatsU8(
    x: number,
    n: number,
    d: number,
    sum: number,
    active: number,
    acc: number,
    lo: number,
    hi: number,
    nz: number,
  ): number;
  colStatsF32(
    x: number,
    n: number,
    d: number,
    sum: number,
    active: number,
    lo: number,
    hi: number,
  ): number;
  gramScratchBytes(da4: number): number;
  gramU8(
    x: number,
    d: number,
    active: number,
    da: number,
    da4: number,
    r0: number,
    r1: number,
    t: number,
    g: number,
  ): void;
  gramSparseBytes(d: number, da: number): number;
  gramSparseScratchBytes(d: number, da: number): number;
  gramSparseU8(
    x: number,
    d: number,
    pos: number,
    da: number,
    r0: number,
    r1: number,
    s: number,
    acc: number,
  ): void;
  gramSparseFlush(acc: number, d: number, active: number, da: number, g: number, da4: number): void;
  gramF32(
    x: number,
    d: number,
    active: number,
    mean: number,
    da: number,
    da4: number,
    r0: number,
    r1: number,
    t: number,
    g: number,
  ): void;
  covariance(
    g: number,
    da4: number,
    c: number,
    da: number,
    n: number,
    sums: number,
    factor: number,
  ): void;
  symEigenvalues(a: number, n: number, out: number, w: number): number;
  subspaceBytes(n: number, p: number): number;
  subspaceInit(
    c: number,
    n: number,
    p: number,
    k: number,
    work: number,
    lower: number,
    upper: number,
    seed: number,
  ): void;
  subspaceRitz(): number;
  subspaceRitzValues(): number;
  subspaceAdvance(): number;
  subspaceVectors(out: number): void;
  projectU8(
    x: number,
    d: number,
    active: number,
    mean: number,
    da: number,
    scale: number,
    v: number,
    k: number,
    r0: number,
    r1: number,
    scores: number,
    sd: number,
    acc: number,
    row: number,
  ): void;
  projectF32(
    x: number,
    d: number,
    active: number,
    mean: number,
    da: number,
    v: number,
    k: number,
    r0: number,
    r1: number,
    scores: number,
    sd: number,
    acc: number,
    row: number,
  ): void;
}

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)), as in
// GoogleChromeLabs/wasm-feature-detect's simd detector.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

let simdCache: boolean | undefined;

/** Whether this runtime validates WebAssembly SIMD (v128) code. */
export function simdSupported(): boolean {
  simdCache ??= typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  return simdCache;
}

function defaultUrl(simd: boolean): URL {
  // Written out in full so that bundlers (Vite) see and emit both assets.
  return simd
    ? new URL('./generated/pca.simd.wasm', import.meta.url)
    : new URL('./generated/pca.scalar.wasm', import.meta.url);
}

const imports = {
  env: {
    abort() {
      throw new AeError('WASM_UNAVAILABLE', 'The PCA kernel aborted; this is a bug in ae-demo.');
    },
  },
};

async function compileUrl(url: URL): Promise<WebAssembly.Module> {
  const node = typeof process === 'object' && process.versions?.node !== undefined;
  if (node && url.protocol === 'file:') {
    // Hidden from bundlers: this branch only runs in Node, and a page must not pull node:fs.
    const fsModule = 'node:fs/promises';
    const { readFile } = (await import(
      /* @vite-ignore */ fsModule
    )) as typeof import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response.clone());
    } catch {
      // Usually a server that does not send application/wasm: compile from bytes instead.
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function instantiateUrl(url: URL): Promise<WebAssembly.Instance> {
  return WebAssembly.instantiate(await compileUrl(url), imports);
}

const modules = new Map<boolean, Promise<WebAssembly.Module>>();

/**
 * A fresh instance of the bundled kernels with memory of its own (SIMD when
 * the runtime has it), for work that keeps state in kernel memory from call
 * to call, such as an optimiser's moments (src/core/wasm/adam.ts). The
 * compiled module is shared; WASM_UNAVAILABLE if it cannot load.
 */
export async function freshKernelInstance(): Promise<{ exports: Exports; simd: boolean }> {
  const simd = simdSupported();
  let module = modules.get(simd);
  if (!module) {
    module = compileUrl(defaultUrl(simd));
    modules.set(simd, module);
    module.catch(() => modules.delete(simd));
  }
  try {
    const instance = await WebAssembly.instantiate(await module, imports);
    return { exports: instance.exports as unknown as Exports, simd };
  } catch (cause) {
    throw new AeError(
      'WASM_UNAVAILABLE',
      `Could not load the ${simd ? 'simd' : 'scalar'} kernels: ${shortUrlsIn((cause as Error).message)}. ` +
        'Run `npm run build:kernels`, and serve .wasm files as application/wasm.',
      { cause },
    );
  }
}

async function instantiate(source: KernelSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, imports);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes =
      source instanceof ArrayBuffer
        ? source
        : new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
    return (await WebAssembly.instantiate(bytes, imports)).instance;
  }
  const base = typeof location === 'object' ? location.href : undefined;
  return instantiateUrl(source instanceof URL ? source : new URL(source, base));
}

// Warm-up repetitions: enough for V8's tiering budget of the hot loops.
const WARM_UP_RUNS = 8;

const cache = new Map<'simd' | 'scalar', Promise<PcaKernels>>();

// Rows the sparse Gram pass adds to its i32 accumulators before flushing them
// into the f64 Gram matrix: 32768 · 255² < 2^31 (see gramSparseU8).
const SPARSE_FLUSH_ROWS = 32768;

/**
 * Cost per unit of work, in ns, of each Gram path, fitted to timings here
 * (Node 20, x86-64, MNIST and random bytes of density 0.05–1): dense per
 * multiply-add of the register-blocked pass (n·da4(da4+4)/2), sparse per pair
 * of non-zero entries (Σ z_r(z_r+1)/2), per non-zero entry (Σ z_r) and per
 * byte scanned (n·d). 'auto' takes the path with the smaller estimate: with
 * SIMD the sparse pass wins below ~20 % non-zero entries (MNIST: 19 %, a
 * small win), in the scalar build up to ~60 %.
 */
const GRAM_COST = {
  simd: { dense: 0.04, sparsePair: 0.5, sparseEntry: 10, sparseByte: 1 },
  scalar: { dense: 0.67, sparsePair: 1, sparseEntry: 10, sparseByte: 0.5 },
};

/**
 * Loads the PCA kernels, memoised per flavour (not when `source` is given).
 * 'simd' on a runtime without wasm SIMD, or a file that cannot be loaded,
 * rejects with a WASM_UNAVAILABLE AeError.
 */
export function initKernels(options: InitKernelsOptions = {}): Promise<PcaKernels> {
  const flavor = options.flavor ?? 'auto';
  if (flavor !== 'auto' && flavor !== 'simd' && flavor !== 'scalar') {
    return Promise.reject(
      new AeError(
        'BAD_ARGUMENT',
        `Unknown kernel flavor ${JSON.stringify(flavor)}; use 'auto', 'simd' or 'scalar'.`,
      ),
    );
  }
  const supported = simdSupported();
  if (flavor === 'simd' && !supported) {
    return Promise.reject(
      new AeError(
        'WASM_UNAVAILABLE',
        "This runtime has no WebAssembly SIMD; use kernel 'auto' or 'scalar'.",
      ),
    );
  }
  const resolved = flavor === 'auto' ? (supported ? 'simd' : 'scalar') : flavor;
  if (options.source !== undefined) return load(resolved, options.source);
  let kernels = cache.get(resolved);
  if (!kernels) {
    kernels = load(resolved, defaultUrl(resolved === 'simd'));
    cache.set(resolved, kernels);
    kernels.catch(() => cache.delete(resolved));
  }
  return kernels;
}

async function load(flavor: 'simd' | 'scalar', source: KernelSource): Promise<PcaKernels> {
  let instance: WebAssembly.Instance;
  try {
    instance = await instantiate(source);
  } catch (cause) {
    // A bundler may have inlined the .wasm as a data: URL: name it short.
    const where =
      source instanceof URL || typeof source === 'string' ? ` from ${shortUrl(source)}` : '';
    throw new AeError(
      'WASM_UNAVAILABLE',
      `Could not load the ${flavor} PCA kernels${where}: ${shortUrlsIn((cause as Error).message)}. ` +
        'Run `npm run build:kernels`, and serve .wasm files as application/wasm.',
      { cause },
    );
  }
  const exports = instance.exports as unknown as Exports;
  if (typeof exports.simd !== 'function' || typeof exports.reserve !== 'function') {
    throw new AeError('WASM_UNAVAILABLE', 'The given module is not an ae-demo PCA kernel build.');
  }
  const simd = exports.simd() === 1;
  if (simd !== (flavor === 'simd')) {
    throw new AeError(
      'WASM_UNAVAILABLE',
      `The given module is the ${simd ? 'simd' : 'scalar'} build, not the ${flavor} one.`,
    );
  }
  const kernels = new Kernels(exports, { simd, threads: false });
  await kernels.warmUp();
  return kernels;
}

/** Bump allocation of 16-aligned regions of kernel memory, reset per analysis. */
class Arena {
  private top = 0;

  constructor(private readonly exports: Exports) {}

  alloc(bytes: number): number {
    const offset = this.top;
    const top = offset + Math.ceil(bytes / 16) * 16;
    const base = top < 0xfff0_0000 ? this.exports.reserve(top) : 0;
    if (base === 0) {
      throw new AeError(
        'WASM_UNAVAILABLE',
        `The PCA needs ${Math.ceil(top / 2 ** 20)} MB of WebAssembly memory, more than this ` +
          'runtime grants (at most 4 GB); use fewer samples.',
      );
    }
    this.top = top;
    return base + offset;
  }

  reset(): void {
    this.top = 0;
  }
}

class Kernels implements PcaKernels {
  private readonly arena: Arena;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly exports: Exports,
    readonly info: KernelInfo,
  ) {
    this.arena = new Arena(exports);
  }

  /**
   * Runs every kernel on a small problem a few times. V8 first runs wasm in its
   * baseline compiler and moves a function to optimised code only after it has
   * used a budget of execution, for calls that start after that; one long
   * first call (a whole Gram pass or tridiagonalisation) would otherwise run
   * 2–3× slower. This costs a few milliseconds.
   */
  async warmUp(): Promise<void> {
    const n = 96;
    const d = 48;
    const pixels = new Uint8Array(n * d);
    let seed = 12345;
    for (let i = 0; i < pixels.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      pixels[i] = seed >>> 24;
    }
    const values = Float32Array.from(pixels, (p) => p / 255);
    for (let rep = 0; rep < WARM_UP_RUNS; rep++) {
      for (const data of [{ pixels }, { pixels, gramPath: 'sparse' as const }, { values }]) {
        const ws = await this.openPca({ samples: n, features: d, ...data });
        try {
          ws.gram(0, n);
          ws.covariance();
          const spectrum = ws.spectrum();
          ws.startSubspace(4, 8, { lower: 0, upper: spectrum[8] });
          ws.ritz();
          ws.advance();
          ws.ritz();
          ws.finishSubspace();
          ws.project(0, n, 2);
        } finally {
          ws.close();
        }
      }
    }
  }

  async openPca(data: KernelPcaData): Promise<PcaWorkspace> {
    let release!: () => void;
    const previous = this.busy;
    this.busy = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.arena.reset();
    try {
      return new Workspace(this.exports, this.info.simd, this.arena, data, release);
    } catch (error) {
      release();
      throw error;
    }
  }
}

/** How many constant columns are non-zero (they have a non-zero sum and are not active). */
function countNonZeroConstant(sums: Float64Array, active: Int32Array): number {
  let k = 0;
  for (const s of sums) if (s !== 0) k++;
  for (const c of active) if (sums[c] !== 0) k--;
  return k;
}

class Workspace implements PcaWorkspace {
  readonly samples: number;
  readonly features: number;
  readonly activeFeatures: number;
  readonly gramPath: 'dense' | 'sparse';
  private readonly u8: boolean;
  private readonly scale: number;
  private readonly x: number;
  private readonly sums: number;
  private readonly active: number;
  private readonly meanActive: number;
  private readonly da4: number;
  private g = 0;
  private t = 0;
  private pos = 0;
  private nonZeros = 0;
  private tri = 0;
  private pendingRows = 0;
  private c = 0;
  private k = 0;
  private vectors = 0;
  private scores = 0;
  private scoreDims = -1;
  private acc = 0;
  private row = 0;
  private closed = false;

  constructor(
    private readonly exports: Exports,
    simd: boolean,
    private readonly arena: Arena,
    data: KernelPcaData,
    private readonly release: () => void,
  ) {
    const { samples: n, features: d } = data;
    this.samples = n;
    this.features = d;
    this.u8 = data.pixels !== undefined;
    this.scale = this.u8 ? (data.scale ?? 1) : 1;
    const e = exports;
    const path = data.gramPath ?? 'auto';
    if (path !== 'auto' && path !== 'dense' && path !== 'sparse') {
      throw new AeError(
        'BAD_ARGUMENT',
        `Unknown gramPath ${JSON.stringify(path)}; use 'auto', 'dense' or 'sparse'.`,
      );
    }
    if (path === 'sparse' && !this.u8) {
      throw new AeError(
        'BAD_ARGUMENT',
        "gramPath 'sparse' is for 8-bit pixels; use 'auto' or 'dense' with float values.",
      );
    }
    if (data.pixels) {
      this.x = arena.alloc(n * d);
      new Uint8Array(e.memory.buffer, this.x, n * d).set(data.pixels.subarray(0, n * d));
    } else if (data.values) {
      this.x = arena.alloc(4 * n * d);
      new Float32Array(e.memory.buffer, this.x, n * d).set(data.values.subarray(0, n * d));
    } else {
      throw new AeError('BAD_ARGUMENT', 'Give either pixels or values.');
    }
    this.sums = arena.alloc(8 * d);
    this.active = arena.alloc(4 * d);
    const share = data.share;
    if (share) {
      // Rows of a larger analysis: its columns and means, no statistics of our own.
      const da = share.active.length;
      if (share.meanActive.length !== da || (share.gramPath === 'sparse' && !this.u8)) {
        throw new AeError('BAD_ARGUMENT', 'This share does not fit the data; pass a share().');
      }
      this.activeFeatures = da;
      this.da4 = Math.ceil(da / 4) * 4;
      this.meanActive = arena.alloc(8 * da);
      this.i32(this.active, da).set(share.active);
      this.f64(this.meanActive, da).set(share.meanActive);
      this.gramPath = share.gramPath;
      return;
    }
    let da: number;
    let nonZeros = 0;
    if (this.u8) {
      const acc = arena.alloc(4 * (d + 16));
      const lo = arena.alloc(d + 16);
      const hi = arena.alloc(d + 16);
      nonZeros = arena.alloc(16);
      da = e.colStatsU8(this.x, n, d, this.sums, this.active, acc, lo, hi, nonZeros);
    } else {
      const lo = arena.alloc(4 * d);
      const hi = arena.alloc(4 * d);
      da = e.colStatsF32(this.x, n, d, this.sums, this.active, lo, hi);
      if (da < 0) {
        throw new AeError(
          'BAD_ARGUMENT',
          'values must all be finite numbers (no NaN or ±Infinity).',
        );
      }
    }
    this.activeFeatures = da;
    this.da4 = Math.ceil(da / 4) * 4;
    this.meanActive = arena.alloc(8 * da);
    const sums = this.f64(this.sums, d);
    const meanActive = this.f64(this.meanActive, da);
    const active = this.i32(this.active, da);
    for (let a = 0; a < da; a++) meanActive[a] = (sums[active[a]] / n) * this.scale;
    if (!this.u8 || path === 'dense') {
      this.gramPath = 'dense';
    } else if (path === 'sparse') {
      this.gramPath = 'sparse';
    } else {
      // Non-zero constant columns count in every z_r but take no part in the sparse pass.
      const k = countNonZeroConstant(sums, active);
      const [zSum, zSquares] = this.f64(nonZeros, 2);
      const pairs = (zSquares - 2 * k * zSum + n * k * k + zSum - n * k) / 2;
      const cost = GRAM_COST[simd ? 'simd' : 'scalar'];
      const dense = ((n * this.da4 * (this.da4 + 4)) / 2) * cost.dense;
      const entries = zSum - n * k;
      const sparse = pairs * cost.sparsePair + entries * cost.sparseEntry + n * d * cost.sparseByte;
      this.gramPath = sparse < dense ? 'sparse' : 'dense';
    }
  }

  private f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, length);
  }

  private i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, length);
  }

  private check(): void {
    if (this.closed) throw new AeError('NOT_LOADED', 'This PCA workspace is closed.');
  }

  activeIndices(): Int32Array {
    this.check();
    return this.i32(this.active, this.activeFeatures).slice();
  }

  share(): PcaShare {
    this.check();
    const da = this.activeFeatures;
    return {
      active: this.i32(this.active, da).slice(),
      meanActive: this.f64(this.meanActive, da).slice(),
      gramPath: this.gramPath,
    };
  }

  gramMatrix(): Float64Array {
    this.check();
    if (this.pendingRows > 0) this.flushSparse();
    if (this.g === 0) return new Float64Array(this.da4 * this.da4);
    return this.f64(this.g, this.da4 * this.da4).slice();
  }

  addGram(partial: Float64Array): void {
    this.check();
    const size = this.da4 * this.da4;
    if (partial.length !== size) {
      throw new AeError(
        'BAD_ARGUMENT',
        `addGram needs ${size} values (da4²); got ${partial.length}.`,
      );
    }
    this.allocateGram();
    // Integer (u8) partial sums are exact in f64, so their order does not matter.
    const g = this.f64(this.g, size);
    for (let i = 0; i < size; i++) g[i] += partial[i];
  }

  mean(): Float64Array {
    this.check();
    const out = this.f64(this.sums, this.features).slice();
    for (let i = 0; i < out.length; i++) out[i] = (out[i] / this.samples) * this.scale;
    return out;
  }

  gram(begin: number, end: number): void {
    this.check();
    const { da4, activeFeatures: da } = this;
    const e = this.exports;
    this.allocateGram();
    if (this.gramPath === 'sparse') {
      for (let r = begin; r < end;) {
        const rows = Math.min(end - r, SPARSE_FLUSH_ROWS - this.pendingRows);
        e.gramSparseU8(this.x, this.features, this.pos, da, r, r + rows, this.nonZeros, this.tri);
        r += rows;
        this.pendingRows += rows;
        if (this.pendingRows === SPARSE_FLUSH_ROWS) this.flushSparse();
      }
    } else if (this.u8) {
      this.exports.gramU8(this.x, this.features, this.active, da, da4, begin, end, this.t, this.g);
    } else {
      this.exports.gramF32(
        this.x,
        this.features,
        this.active,
        this.meanActive,
        da,
        da4,
        begin,
        end,
        this.t,
        this.g,
      );
    }
  }

  private allocateGram(): void {
    if (this.g !== 0) return;
    const { da4, activeFeatures: da } = this;
    const e = this.exports;
    this.g = this.arena.alloc(8 * da4 * da4);
    this.f64(this.g, da4 * da4).fill(0);
    if (this.gramPath === 'sparse') {
      this.pos = this.arena.alloc(4 * this.features);
      this.nonZeros = this.arena.alloc(e.gramSparseScratchBytes(this.features, da));
      const bytes = e.gramSparseBytes(this.features, da);
      this.tri = this.arena.alloc(bytes);
      new Uint8Array(e.memory.buffer, this.tri, bytes).fill(0);
      const pos = this.i32(this.pos, this.features).fill(-1);
      const active = this.i32(this.active, da);
      for (let a = 0; a < da; a++) pos[active[a]] = 4 * a;
    } else {
      this.t = this.arena.alloc(e.gramScratchBytes(da4));
    }
  }

  private flushSparse(): void {
    const { features: d, activeFeatures: da } = this;
    this.exports.gramSparseFlush(this.tri, d, this.active, da, this.g, this.da4);
    this.pendingRows = 0;
  }

  covariance(): void {
    this.check();
    if (this.pendingRows > 0) this.flushSparse();
    const { activeFeatures: da, samples: n } = this;
    this.c = this.arena.alloc(8 * da * da);
    if (this.u8) {
      // Sums of the active columns, in the order of the Gram matrix.
      const sums = this.arena.alloc(8 * da);
      const all = this.f64(this.sums, this.features);
      const active = this.i32(this.active, da);
      const s = this.f64(sums, da);
      for (let a = 0; a < da; a++) s[a] = all[active[a]];
      const factor = (this.scale * this.scale) / (n * (n - 1));
      this.exports.covariance(this.g, this.da4, this.c, da, n, sums, factor);
    } else {
      this.exports.covariance(this.g, this.da4, this.c, da, n, 0, 1 / (n - 1));
    }
  }

  spectrum(): Float64Array {
    this.check();
    const da = this.activeFeatures;
    // The Gram matrix is no longer needed: its space holds the copy QL destroys.
    const a = this.g;
    const out = this.arena.alloc(8 * da);
    const work = this.arena.alloc(8 * 5 * da);
    const mem = this.exports.memory.buffer;
    new Float64Array(mem, a, da * da).set(new Float64Array(mem, this.c, da * da));
    if (this.exports.symEigenvalues(a, da, out, work) < 0) {
      throw new AeError(
        'BAD_ARGUMENT',
        'The QL eigenvalue iteration did not converge; is the data finite?',
      );
    }
    return this.f64(out, da).slice();
  }

  startSubspace(k: number, block: number, bounds: { lower: number; upper: number }): void {
    this.check();
    const da = this.activeFeatures;
    const work = this.arena.alloc(this.exports.subspaceBytes(da, block));
    this.k = k;
    this.exports.subspaceInit(this.c, da, block, k, work, bounds.lower, bounds.upper, 1);
  }

  ritz(): number {
    this.check();
    const r = this.exports.subspaceRitz();
    if (r < 0)
      throw new AeError('BAD_ARGUMENT', 'The Rayleigh–Ritz eigenproblem did not converge.');
    return r;
  }

  ritzValues(): Float64Array {
    this.check();
    return this.f64(this.exports.subspaceRitzValues(), this.k).slice();
  }

  advance(): number {
    this.check();
    return this.exports.subspaceAdvance();
  }

  finishSubspace(): Float64Array {
    this.check();
    const da = this.activeFeatures;
    this.vectors = this.arena.alloc(8 * this.k * da);
    this.exports.subspaceVectors(this.vectors);
    return this.f64(this.vectors, this.k * da).slice();
  }

  useVectors(vectors: Float64Array, k: number): void {
    this.check();
    const da = this.activeFeatures;
    if (vectors.length !== k * da) {
      throw new AeError(
        'BAD_ARGUMENT',
        `useVectors needs k × ${da} values; got ${vectors.length}.`,
      );
    }
    this.k = k;
    this.vectors = this.arena.alloc(8 * k * da);
    this.f64(this.vectors, k * da).set(vectors);
  }

  project(begin: number, end: number, scoreDims: number): void {
    this.check();
    const { activeFeatures: da, k } = this;
    if (this.scoreDims < 0) {
      this.scoreDims = scoreDims;
      this.scores = this.arena.alloc(4 * this.samples * scoreDims);
      this.acc = this.arena.alloc(8 * (k + 1));
      this.row = this.arena.alloc(8 * da);
      this.f64(this.acc, k + 1).fill(0);
    }
    const sd = this.scoreDims;
    const e = this.exports;
    if (this.u8) {
      e.projectU8(
        this.x,
        this.features,
        this.active,
        this.meanActive,
        da,
        this.scale,
        this.vectors,
        k,
        begin,
        end,
        this.scores,
        sd,
        this.acc,
        this.row,
      );
    } else {
      e.projectF32(
        this.x,
        this.features,
        this.active,
        this.meanActive,
        da,
        this.vectors,
        k,
        begin,
        end,
        this.scores,
        sd,
        this.acc,
        this.row,
      );
    }
  }

  projection(): { sumSquares: number; scoreSquares: Float64Array; scores: Float32Array } {
    this.check();
    const acc = this.f64(this.acc, this.k + 1);
    const sd = Math.max(this.scoreDims, 0);
    const scores = new Float32Array(this.exports.memory.buffer, this.scores, this.samples * sd);
    return { sumSquares: acc[0], scoreSquares: acc.slice(1), scores: scores.slice() };
  }

  addProjection(
    partial: { sumSquares: number; scoreSquares: Float64Array; scores: Float32Array },
    begin: number,
  ): void {
    this.check();
    const { k, scoreDims: sd } = this;
    if (
      sd < 0 ||
      partial.scoreSquares.length !== k ||
      begin * sd + partial.scores.length > this.samples * sd
    ) {
      throw new AeError(
        'BAD_ARGUMENT',
        'addProjection needs a projection of the same k and scoreDims, after project().',
      );
    }
    const acc = this.f64(this.acc, k + 1);
    acc[0] += partial.sumSquares;
    for (let j = 0; j < k; j++) acc[j + 1] += partial.scoreSquares[j];
    new Float32Array(
      this.exports.memory.buffer,
      this.scores + 4 * begin * sd,
      partial.scores.length,
    ).set(partial.scores);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }
}
