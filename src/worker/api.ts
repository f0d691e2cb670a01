import * as Comlink from 'comlink';
import './transfer-error.ts';
import { type CenterOptions, centreDrawing } from '../core/data/center-digit.ts';
import { holdOut, type ImageSet } from '../core/data/images.ts';
import { loadIdxDataset, loadImageSet, type IdxSource } from '../core/data/load.ts';
import { AeError, abortError, abortable, throwIfAborted } from '../core/errors.ts';
import type { BackendInfo } from '../core/models/backend.ts';
import type { DenoiseComparison } from '../core/models/denoise.ts';
import {
  DEFAULT_SEED,
  MAX_K,
  PRESET_DEFAULTS,
  PRESET_NAMES,
  isPresetName,
  shapeOverrides,
} from '../core/settings.ts';
import type { InferenceProgress } from '../core/models/inference.ts';
import type { ShapeComparison, ShapeName } from '../core/models/plane-curve.ts';
import type { RunPlan, RunSpec } from '../core/models/run.ts';
import { setPageCores } from '../core/models/threads.ts';
import type { EpochProgress, TrainingControl } from '../core/models/train.ts';
import type { Noise } from '../core/noise.ts';
// Types only: core/compare.ts brings TF.js, which models.ts loads lazily.
import type { CompareRow, CompareSpecOptions } from '../core/compare.ts';
import {
  heldOutMse,
  pca,
  projectImages,
  type KernelFlavor,
  type PcaProgress,
  type PcaProjection,
  type PcaResult,
} from '../core/pca.ts';
import { type Nearest, nearestImages } from '../core/nearest.ts';
import { fetchModelFiles } from './model-files.ts';
import type {
  DenoiseModelIds,
  ModelFiles,
  ModelInfo,
  ModelSource,
  StoredModel,
  TrainSummary,
} from './models.ts';

export type {
  CompareRow,
  DenoiseComparison,
  DenoiseModelIds,
  InferenceProgress,
  Noise,
  PcaProjection,
  ShapeComparison,
  ShapeName,
};
export type { BackendInfo, ModelFiles, ModelInfo, ModelSource, RunPlan, StoredModel, TrainSummary };

/**
 * Where a dataset lives: absolute URLs (the worker has no page to resolve
 * against). An author's set (`author: true`) may be of any image size and
 * without labels; `heldOut` takes its first 80 % (`train`) or its last 20 %
 * (`test`), what the models train and are scored on without a test set.
 */
export type DataSource = IdxSource & { author?: boolean; heldOut?: 'train' | 'test' };

