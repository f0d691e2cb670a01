import * as Comlink from 'comlink';
import './transfer-error.ts';
import type { Dataset } from '../core/data/idx.ts';
import { loadIdxDataset, type IdxSource } from '../core/data/load.ts';
import { AeError, abortError } from '../core/errors.ts';
import type { BackendInfo } from '../core/models/backend.ts';
import type { RunPlan } from '../core/models/run.ts';
import { setPageCores } from '../core/models/threads.ts';
import type { EpochProgress, TrainingControl } from '../core/models/train.ts';
import {
  pca,
  projectImages,
  type KernelFlavor,
  type PcaProgress,
  type PcaProjection,
  type PcaResult,
} from '../core/pca.ts';
import type { ModelFiles, ModelInfo, ModelSource, StoredModel, TrainSummary } from './models.ts';

export type { PcaProjection };
export type { BackendInfo, ModelFiles, ModelInfo, ModelSource, RunPlan, StoredModel, TrainSummary };

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

/** What to train: a preset of src/core/models/presets.ts and the settings that override it. */
export interface TrainSpec {
  kind: 'ae' | 'vae';
  /** Default 'notebook'. */
  preset?: string;
  epochs?: number;
  latent?: number;
  seed?: number;
  /** Training images from the start of the training set; null: all. */
  trainSize?: number | null;
  /** Test images scored after training (the first ones); default all. */
  testSize?: number;
}

/** The loaded datasets (keys from loadDataset) a training run uses. */
export interface TrainData {
  trainKey: string;
  testKey: string;
}

/** Per-epoch figures of a training run. Every epoch is reported; none is dropped by throttling. */
export type EpochReport = { stage: 'epoch' } & Omit<EpochProgress, 'numTensors'>;

/**
 * Progress of a training run: its plan once the data is selected, every
 * epoch, the run's fraction done during an epoch (throttled), and the final
 * scoring on the test images.
 */
export type TrainProgress =
  | { stage: 'plan'; plan: RunPlan; backend: BackendInfo }
  | EpochReport
  | { stage: 'batch'; epoch: number; batch: number; batches: number; fraction: number }
  | { stage: 'evaluate'; testCount: number };

/** Images as floats in [0, 1], row-major: `count` images of `rows × cols`. */
export interface FloatImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Float32Array;
}

type ProgressCallback = (p: TaskProgress) => void;

const datasets = new Map<string, SharedEntry<Dataset>>();
const analyses = new Map<string, SharedEntry<PcaResult>>();
/** For each dataset, the fitted PCA with the most components so far: what new images are projected with. */
const bases = new Map<string, PcaResult>();
const tasks = new Map<number, AbortController>();
/** Pause state of running training tasks; `control` appears once TF.js has loaded. */
const trainings = new Map<number, { paused: boolean; control?: TrainingControl }>();

/** Progress crosses the worker boundary at most this often (plus the reports that must arrive). */
const PROGRESS_INTERVAL_MS = 100;

/** A PCA or download stage's 100 % is always sent. */
const stageDone = (p: TaskProgress) => p.fraction >= 1;
/** Only the within-epoch fractions may be dropped; plans, epochs and evaluation always arrive. */
const notBatch = (p: TrainProgress) => p.stage !== 'batch';

/** Forwards at most one report per interval, except those `mustSend` keeps. */
function throttled<P>(
  callback: ((p: P) => void) | undefined,
  mustSend: (p: P) => boolean,
): ((p: P) => void) | undefined {
  if (!callback) return undefined;
  let last = 0;
  return (p) => {
    const now = performance.now();
    const keep = mustSend(p);
    if (keep || now - last >= PROGRESS_INTERVAL_MS) {
      // A kept report restarts the interval too, so a batch fraction never follows it at once.
      last = now;
      void callback(p);
    }
  };
}

/** The TF.js half of the worker, loaded on first use. */
const models = () => import('./models.ts');

function datasetKey(source: DataSource): string {
  return `${source.images}\n${source.labels}`;
}

/** The 8-bit pixels of images `indices` of `data`, one after another (a copy). */
function pick(data: Dataset, indices: ArrayLike<number>): Uint8Array {
  const size = data.rows * data.cols;
  const out = new Uint8Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= data.count) {
      throw new AeError('BAD_ARGUMENT', `Image index ${index} is outside 0..${data.count - 1}.`);
    }
    out.set(data.pixels.subarray(index * size, (index + 1) * size), i * size);
  }
  return out;
}

function loaded(key: string): Promise<Dataset> {
  const dataset = datasets.get(key)?.promise;
  if (!dataset) {
    throw new AeError('NOT_LOADED', 'No dataset is loaded under that key; call loadDataset first.');
  }
  return dataset;
}

