import * as Comlink from 'comlink';
import './transfer-error.ts';
import type { Dataset } from '../core/data/idx.ts';
import { loadIdxDataset, type IdxSource } from '../core/data/load.ts';
import { AeError, abortError } from '../core/errors.ts';
import { pca, type KernelFlavor, type PcaProgress, type PcaResult } from '../core/pca.ts';

/** Where a dataset lives: absolute URLs (the worker has no page to resolve against). */
export type DataSource = IdxSource;

/** What the page learns about a loaded dataset (the pixels stay in the worker). */
export interface DatasetSummary {
  key: string;
  count: number;
  rows: number;
  cols: number;
  /** A copy of the labels, one per image. */
  labels: Uint8Array;
}

/** Progress of one task, as the page shows it. */
export interface TaskProgress {
  stage: 'download' | PcaProgress['stage'];
  /** 0..1 within the stage. */
  fraction: number;
}

/** The PCA figures the element draws; arrays are fresh copies, transferred. */
export interface PcaSummary {
  samples: number;
  features: number;
  components: number;
  eigenvalues: Float64Array;
  cumulativeVariance: Float64Array;
  componentsFor90: number;
  reconstructionMse: Float64Array;
  /** samples × 2: PC1 and PC2 scores. */
  scores: Float32Array;
  iterations: number;
  timingsMs: PcaResult['timingsMs'];
  kernel: PcaResult['kernel'];
}

export interface PcaRequest {
  components?: number;
  kernel?: KernelFlavor;
}

type ProgressCallback = (p: TaskProgress) => void;

const datasets = new Map<string, SharedEntry<Dataset>>();
const analyses = new Map<string, SharedEntry<PcaResult>>();
const tasks = new Map<number, AbortController>();

/** Progress crosses the worker boundary at most this often (plus the final 100 %). */
const PROGRESS_INTERVAL_MS = 100;

function throttled(callback: ProgressCallback | undefined): ProgressCallback | undefined {
  if (!callback) return undefined;
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (p.fraction >= 1 || now - last >= PROGRESS_INTERVAL_MS) {
      last = now;
      void callback(p);
    }
  };
}

function datasetKey(source: DataSource): string {
  return `${source.images}\n${source.labels}`;
}

function loaded(key: string): Promise<Dataset> {
  const dataset = datasets.get(key)?.promise;
  if (!dataset) {
    throw new AeError('NOT_LOADED', 'No dataset is loaded under that key; call loadDataset first.');
  }
  return dataset;
}

/** Runs `work` as task `id` so that `cancel(id)` can abort it; always releases the progress proxy. */
async function asTask<T>(
  id: number,
  onProgress: ProgressCallback | undefined,
  work: (signal: AbortSignal, progress: ProgressCallback | undefined) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  tasks.set(id, controller);
  try {
    return await work(controller.signal, throttled(onProgress));
  } finally {
    tasks.delete(id);
    const proxy = onProgress as Partial<Comlink.ProxyMethods> | undefined;
    proxy?.[Comlink.releaseProxy]?.();
  }
}

interface SharedEntry<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** The progress callbacks of the callers still waiting. */
  listeners: Set<ProgressCallback>;
  settled: boolean;
}

/**
 * Shares one in-flight or finished computation per key between callers (several
 * elements on a page). A caller that aborts stops waiting at once; the
 * computation itself is aborted when its last waiter has gone. Failed or
 * aborted computations are forgotten, so a later call starts afresh.
 */