/** What the page learns about a loaded dataset (the pixels stay in the worker). */
export interface DatasetSummary {
  key: string;
  count: number;
  rows: number;
  cols: number;
  /** A copy of the labels, one per image; none for an author's set without labels. */
  labels?: Uint8Array;
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

/**
 * What to train: a preset of src/core/models/presets.ts and the settings that
 * override it. The core's own run spec, passed to runPreset unchanged.
 */
export type TrainSpec = RunSpec;

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

/** What the denoising figure asks of {@link api.denoise}. */
export interface DenoiseRequest {
  noise: Noise;
  /** Seeds the noise. Default 1. */
  seed?: number;
  /** Images scored: the first `count` of the dataset. Default all. */
  count?: number;
  /** The first images returned as pixels. Default 8. */
  shown?: number;
  /**
   * PCA at rank `k` too, with the basis `pca` fitted on dataset `pcaKey`
   * (which may be another set of the same image size). Omit both for no PCA.
   */
  pcaKey?: string;
  k?: number;
}

/** Progress of the plane-and-curve comparison: each epoch of its autoencoder (throttled; the last always arrives). */
export interface PlaneCurveProgress {
  stage: 'epoch';
  epoch: number;
  epochs: number;
  loss: number;
  /** epoch / epochs. */
  fraction: number;
}

/** What {@link api.compare} measures on an author's images. */
export interface CompareRequest {
  /** Latent sizes, each 1..10 (settings.ts's MAX_K), in the order they are trained. */
  ks: number[];
  /** PCA components fitted on the training images, at least the largest k: the page's PCA's. */
  components: number;
  /** AE preset of presets.ts. Default 'quick'. */
  preset?: string;
  /** Seeds every autoencoder. Default 1. */
  seed?: number;
  /** The most epochs per autoencoder. Default: the preset's. */
  epochs?: number;
}

/**
 * Progress of {@link api.compare}: PCA's test errors first, then each
 * autoencoder's start, epochs and row, in the order of the request's ks;
 * only the within-epoch fractions (`batch`, of that autoencoder's run) are
 * throttled.
 */
export type CompareProgress =
  | {
      stage: 'pca';
      pcaMse: Float64Array;
      /** Images PCA was fitted on (all of the training set), each autoencoder trains on, it is scored on. */
      fitCount: number;
      trainCount: number;
      testCount: number;
    }
  | { stage: 'start'; k: number; index: number; total: number }
  | { stage: 'epoch'; k: number; epoch: number; epochs: number; loss: number }
  | { stage: 'batch'; k: number; fraction: number }
  | { stage: 'row'; row: CompareRow; index: number; total: number };

/** What {@link api.compare} measured: PCA's test MSE at every k and one row per latent size asked. */
export interface CompareOutcome {
  /** PCA's MSE per pixel on the test images at k = 1 … components (index k − 1). */
  pcaMse: Float64Array;
  rows: CompareRow[];
  /** Images PCA was fitted on (all of the training set), each autoencoder trained on (the first), both were scored on. */
  fitCount: number;
  trainCount: number;
  testCount: number;
}

type ProgressCallback = (p: TaskProgress) => void;

const datasets = new Map<string, SharedEntry<ImageSet>>();
const analyses = new Map<string, SharedEntry<PcaResult>>();
/** For each dataset, the fitted PCA with the most components so far: what new images are projected with. */
const bases = new Map<string, PcaResult>();
const tasks = new Map<number, AbortController>();
/** Pause state of running training tasks; `control` appears once TF.js has loaded. */
const trainings = new Map<number, { paused: boolean; control?: TrainingControl }>();

/** Progress crosses the worker boundary at most this often (plus the reports that must arrive). */
const PROGRESS_INTERVAL_MS = 100;

/** A stage's 100 % (a download, a PCA stage, the last batch of an inference) is always sent. */
const stageDone = (p: unknown) => ((p as { fraction?: number }).fraction ?? 0) >= 1;
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
  const { images, labels, format = '', shape, author, heldOut = '' } = source;
  const kind = author ? `author ${shape ? `${shape.rows}x${shape.cols}` : ''} ${format}` : '';
  return `${images}\n${labels}${kind ? `\n${kind}` : ''}${heldOut ? `\n${heldOut}` : ''}`;
}

/** Downloads and parses `source` (the whole set: `heldOut` is left to the caller). */
function fetchDataset(
  source: DataSource,
  signal: AbortSignal,
  report: ProgressCallback,
): Promise<ImageSet> {
  const options = {
    signal,
    onProgress: (fraction: number) => report({ stage: 'download', fraction }),
  };
  return source.author ? loadImageSet(source, options) : loadIdxDataset(source, options);
}

