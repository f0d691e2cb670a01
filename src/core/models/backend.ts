/**
 * The one module that chooses and initialises the TF.js backend. Everything
 * else imports `tf` from here, never from the @tensorflow packages directly.
 */
import * as tf from './tf.ts';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { AeError } from '../errors.ts';
import { shortUrlsIn } from '../short-url.ts';
import { isTransposedMatMulFixOn, setTransposedMatMulFix } from './matmul-fix.ts';
import { decideThreads, THREADS_OFF } from './threads.ts';

export { tf };
export { isTransposedMatMulFixOn, setTransposedMatMulFix };
export { MIN_CORES_FOR_THREADS, threadsPay, type ThreadsFacts } from './threads.ts';

/** Which backend runs, and how. */
export interface BackendInfo {
  name: 'wasm' | 'cpu';
  simd: boolean;
  threads: boolean;
  /** When threads are off in a browser: why, in words that read after "threads off: ". */
  threadsOff?: string;
  /** Whether transposed matrix products are rerouted to XNNPACK (wasm only; see matmul-fix.ts). */
  matmulFix: boolean;
}

export interface InitBackendOptions {
  /** Default 'wasm'; 'cpu' is ~20× slower and meant for tests and comparisons. */
  backend?: 'wasm' | 'cpu';
  /**
   * Default true: run transposed BatchMatMul/_FusedMatMul on XNNPACK (~3.4× faster training
   * here). false restores the kernels as shipped, for comparisons.
   */
  fixTransposedMatMul?: boolean;
}

let current: Promise<Omit<BackendInfo, 'matmulFix'>> | undefined;
let currentName: string | undefined;
/** Whether `current` has resolved. */
let started = false;
let wasmConfigured = false;
/** Why configureWasm turned threads off, if it did. */
let threadsOffBy: string | undefined;

/**
 * Initialises the backend (memoised per backend name), applies the matmul option and reports
 * what runs. Rejects with AeError('WASM_UNAVAILABLE') if wasm cannot start; it never falls back
 * to cpu by itself.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const name = options.backend ?? 'wasm';
  if (name !== 'wasm' && name !== 'cpu') {
    throw new AeError('BAD_ARGUMENT', `backend "${String(name)}" must be "wasm" or "cpu".`);
  }
  setTransposedMatMulFix(options.fixTransposedMatMul ?? true);
  // While a start is pending tf.getBackend() is not yet `name`: a second caller
  // (two elements sharing the worker) must wait for it, not start the backend again.
  if (!current || currentName !== name || (started && tf.getBackend() !== name)) {
    currentName = name;
    started = false;
    const starting = start(name);
    current = starting;
    starting.then(
      () => {
        if (current === starting) started = true;
      },
      () => {
        if (current === starting) current = undefined;
      },
    );
  }
  const info = await current;
  return { ...info, matmulFix: name === 'wasm' && isTransposedMatMulFixOn() };
}

async function start(name: 'wasm' | 'cpu'): Promise<Omit<BackendInfo, 'matmulFix'>> {
  let ok = false;
  let cause: unknown;
  try {
    if (name === 'wasm') await configureWasm();
    // Importing the cpu backend registers it. Loaded only when asked for, so pages
    // (whose worker always runs wasm) never download it.
    else await import('./cpu-backend.ts');
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    cause = error;
  }
  if (!ok || tf.getBackend() !== name) {
    // Emscripten names the .wasm it could not load, which a bundler may have inlined as a data: URL.
    const detail = cause instanceof Error ? ` (${shortUrlsIn(cause.message)})` : '';
    throw new AeError(
      'WASM_UNAVAILABLE',
      name === 'wasm'
        ? `The WebAssembly backend could not start${detail}. Training needs WebAssembly: use a ` +
            'browser that allows it and serve the .wasm files as application/wasm.'
        : `The TF.js '${name}' backend could not start${detail}.`,
      { cause },
    );
  }
  const env = tf.env();
  const threads = name === 'wasm' && env.getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  const inBrowser = name === 'wasm' && !env.getBool('IS_NODE');
  return {
    name,
    simd: name === 'wasm' && env.getBool('WASM_HAS_SIMD_SUPPORT'),
    threads,
    ...(inBrowser && !threads ? { threadsOff: threadsOffBy ?? THREADS_OFF.unsupported } : {}),
  };
}

/**
 * Browser/worker only, before the wasm backend initialises: threads only when
 * they pay and blob: workers may start (threads.ts decideThreads; otherwise
 * the flag goes false first, tensorflow/tfjs#4025), and the three binaries
 * from URLs the bundler emits, since paths relative to the moved JS break
 * (tensorflow/tfjs#6517). In Node the package loads its own dist/*.wasm (and
 * never uses threads).
 */
async function configureWasm(): Promise<void> {
  const env = tf.env();
  if (wasmConfigured || env.getBool('IS_NODE')) return;
  const decision = await decideThreads();
  threadsOffBy = decision.reason;
  // Under a CSP without blob: in worker-src, the threaded build's blob: workers
  // are refused and the backend never starts (tensorflow/tfjs#4971, #5137).
  if (!decision.threads) env.set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const [plain, simd, threadedSimd] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plain.default,
    'tfjs-backend-wasm-simd.wasm': simd.default,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd.default,
  });
  wasmConfigured = true;
}