/**
 * Runs `work` as task `id` so that `cancel(id)` can abort it; progress is
 * throttled except the reports `mustSend` keeps; always releases the progress proxy.
 */
async function asTask<T, P = TaskProgress>(
  id: number,
  onProgress: ((p: P) => void) | undefined,
  work: (signal: AbortSignal, progress: ((p: P) => void) | undefined) => Promise<T>,
  mustSend: (p: P) => boolean = stageDone as unknown as (p: P) => boolean,
): Promise<T> {
  const controller = new AbortController();
  tasks.set(id, controller);
  try {
    return await work(controller.signal, throttled(onProgress, mustSend));
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
      if ((bases.get(key)?.components ?? 0) < result.components) bases.set(key, result);
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

  /**
   * Images through the PCA of dataset `key` (once `pca` ran on it): their
   * scores on the first `k` components and their rank-`k` reconstructions
   * (floats, the analysed scale [0, 1]). `images` are 8-bit pixels (count ×
   * rows·cols, such as a drawn digit) or indices into the dataset.
   */
  async pcaImages(
    key: string,
    images: Uint8Array | { indices: ArrayLike<number> },
    k: number,
  ): Promise<PcaProjection> {
    const data = await loaded(key);
    const basis = bases.get(key);
    if (!basis) {
      throw new AeError(
        'NOT_LOADED',
        'Run pca on this dataset first: there is no basis to project with.',
      );
    }
    const pixels = images instanceof Uint8Array ? images : pick(data, images.indices);
    const out = projectImages(basis, pixels, k);
    return Comlink.transfer(out, [out.scores.buffer, out.reconstructions.buffer]);
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

  /** The 8-bit pixels of images `indices` of a loaded dataset, one after another (a copy). */
  async images(key: string, indices: ArrayLike<number>): Promise<Uint8Array> {
    const out = pick(await loaded(key), indices);
    return Comlink.transfer(out, [out.buffer]);
  },

  /**
   * The page's `navigator.hardwareConcurrency`, sent by the bridge before any
   * task: it decides threads (threads.ts), and DevTools' core-count emulation
   * reaches only the page.
   */
  setPageCores(cores: number): void {
    setPageCores(cores);
  },

  /** Starts TF.js (once) and says which backend runs: wasm, with or without SIMD and threads. */
  async backend(): Promise<BackendInfo> {
    return (await models()).backend();
  },

  /**
   * Trains a preset run on loaded datasets (`data.trainKey` for training,
   * `data.testKey` for validation if the preset says so and for the final
   * score); the model stays in the worker under the returned `model.modelId`.
   * `pause(taskId)` / `resume(taskId)` hold it between batches; `cancel(taskId)`
   * rejects with ABORTED. Progress: the plan, every epoch, and the batch
   * fraction at most every 100 ms.
   */
  async train(
    spec: TrainSpec,
    data: TrainData,
    taskId: number,
    onProgress?: (p: TrainProgress) => void,
  ): Promise<TrainSummary> {
    const state: { paused: boolean; control?: TrainingControl } = { paused: false };
    trainings.set(taskId, state);
    try {
      return await asTask(
        taskId,
        onProgress,
        async (signal, progress) => {
          const [train, test] = await Promise.all([loaded(data.trainKey), loaded(data.testKey)]);
          const m = await models();
          const control = new m.TrainingControl();
          if (state.paused) control.pause();
          state.control = control;
          return m.trainModel(
            {
              kind: spec.kind,
              preset: spec.preset,
              epochs: spec.epochs,
              latent: spec.latent,
              seed: spec.seed,
              trainSize: spec.trainSize,
              testSize: spec.testSize,
            },
            { train, test },
            {
              signal,
              control,
              progressIntervalMs: PROGRESS_INTERVAL_MS,
              onPlan: (plan, backend) => progress?.({ stage: 'plan', plan, backend }),
              onBatch: ({ epoch, batch, batches, fraction }) =>
                progress?.({ stage: 'batch', epoch, batch, batches, fraction }),
              onEpoch: ({ epoch, epochs, loss, valLoss, samplesPerSecond, etaSeconds }) =>
                progress?.({
                  stage: 'epoch',
                  epoch,
                  epochs,
                  loss,
                  valLoss,
                  samplesPerSecond,
                  etaSeconds,
                }),
              onStage: () =>
                progress?.({
                  stage: 'evaluate',
                  testCount: Math.min(spec.testSize ?? test.count, test.count),
                }),
            },
          );
        },
        notBatch,
      );
    } finally {
      trainings.delete(taskId);
    }
  },

  /** Holds training task `taskId` at its next batch; false if no such training runs. */
  pause(taskId: number): boolean {
    const state = trainings.get(taskId);
    if (!state) return false;
    state.paused = true;
    state.control?.pause();
    return true;
  },

  /** Lets a paused training task go on; false if no such training runs. */
  resume(taskId: number): boolean {
    const state = trainings.get(taskId);
    if (!state) return false;
    state.paused = false;
    state.control?.resume();
    return true;
  },

  /** Reconstructions of images `indices` of a loaded dataset (floats in [0, 1], transferred). */
  async reconstruct(
    modelId: string,
    key: string,
    indices: ArrayLike<number>,
  ): Promise<FloatImages> {
    const data = await loaded(key);
    const pixels = (await models()).reconstruct(modelId, data, indices);
    return Comlink.transfer({ count: indices.length, rows: data.rows, cols: data.cols, pixels }, [
      pixels.buffer,
    ]);
  },

  /** Latent codes (the VAE's μ) of 8-bit images given as pixels, count × 784: count × latentSize. */
  async encodePixels(modelId: string, pixels: Uint8Array): Promise<Float32Array> {
    const codes = (await models()).encodePixels(modelId, pixels);
    return Comlink.transfer(codes, [codes.buffer]);
  },

  /** Reconstructions (floats in [0, 1]) of 8-bit images given as pixels, count × 784. */
  async reconstructPixels(modelId: string, pixels: Uint8Array): Promise<Float32Array> {
    const out = (await models()).reconstructPixels(modelId, pixels);
    return Comlink.transfer(out, [out.buffer]);
  },

  /** Latent codes of the first `count` images (default all) of a loaded dataset: count × latentSize. */
  async encode(
    modelId: string,
    key: string,
    count?: number,
  ): Promise<{ count: number; latentSize: number; codes: Float32Array }> {
    const data = await loaded(key);
    const n = count ?? data.count;
    const codes = (await models()).encode(modelId, data, n);
    return Comlink.transfer({ count: n, latentSize: codes.length / n, codes }, [codes.buffer]);
  },

  /** Images decoded from latent vectors (row-major, a multiple of the latent size long). */
  async decode(modelId: string, latents: Float32Array): Promise<Float32Array> {
    const images = (await models()).decode(modelId, latents);
    return Comlink.transfer(images, [images.buffer]);
  },

  /** `count` digits drawn from a VAE's prior N(0, I) with `seed`, and their latent vectors. */
  async sample(
    modelId: string,
    count: number,
    seed: number,
  ): Promise<{ images: Float32Array; latents: Float32Array }> {
    const out = (await models()).sample(modelId, count, seed);
    return Comlink.transfer(out, [out.images.buffer, out.latents.buffer]);
  },

  /** The model's loss (the AE's MSE per pixel) over the first `count` images (default all). */
  async evaluate(modelId: string, key: string, count?: number): Promise<number> {
    const data = await loaded(key);
    return (await models()).score(modelId, data, count);
  },

  /**
   * Mean squared error per pixel of the model's reconstructions (a VAE's from
   * μ) over the first `count` images (default all): the scale PCA is on.
   */
  async mse(modelId: string, key: string, count?: number): Promise<number> {
    const data = await loaded(key);
    return (await models()).mse(modelId, data, count);
  },

  /** Stores a model under a tf.io URL: `indexeddb://name` in a browser. */
  async saveModel(modelId: string, url: string): Promise<{ url: string; bytes: number }> {
    return (await models()).saveModel(modelId, url);
  },

  /** The model stored in this browser as `name` or `indexeddb://name` (tf.io.listModels), or null. */
  async storedModel(name: string): Promise<StoredModel | null> {
    return (await models()).storedModel(name);
  },

  /** A model as model.json text (its manifest names `weightsName`) and weights bytes, transferred. */
  async exportModel(modelId: string, weightsName?: string): Promise<ModelFiles> {
    const files = await (await models()).exportModel(modelId, weightsName);
    return Comlink.transfer(files, [files.weights]);
  },

  /** Loads a model from a URL (model.json, and its weights file when bundling renamed it), IndexedDB or files. */
  async loadModel(source: ModelSource, taskId?: number): Promise<ModelInfo> {
    if (taskId === undefined) return (await models()).loadModel(source);
    return asTask(taskId, undefined, async (signal) => (await models()).loadModel(source, signal));
  },

  /** Frees a model in the worker; false if there was none by that id. */
  async disposeModel(modelId: string): Promise<boolean> {
    return (await models()).disposeModel(modelId);
  },

  /** Aborts task `taskId` if it is still running. */
  cancel(taskId: number): void {
    tasks.get(taskId)?.abort();
  },
};

/** The worker's type as the page sees it (through Comlink.wrap). */
export type WorkerApi = typeof api;