/** The 8-bit pixels of images `indices` of `data`, one after another (a copy). */
function pick(data: ImageSet, indices: ArrayLike<number>): Uint8Array {
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

/** A loaded dataset; waiting for one still downloading ends when `signal` fires. */
async function loaded(key: string, signal: AbortSignal): Promise<ImageSet> {
  const dataset = datasets.get(key)?.promise;
  if (!dataset) {
    throw new AeError('NOT_LOADED', 'No dataset is loaded under that key; call loadDataset first.');
  }
  return abortable(dataset, signal, 'Waiting for the dataset');
}

/** The TF.js half, loading it if need be; waiting for it ends when `signal` fires. */
function modelsFor(signal: AbortSignal) {
  return abortable(models(), signal, 'Loading TF.js');
}

/**
 * `spec` for the images of `train`: the networks follow their pixel count
 * (the notebook's hidden sizes scaled, see shapeOverrides), and a training
 * size over the images there are (an author's smaller set) takes them all.
 */
function fitSpec(spec: TrainSpec, train: ImageSet): TrainSpec {
  const shape = shapeOverrides(spec.kind, train.rows * train.cols);
  const trainSize =
    typeof spec.trainSize === 'number' ? Math.min(spec.trainSize, train.count) : spec.trainSize;
  return {
    ...spec,
    ...(trainSize !== undefined ? { trainSize } : {}),
    model: { ...shape, ...spec.model },
  };
}

/** Whether `k` is a latent size the comparison can score: 1..MAX_K and within the PCA's components. */
const isLatent = (k: unknown, components: number): k is number =>
  Number.isInteger(k) && (k as number) >= 1 && (k as number) <= Math.min(components, MAX_K);

/** What a task's work gets: its id, its signal (`cancel(id)` fires it) and its throttled progress. */
export interface TaskContext<P> {
  id: number;
  signal: AbortSignal;
  progress: ((p: P) => void) | undefined;
}

/**
 * Makes a worker method of `work` that runs as a task: on the wire it takes
 * `(taskId, onProgress, ...args)`; `cancel(taskId)` fires `ctx.signal`;
 * progress is throttled except the reports `mustSend` keeps (by default a
 * stage's 100 %); the progress proxy is released at the end. Every heavy
 * method of {@link api} is made here, so all are cancelled the same way.
 */
const task =
  <A extends unknown[], R, P = TaskProgress>(
    work: (ctx: TaskContext<P>, ...args: A) => Promise<R>,
    mustSend: (p: P) => boolean = stageDone,
  ) =>
  async (taskId: number, onProgress: ((p: P) => void) | undefined, ...args: A): Promise<R> => {
    const controller = new AbortController();
    tasks.set(taskId, controller);
    try {
      const { signal } = controller;
      return await work({ id: taskId, signal, progress: throttled(onProgress, mustSend) }, ...args);
    } finally {
      tasks.delete(taskId);
      const proxy = onProgress as Partial<Comlink.ProxyMethods> | undefined;
      proxy?.[Comlink.releaseProxy]?.();
    }
  };

/** The ids of the tasks running now (for tests: a finished or cancelled task is gone). */
export function runningTasks(): number[] {
  return [...tasks.keys()];
}

/** Hooks of a batched inference task: its signal and its progress. */
const batched = ({ signal, progress }: TaskContext<InferenceProgress>) => ({
  signal,
  onProgress: progress,
});

/** A task scoring a model (`score` or `mse` of models.ts) over the first `count` images of a loaded dataset. */
const scoreTask = (score: 'score' | 'mse') =>
  task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      key: string,
      count?: number,
    ): Promise<number> => {
      const data = await loaded(key, ctx.signal);
      return (await modelsFor(ctx.signal))[score](modelId, data, count, batched(ctx));
    },
  );

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
 * The PCA of loaded dataset `key` with `components` (memoised with the `pca`
 * task's, so the page's own PCA is reused), kept as that set's basis.
 */
async function fittedPca(
  key: string,
  components: number,
  signal: AbortSignal,
  progress: ProgressCallback | undefined,
): Promise<PcaResult> {
  const data = await loaded(key, signal);
  const result = await shared(
    analyses,
    `${key}\n${components}\nauto`,
    (shareSignal, report) =>
      pca(
        { samples: data.count, features: data.rows * data.cols, pixels: data.pixels },
        { components, kernel: 'auto', scoreDims: 2, signal: shareSignal, onProgress: report },
      ),
    signal,
    progress,
  );
  if ((bases.get(key)?.components ?? 0) < result.components) bases.set(key, result);
  return result;
}

