/**
 * The bench page's worker: trains as the demo's own worker does, off the main thread, and
 * reports what the wasm backend runs with (cross-origin isolation, SIMD, threads).
 */
import * as Comlink from 'comlink';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { loadIdxDataset } from '../../src/core/data/load.ts';
import { initBackend, tf } from '../../src/core/models/backend.ts';
import { viewOf } from '../../src/core/models/batches.ts';
import { type BenchPlan, type Kind, type Variant, runBench } from './measure.ts';

/** The first 12,000 MNIST training images the site ships (npm run build:data). */
const TRAIN = {
  images: new URL('../../build/data/train12k-images-idx3-ubyte.gz', import.meta.url).href,
  labels: new URL('../../build/data/train12k-labels-idx1-ubyte.gz', import.meta.url).href,
};

/**
 * Asks for `threads` XNNPACK threads. tfjs-backend-wasm caps the pool at half the logical
 * cores (src/cc/backend.cc: hardwareConcurrency / 2, "2 threads per core"), so on a 2-core
 * machine it runs one thread whatever it is told; this worker reports twice `threads` cores
 * to it. Must run before the backend starts.
 */
function forceThreads(threads: number): void {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads });
  setThreadsCount(threads);
}

const api = {
  /**
   * Runs `plan` on the bundled training images; `onRun` hears each timed run. `threads`
   * overrides tfjs's thread count (only when the page is cross-origin isolated).
   */
  async run(
    plan: BenchPlan,
    onRun: (kind: Kind, variant: Variant, sps: number) => void,
    threads?: number,
  ) {
    const cores = navigator.hardwareConcurrency;
    if (threads !== undefined) forceThreads(threads);
    const backend = await initBackend({ backend: 'wasm' });
    const mnist = await loadIdxDataset(TRAIN);
    const data = viewOf(mnist, 0, Math.max(plan.images, plan.cpuImages));
    const measurements = await runBench(data, plan, onRun);
    return {
      env: {
        crossOriginIsolated: self.crossOriginIsolated,
        sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
        hardwareConcurrency: cores,
        threadsRequested: threads ?? null,
        userAgent: navigator.userAgent,
        tfjs: tf.version_core,
        simd: backend.simd,
        threads: backend.threads,
        threadsCount: getThreadsCount(),
      },
      measurements,
    };
  },
};

export type BenchWorkerApi = typeof api;

Comlink.expose(api);