function shared<T>(
  cache: Map<string, SharedEntry<T>>,
  key: string,
  make: (signal: AbortSignal, progress: ProgressCallback) => Promise<T>,
  signal: AbortSignal,
  progress: ProgressCallback | undefined,
): Promise<T> {
  let entry = cache.get(key);
  if (!entry) {
    const controller = new AbortController();
    const listeners = new Set<ProgressCallback>();
    const broadcast: ProgressCallback = (p) => {
      for (const listener of listeners) listener(p);
    };
    const created: SharedEntry<T> = {
      promise: make(controller.signal, broadcast),
      controller,
      listeners,
      settled: false,
    };
    created.promise.then(
      () => (created.settled = true),
      () => {
        created.settled = true;
        if (cache.get(key) === created) cache.delete(key);
      },
    );
    cache.set(key, created);
    entry = created;
  }
  const current = entry;
  // A fresh function per caller, so that two callers without a callback still count twice.
  const token: ProgressCallback = progress ? (p) => progress(p) : () => {};
  current.listeners.add(token);
  return new Promise<T>((resolve, reject) => {
    const leave = () => {
      signal.removeEventListener('abort', onAbort);
      current.listeners.delete(token);
    };
    const onAbort = () => {
      leave();
      if (current.listeners.size === 0 && !current.settled) {
        current.controller.abort();
        if (cache.get(key) === current) cache.delete(key);
      }
      reject(abortError('The task'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    current.promise.then(
      (value) => {
        leave();
        resolve(value);
      },
      (error: unknown) => {
        leave();
        reject(error);
      },
    );
  });
}

/**
 * The one object the worker exposes. Every heavy computation of the page runs
 * here; the page reaches it only through src/worker/bridge.ts.
 */
export const api = {
  /** Downloads (once per worker) and validates a dataset; resolves to its summary. */
  async loadDataset(
    source: DataSource,
    taskId: number,
    onProgress?: ProgressCallback,
  ): Promise<DatasetSummary> {
    return asTask(taskId, onProgress, async (signal, progress) => {
      const key = datasetKey(source);
      const data = await shared(
        datasets,
        key,
        (shareSignal, report) =>
          loadIdxDataset(source, {
            signal: shareSignal,
            onProgress: (fraction: number) => report({ stage: 'download', fraction }),
          }),
        signal,
        progress,
      );
      const labels = data.labels.slice();
      const summary: DatasetSummary = {
        key,
        count: data.count,
        rows: data.rows,
        cols: data.cols,
        labels,
      };
      return Comlink.transfer(summary, [labels.buffer]);
    });
  },

  /** PCA of a loaded dataset (memoised per dataset and options). */
  async pca(
    key: string,
    request: PcaRequest,
    taskId: number,
    onProgress?: ProgressCallback,
  ): Promise<PcaSummary> {
    return asTask(taskId, onProgress, async (signal, progress) => {
      const data = await loaded(key);
      const components = request.components ?? 10;
      const kernel = request.kernel ?? 'auto';
      const result = await shared(
        analyses,
        `${key}\n${components}\n${kernel}`,
        (shareSignal, report) =>
          pca(
            { samples: data.count, features: data.rows * data.cols, pixels: data.pixels },
            { components, kernel, scoreDims: 2, signal: shareSignal, onProgress: report },
          ),
        signal,
        progress,
      );
      const summary: PcaSummary = {
        samples: result.samples,
        features: result.features,
        components: result.components,
        eigenvalues: result.eigenvalues.slice(),
        cumulativeVariance: result.cumulativeVariance.slice(),
        componentsFor90: result.componentsFor90,
        reconstructionMse: result.reconstructionMse.slice(),
        scores: result.scores.slice(),
        iterations: result.iterations,
        timingsMs: { ...result.timingsMs },
        kernel: { ...result.kernel },
      };
      return Comlink.transfer(summary, [
        summary.eigenvalues.buffer,
        summary.cumulativeVariance.buffer,
        summary.reconstructionMse.buffer,
        summary.scores.buffer,
      ]);
    });
  },

  /** The 8-bit pixels of image `index` of a loaded dataset (a copy). */
  async image(key: string, index: number): Promise<Uint8Array> {
    const data = await loaded(key);
    if (!Number.isInteger(index) || index < 0 || index >= data.count) {
      throw new AeError('BAD_ARGUMENT', `Image index ${index} is outside 0..${data.count - 1}.`);
    }
    const size = data.rows * data.cols;
    const pixels = data.pixels.slice(index * size, (index + 1) * size);
    return Comlink.transfer(pixels, [pixels.buffer]);
  },

  /** Aborts task `taskId` if it is still running. */
  cancel(taskId: number): void {
    tasks.get(taskId)?.abort();
  },
};

/** The worker's type as the page sees it (through Comlink.wrap). */
export type WorkerApi = typeof api;