/** PCA fitted on dataset `fitKey`, scored on all of dataset `testKey`: the MSE at k = 1 … components. */
async function pcaOnTest(
  fitKey: string,
  testKey: string,
  components: number,
  signal: AbortSignal,
  progress?: ProgressCallback,
): Promise<{ mse: Float64Array; fitCount: number; testCount: number }> {
  const [basis, test] = await Promise.all([
    fittedPca(fitKey, components, signal, progress),
    loaded(testKey, signal),
  ]);
  if (test.rows * test.cols !== basis.features) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The test images are ${test.rows} × ${test.cols} pixels but PCA was fitted on images of ` +
        `${basis.features}; both sets must have the same image size.`,
    );
  }
  const mse = await heldOutMse(basis, test.pixels.subarray(0, test.count * basis.features), signal);
  return { mse, fitCount: basis.samples, testCount: test.count };
}

/**
 * The one object the worker exposes. Every heavy computation of the page runs
 * here; the page reaches it only through src/worker/bridge.ts. Each task
 * method takes `(taskId, onProgress, ...args)` (see {@link task}) and stops
 * its work in the worker on `cancel(taskId)`, rejecting with ABORTED.
 */
export const api = {
  /** Downloads (once per worker) and validates a dataset; resolves to its summary. */
  loadDataset: task(async ({ signal, progress }, source: DataSource): Promise<DatasetSummary> => {
    const key = datasetKey(source);
    const { heldOut, ...whole } = source;
    const data = await shared(
      datasets,
      key,
      async (shareSignal, report) => {
        if (!heldOut) return fetchDataset(source, shareSignal, report);
        // The whole set is loaded (and kept) once; its two parts are views on it.
        const all = await shared(
          datasets,
          datasetKey(whole),
          (s, r) => fetchDataset(whole, s, r),
          shareSignal,
          report,
        );
        return holdOut(all)[heldOut];
      },
      signal,
      progress,
    );
    const labels = data.labels?.slice();
    const summary: DatasetSummary = {
      key,
      count: data.count,
      rows: data.rows,
      cols: data.cols,
      ...(labels ? { labels } : {}),
    };
    return Comlink.transfer(summary, labels ? [labels.buffer] : []);
  }),

  /** PCA of a loaded dataset (memoised per dataset and options). */
  pca: task(async ({ signal, progress }, key: string, request: PcaRequest): Promise<PcaSummary> => {
    const data = await loaded(key, signal);
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
  }),

  /**
   * Images through the PCA of dataset `key` (once `pca` ran on it): their
   * scores on the first `k` components and their rank-`k` reconstructions
   * (floats, the analysed scale [0, 1]). `images` are 8-bit pixels (count ×
   * rows·cols, such as a drawn digit) or indices into the dataset.
   */
  pcaImages: task(
    async (
      { signal },
      key: string,
      images: Uint8Array | { indices: ArrayLike<number> },
      k: number,
    ): Promise<PcaProjection> => {
      const data = await loaded(key, signal);
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
  ),

  /** The 8-bit pixels of image `index` of a loaded dataset (a copy). */
  image: task(async ({ signal }, key: string, index: number): Promise<Uint8Array> => {
    const pixels = pick(await loaded(key, signal), [index]);
    return Comlink.transfer(pixels, [pixels.buffer]);
  }),

  /**
   * A drawing prepared like MNIST's digits (centreDrawing): `rgba` is a `width × height` pad's
   * pixels as a 2D canvas reads them, dark ink on white (the red channel is read). Undefined
   * when nothing is drawn. Here rather than on the page: a first drawing's centring ran 75 ms
   * of the page's main thread at 4× CPU throttling, before the JIT had compiled it.
   */
  centreDrawing: task(
    async (
      _ctx,
      rgba: Uint8ClampedArray,
      width: number,
      height: number,
      options: CenterOptions,
    ): Promise<Uint8Array | undefined> => {
      const out = centreDrawing(rgba, width, height, options);
      return out && Comlink.transfer(out, [out.buffer]);
    },
  ),

  /** The 8-bit pixels of images `indices` of a loaded dataset, one after another (a copy). */
  images: task(async ({ signal }, key: string, indices: ArrayLike<number>): Promise<Uint8Array> => {
    const out = pick(await loaded(key, signal), indices);
    return Comlink.transfer(out, [out.buffer]);
  }),

  /**
   * For each query image (floats 0..1, one after another), the nearest image
   * of a loaded dataset and its distance (RMS per pixel): a VAE sample's
   * nearest training digit.
   */
  nearest: task(async ({ signal }, key: string, queries: Float32Array): Promise<Nearest> => {
    const data = await loaded(key, signal);
    const found = nearestImages(data, queries);
    throwIfAborted(signal, 'The nearest-digit search');
    return Comlink.transfer(found, [found.indices.buffer, found.rms.buffer]);
  }),

  /**
   * The page's `navigator.hardwareConcurrency`, sent by the bridge before any
   * task: it decides threads (threads.ts), and DevTools' core-count emulation
   * reaches only the page.
   */
  setPageCores(cores: number): void {
    setPageCores(cores);
  },

  /** Starts TF.js (once) and says which backend runs: wasm, with or without SIMD and threads. */
  backend: task(async ({ signal }): Promise<BackendInfo> => {
    const m = await modelsFor(signal);
    return abortable(m.backend(), signal, 'Starting TF.js');
  }),

  /**
   * Trains a preset run on loaded datasets (`data.trainKey` for training,
   * `data.testKey` for validation if the preset says so and for the final
   * score); the model stays in the worker under the returned `model.modelId`.
   * `pause(taskId)` / `resume(taskId)` hold it between batches. Progress: the
   * plan, every epoch, and the batch fraction at most every 100 ms.
   */
  train: task(
    async (
      { id, signal, progress }: TaskContext<TrainProgress>,
      spec: TrainSpec,
      data: TrainData,
    ): Promise<TrainSummary> => {
      const state: { paused: boolean; control?: TrainingControl } = { paused: false };
      trainings.set(id, state);
      try {
        const [train, test] = await Promise.all([
          loaded(data.trainKey, signal),
          loaded(data.testKey, signal),
        ]);
        const m = await modelsFor(signal);
        const control = new m.TrainingControl();
        if (state.paused) control.pause();
        state.control = control;
        return await m.trainModel(
          fitSpec(spec, train),
          { train, test },
          {
            signal,
            control,
            progressIntervalMs: PROGRESS_INTERVAL_MS,
            onPlan: (plan, backend) => progress?.({ stage: 'plan', plan, backend }),
            onBatch: (p) => progress?.({ stage: 'batch', ...p }),
            onEpoch: ({ numTensors: _, ...p }) => progress?.({ stage: 'epoch', ...p }),
            onStage: () =>
              progress?.({
                stage: 'evaluate',
                testCount: Math.min(spec.testSize ?? test.count, test.count),
              }),
          },
        );
      } finally {
        trainings.delete(id);
      }
    },
    notBatch,
  ),

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
  reconstruct: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      key: string,
      indices: ArrayLike<number>,
    ): Promise<FloatImages> => {
      const data = await loaded(key, ctx.signal);
      const m = await modelsFor(ctx.signal);
      const pixels = await m.reconstruct(modelId, data, indices, batched(ctx));
      const out = { count: indices.length, rows: data.rows, cols: data.cols, pixels };
      return Comlink.transfer(out, [pixels.buffer]);
    },
  ),

  /** Latent codes (the VAE's μ) of 8-bit images given as pixels, count × inputSize: count × latentSize. */
  encodePixels: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      pixels: Uint8Array,
    ): Promise<Float32Array> => {
      const codes = await (await modelsFor(ctx.signal)).encodePixels(modelId, pixels, batched(ctx));
      return Comlink.transfer(codes, [codes.buffer]);
    },
  ),

  /** Reconstructions (floats in [0, 1]) of 8-bit images given as pixels, count × inputSize. */
  reconstructPixels: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      pixels: Uint8Array,
    ): Promise<Float32Array> => {
      const m = await modelsFor(ctx.signal);
      const out = await m.reconstructPixels(modelId, pixels, batched(ctx));
      return Comlink.transfer(out, [out.buffer]);
    },
  ),

  /** Latent codes of the first `count` images (default all) of a loaded dataset: count × latentSize. */
  encode: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      key: string,
      count?: number,
    ): Promise<{ count: number; latentSize: number; codes: Float32Array }> => {
      const data = await loaded(key, ctx.signal);
      const n = count ?? data.count;
      const codes = await (await modelsFor(ctx.signal)).encode(modelId, data, n, batched(ctx));
      return Comlink.transfer({ count: n, latentSize: codes.length / n, codes }, [codes.buffer]);
    },
  ),

  /** Images decoded from latent vectors (row-major, a multiple of the latent size long). */
  decode: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      latents: Float32Array,
    ): Promise<Float32Array> => {
      const images = await (await modelsFor(ctx.signal)).decode(modelId, latents, batched(ctx));
      return Comlink.transfer(images, [images.buffer]);
    },
  ),

  /** `count` digits drawn from a VAE's prior N(0, I) with `seed`, and their latent vectors. */
  sample: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      modelId: string,
      count: number,
      seed: number,
    ): Promise<{ images: Float32Array; latents: Float32Array }> => {
      const m = await modelsFor(ctx.signal);
      const out = await m.sample(modelId, count, seed, batched(ctx));
      return Comlink.transfer(out, [out.images.buffer, out.latents.buffer]);
    },
  ),

  /**
   * The first `request.count` images of dataset `key` (default all)
   * corrupted with a seeded `request.noise`, then rebuilt from the noisy
   * copies by the denoiser `models.dae`, the plain autoencoder `models.ae`
   * and, given `pcaKey` and `k`, PCA at rank k: each one's MSE per pixel
   * against the clean images, and the first `shown` images of every stage
   * (transferred).
   */
  denoise: task(
    async (
      ctx: TaskContext<InferenceProgress>,
      models: DenoiseModelIds,
      key: string,
      request: DenoiseRequest,
    ): Promise<DenoiseComparison> => {
      const data = await loaded(key, ctx.signal);
      const { noise, seed, count, shown, pcaKey, k } = request;
      let pcaOption;
      if (pcaKey !== undefined || k !== undefined) {
        const basis = pcaKey === undefined ? undefined : bases.get(pcaKey);
        if (!basis || k === undefined) {
          throw new AeError(
            'NOT_LOADED',
            'Give both pcaKey and k, after pca ran on that dataset: there is no basis to project with.',
          );
        }
        pcaOption = { basis, k };
      }
      const m = await modelsFor(ctx.signal);
      const out = await m.denoise(
        models,
        data,
        count,
        { noise, seed, shown, pca: pcaOption },
        batched(ctx),
      );
      const buffers = Object.values(out.images).map((a: Float32Array) => a.buffer);
      return Comlink.transfer(out, buffers);
    },
  ),

  /** The model's loss (the AE's MSE per pixel) over the first `count` images (default all). */
  evaluate: scoreTask('score'),

  /**
   * Mean squared error per pixel of the model's reconstructions (a VAE's from
   * μ) over the first `count` images (default all): the scale PCA is on.
   */
  mse: scoreTask('mse'),

  /** Stores a model under a tf.io URL: `indexeddb://name` in a browser. */
  saveModel: task(
    async ({ signal }, modelId: string, url: string): Promise<{ url: string; bytes: number }> =>
      (await modelsFor(signal)).saveModel(modelId, url, signal),
  ),

  /** The model stored in this browser as `name` or `indexeddb://name` (tf.io.listModels), or null. */
  storedModel: task(async ({ signal }, name: string): Promise<StoredModel | null> =>
    (await modelsFor(signal)).storedModel(name, signal),
  ),

  /** A model as model.json text (its manifest names `weightsName`) and weights bytes, transferred. */
  exportModel: task(
    async ({ signal }, modelId: string, weightsName?: string): Promise<ModelFiles> => {
      const files = await (await modelsFor(signal)).exportModel(modelId, weightsName, signal);
      return Comlink.transfer(files, [files.weights]);
    },
  ),

  /** Loads a model from a URL (model.json, and its weights file when bundling renamed it), IndexedDB or files. */
  loadModel: task(async ({ signal }, source: ModelSource): Promise<ModelInfo> => {
    // A URL's files download while TF.js loads, not after it.
    const fetched = 'url' in source ? fetchModelFiles(source, signal) : undefined;
    // Awaited in loadModel; a failure of the models chunk first must not leave it unhandled.
    fetched?.catch(() => undefined);
    return (await modelsFor(signal)).loadModel(source, signal, fetched);
  }),

  /**
   * PCA and a small autoencoder on 2,000 seeded 3-D points near a plane or a
   * curve (`shape`), both keeping `latent` (1 or 2) dimensions: the points,
   * both reconstructions (transferred), each method's MSE and time.
   * Progress: the autoencoder's epochs, at most every 100 ms, and its last.
   */
  planeCurve: task(
    async (
      { signal, progress }: TaskContext<PlaneCurveProgress>,
      shape: ShapeName,
      latent: number,
      seed: number,
    ): Promise<ShapeComparison> => {
      const m = await modelsFor(signal);
      const out = await m.planeCurve(shape, latent, seed, {
        signal,
        onEpoch: (epoch, epochs, loss) =>
          progress?.({ stage: 'epoch', epoch, epochs, loss, fraction: epoch / epochs }),
      });
      return Comlink.transfer(out, [
        out.points.buffer,
        out.pcaReconstruction.buffer,
        out.aeReconstruction.buffer,
      ]);
    },
  ),

  /**
   * PCA fitted on dataset `fitKey` with `components` (the page's PCA when it
   * is that set's) and scored on all of dataset `testKey`, other images of
   * the same size: the MSE per pixel at k = 1 … components (index k − 1),
   * the error the autoencoders are scored with on those test images.
   */
  pcaTest: task(
    async (
      { signal, progress },
      fitKey: string,
      testKey: string,
      components: number,
    ): Promise<Float64Array> => {
      const { mse } = await pcaOnTest(fitKey, testKey, components, signal, progress);
      return Comlink.transfer(mse, [mse.buffer]);
    },
  ),

  /**
   * Autoencoder against PCA by latent size on loaded datasets (an author's
   * images): PCA fitted on `trainKey` and scored on `testKey`, then one
   * autoencoder per k of `request.ks` (bottleneck k, the preset's settings,
   * networks sized to the images), trained on `trainKey` one after another
   * and scored on all of `testKey` (src/core/compare.ts). Each row is
   * reported as soon as its autoencoder is scored; no model is kept.
   */
  compare: task(
    async (
      { signal, progress }: TaskContext<CompareProgress>,
      trainKey: string,
      testKey: string,
      request: CompareRequest,
    ): Promise<CompareOutcome> => {
      const { ks, components } = request;
      if (!Array.isArray(ks) || ks.length === 0 || !ks.every((k) => isLatent(k, components))) {
        throw new AeError(
          'BAD_ARGUMENT',
          `ks must list latent sizes from 1 to ${Math.min(components, MAX_K)} (the PCA's components, at most ${MAX_K}).`,
        );
      }
      if (new Set(ks).size !== ks.length) {
        throw new AeError('BAD_ARGUMENT', 'ks lists a latent size twice.');
      }
      const preset = request.preset ?? 'quick';
      if (!isPresetName(preset)) {
        throw new AeError(
          'BAD_ARGUMENT',
          `preset "${String(preset)}" is not one of ${PRESET_NAMES.join(', ')}.`,
        );
      }
      const [train, test] = await Promise.all([loaded(trainKey, signal), loaded(testKey, signal)]);
      // The preset's training images, or all there are of a smaller set.
      const trainCount = Math.min(PRESET_DEFAULTS[preset].ae.trainSize ?? train.count, train.count);
      const { mse: pcaMse } = await pcaOnTest(trainKey, testKey, components, signal);
      const counts = { fitCount: train.count, trainCount, testCount: test.count };
      progress?.({ stage: 'pca', pcaMse: pcaMse.slice(), ...counts });
      const options: CompareSpecOptions = {
        preset,
        bottleneck: 'relu',
        seed: request.seed ?? DEFAULT_SEED,
        trainSize: trainCount,
        ...(request.epochs !== undefined ? { epochs: request.epochs } : {}),
      };
      const m = await modelsFor(signal);
      const fit = (spec: TrainSpec) => fitSpec(spec, train);
      const rows = await m.compareOnImages(ks, options, fit, { train, test }, pcaMse, {
        signal,
        progressIntervalMs: PROGRESS_INTERVAL_MS,
        onStart: (index) => progress?.({ stage: 'start', k: ks[index], index, total: ks.length }),
        onBatch: (index, p) => progress?.({ stage: 'batch', k: ks[index], fraction: p.fraction }),
        onEpoch: (index, p) =>
          progress?.({
            stage: 'epoch',
            k: ks[index],
            epoch: p.epoch,
            epochs: p.epochs,
            loss: p.loss,
          }),
        onRow: (index, row) => progress?.({ stage: 'row', row, index, total: ks.length }),
      });
      const outcome: CompareOutcome = { pcaMse, rows, ...counts };
      return Comlink.transfer(outcome, [pcaMse.buffer]);
    },
    (p) => p.stage !== 'batch',
  ),

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
