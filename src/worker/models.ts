/**
 * The TF.js half of the worker: training, the trained and loaded models by
 * id, and everything done with them. src/worker/api.ts imports this module
 * lazily, so the PCA figures never wait for TF.js to load.
 */
import type { IdxImages } from '../core/data/idx.ts';
import { AeError, abortable, throwIfAborted } from '../core/errors.ts';
import { shortUrl, shortUrlsIn } from '../core/short-url.ts';
import {
  fromModelFiles,
  loadArtifacts,
  saveArtifacts,
  toModelFiles,
} from '../core/models/artifacts.ts';
import type { Autoencoder } from '../core/models/autoencoder.ts';
import { type BackendInfo, initBackend, tf } from '../core/models/backend.ts';
import { type ImageView, viewOf } from '../core/models/batches.ts';
import { type ShapeComparison, compareOnShape } from '../core/models/plane-curve.ts';
import {
  type CompareRow,
  type CompareSpecOptions,
  compareRow,
  compareSpec,
} from '../core/compare.ts';
import { SHAPE_LATENTS, SHAPE_NAMES, type ShapeName } from '../core/settings.ts';
import {
  type DenoiseComparison,
  type DenoiseOptions,
  denoiseImagesAsync,
} from '../core/models/denoise.ts';
import {
  type AsyncBatchOptions,
  decodeLatentsAsync,
  encodeImagesAsync,
  evaluateAsync,
  reconstructImagesAsync,
  reconstructionMseAsync,
  sampleFromPriorAsync,
} from '../core/models/inference.ts';
import {
  type Run,
  type RunHooks,
  type RunPlan,
  type RunSpec,
  runPreset,
} from '../core/models/run.ts';
import {
  type BatchProgress,
  type EpochProgress,
  TrainingControl,
  type TrainResult,
} from '../core/models/train.ts';
import type { Vae } from '../core/models/vae.ts';
import { type FetchedModel, fetchModelFiles, parseModelJson } from './model-files.ts';

export { TrainingControl };

/** What the page learns about a model in the worker. */
export interface ModelInfo {
  modelId: string;
  kind: 'ae' | 'vae';
  inputSize: number;
  latentSize: number;
  /** The architecture, as saved with the model (`describe()`). */
  description: Record<string, unknown>;
}

/**
 * A finished training run as the page gets it: the core {@link Run} with the
 * model replaced by its id in the worker (`model.modelId`) and the training
 * result's figures (history, epochs run, best epoch, samples per second) at
 * the top level, plus the backend that ran it.
 */
export interface TrainSummary
  extends
    Omit<Run, 'model' | 'result'>,
    Pick<TrainResult, 'history' | 'epochs' | 'bestEpoch' | 'stoppedEarly' | 'samplesPerSecond'> {
  model: ModelInfo;
  backend: BackendInfo;
}

/** Where a model comes from. */
export type ModelSource =
  /** model.json at an absolute URL; `weightsUrl` when the weights file moved (a bundler's hashed name). */
  | { url: string; weightsUrl?: string }
  /** A model saved with saveModel in this browser: `name` or `indexeddb://name`. */
  | { indexedDb: string }
  /** What exportModel returned. */
  | { modelJson: string; weights: ArrayBuffer };

/** A model as two files, the TF.js layout: model.json text and the bytes its manifest names. */
export interface ModelFiles {
  modelJson: string;
  weights: ArrayBuffer;
}

/** A model stored in this browser, as tf.io.listModels describes it. */
export interface StoredModel {
  /** `indexeddb://name`. */
  url: string;
  /** Bytes of its weights. */
  bytes: number;
  /** When it was saved, in ms since 1970 (Date.now()). */
  savedAt: number;
}

type Model = Autoencoder | Vae;

const models = new Map<string, Model>();
let nextModel = 1;

function register(model: Model): ModelInfo {
  const modelId = `${model.kind}-${nextModel++}`;
  models.set(modelId, model);
  return info(modelId, model);
}

function info(modelId: string, model: Model): ModelInfo {
  return {
    modelId,
    kind: model.kind,
    inputSize: model.inputSize,
    latentSize: model.latentSize,
    description: model.describe(),
  };
}

function modelOf(modelId: string): Model {
  const model = models.get(modelId);
  if (!model) {
    throw new AeError(
      'NOT_LOADED',
      `No model "${modelId}" is in the worker (disposed, or never made); train or load one first.`,
    );
  }
  return model;
}

function checkImages(model: Model, data: IdxImages): void {
  if (data.rows * data.cols !== model.inputSize) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The images have ${data.rows * data.cols} pixels but the model takes ${model.inputSize}.`,
    );
  }
}

function checkCount(count: number, max: number, what: string): void {
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new AeError(
      'BAD_ARGUMENT',
      `${what} must be a whole number from 1 to ${max}, got ${count}.`,
    );
  }
}

/** Starts the backend (once; threads only when the page is cross-origin isolated) and says what runs. */
export function backend(): Promise<BackendInfo> {
  return initBackend();
}

/** Hooks of {@link trainModel}; progress goes through them as plain numbers. */
export type TrainHooks = Pick<
  RunHooks,
  'signal' | 'control' | 'onBatch' | 'onEpoch' | 'onStage'
> & {
  onPlan?: (plan: RunPlan, backend: BackendInfo) => void;
  progressIntervalMs?: number;
};

/** Trains a preset run on `train`, scores it on `test` and keeps the model. */
export async function trainModel(
  spec: RunSpec,
  data: { train: IdxImages; test: IdxImages },
  hooks: TrainHooks,
): Promise<TrainSummary> {
  if (spec.kind !== 'ae' && spec.kind !== 'vae') {
    throw new AeError('BAD_ARGUMENT', `kind "${String(spec.kind)}" must be "ae" or "vae".`);
  }
  const info = await abortable(backend(), hooks.signal, 'Training');
  const { model, result, ...run } = await runPreset(spec, data, {
    ...hooks,
    onPlan: (plan) => hooks.onPlan?.(plan, info),
  });
  const { history, epochs, bestEpoch, stoppedEarly, samplesPerSecond } = result;
  return {
    ...run,
    model: register(model),
    history,
    epochs,
    bestEpoch,
    stoppedEarly,
    samplesPerSecond,
    backend: info,
  };
}

/** Cancellation and progress of the batched inference below. */
export type InferenceHooks = Pick<AsyncBatchOptions, 'signal' | 'onProgress'>;

/** Reconstructions of images `indices` of `data`: [n × inputSize] floats in [0, 1]. */
export async function reconstruct(
  modelId: string,
  data: IdxImages,
  indices: ArrayLike<number>,
  hooks: InferenceHooks = {},
): Promise<Float32Array> {
  const model = modelOf(modelId);
  checkImages(model, data);
  const picked = Uint32Array.from(indices);
  if (picked.length === 0) throw new AeError('BAD_ARGUMENT', 'Give at least one image index.');
  for (const i of picked) {
    if (i >= data.count) {
      throw new AeError('BAD_ARGUMENT', `Image index ${i} is outside 0..${data.count - 1}.`);
    }
  }
  const view: ImageView = { pixels: data.pixels, features: model.inputSize, indices: picked };
  return reconstructImagesAsync(model, view, hooks);
}

/** A view over 8-bit images given as pixels (count × the model's input size). */
function pixelView(model: Model, pixels: Uint8Array): ImageView {
  const d = model.inputSize;
  if (!(pixels instanceof Uint8Array) || pixels.length === 0 || pixels.length % d !== 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `pixels must be a non-empty Uint8Array, a multiple of ${d} values long; got ${pixels.length}.`,
    );
  }
  const indices = Uint32Array.from({ length: pixels.length / d }, (_, i) => i);
  return { pixels, features: d, indices };
}

/** Latent codes of 8-bit images given as pixels: [count × latentSize]. */
export async function encodePixels(
  modelId: string,
  pixels: Uint8Array,
  hooks: InferenceHooks = {},
): Promise<Float32Array> {
  const model = modelOf(modelId);
  return encodeImagesAsync(model, pixelView(model, pixels), hooks);
}

/** Reconstructions of 8-bit images given as pixels: [count × inputSize] floats in [0, 1]. */
export async function reconstructPixels(
  modelId: string,
  pixels: Uint8Array,
  hooks: InferenceHooks = {},
): Promise<Float32Array> {
  const model = modelOf(modelId);
  return reconstructImagesAsync(model, pixelView(model, pixels), hooks);
}

/** The first `count` images of `data`, checked against the model. */
function firstImages(model: Model, data: IdxImages, count: number) {
  checkImages(model, data);
  checkCount(count, data.count, 'count');
  return { count, rows: data.rows, cols: data.cols, pixels: data.pixels };
}

/** Latent codes of the first `count` images of `data`: [count × latentSize]. */
export async function encode(
  modelId: string,
  data: IdxImages,
  count = data.count,
  hooks: InferenceHooks = {},
): Promise<Float32Array> {
  const model = modelOf(modelId);
  return encodeImagesAsync(model, firstImages(model, data, count), hooks);
}

/** Images decoded from latent vectors (row-major, a multiple of latentSize long). */
export async function decode(
  modelId: string,
  latents: Float32Array,
  hooks: InferenceHooks = {},
): Promise<Float32Array> {
  return decodeLatentsAsync(modelOf(modelId), latents, hooks);
}

/** `count` images drawn from a VAE's prior with `seed`, and their latent vectors. */
export async function sample(
  modelId: string,
  count: number,
  seed: number,
  hooks: InferenceHooks = {},
): Promise<{ images: Float32Array; latents: Float32Array }> {
  checkCount(count, 10_000, 'count');
  return sampleFromPriorAsync(modelOf(modelId), count, seed, hooks);
}

/** The model's loss (the AE's MSE per pixel) over the first `count` images of `data`. */
export async function score(
  modelId: string,
  data: IdxImages,
  count = data.count,
  hooks: InferenceHooks = {},
): Promise<number> {
  const model = modelOf(modelId);
  return evaluateAsync(model, firstImages(model, data, count), hooks);
}

/** Mean squared error per pixel of the model's reconstructions of the first `count` images of `data`. */
export async function mse(
  modelId: string,
  data: IdxImages,
  count = data.count,
  hooks: InferenceHooks = {},
): Promise<number> {
  const model = modelOf(modelId);
  return reconstructionMseAsync(model, firstImages(model, data, count), hooks);
}

/** The ids of the two networks a denoising figure compares. */
export interface DenoiseModelIds {
  /** The denoising autoencoder (trained on noisy inputs). */
  dae: string;
  /** The plain autoencoder. */
  ae: string;
}

/**
 * The first `count` images of `data` (default all) corrupted with
 * `options.noise` and denoised by both models (and PCA, given its basis),
 * each scored against the clean images (src/core/models/denoise.ts).
 */
export async function denoise(
  ids: DenoiseModelIds,
  data: IdxImages,
  count: number = data.count,
  options: DenoiseOptions,
  hooks: InferenceHooks = {},
): Promise<DenoiseComparison> {
  const dae = modelOf(ids.dae);
  const ae = modelOf(ids.ae);
  for (const model of [dae, ae]) {
    if (model.kind !== 'ae') {
      throw new AeError(
        'BAD_ARGUMENT',
        `Denoising compares autoencoders; "${ids.dae}" and "${ids.ae}" must both be one.`,
      );
    }
  }
  return denoiseImagesAsync({ dae, ae }, firstImages(dae, data, count), { ...options, ...hooks });
}

function indexedDbUrl(name: string): string {
  const url = name.startsWith('indexeddb://') ? name : `indexeddb://${name}`;
  if (url === 'indexeddb://') {
    throw new AeError(
      'BAD_ARGUMENT',
      'Name the model to store, e.g. "indexeddb://my-autoencoder".',
    );
  }
  return url;
}

/**
 * Stores the model under a tf.io URL (`indexeddb://name` in a browser).
 * `signal` is checked until the write starts; a write once started completes.
 */
export async function saveModel(
  modelId: string,
  url: string,
  signal?: AbortSignal,
): Promise<{ url: string; bytes: number }> {
  const model = modelOf(modelId);
  const target = url.startsWith('indexeddb://') ? indexedDbUrl(url) : url;
  const [handler] = tf.io.getSaveHandlers(target);
  if (!handler?.save) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Cannot save to "${shortUrl(url)}" here; use "indexeddb://name" in a browser (or its worker).`,
    );
  }
  const what = 'Saving the model';
  throwIfAborted(signal, what);
  const artifacts = await saveArtifacts(model);
  throwIfAborted(signal, what);
  const result = await handler.save(artifacts);
  if (result.errors?.length) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Saving to ${shortUrl(target)} failed: ${shortUrlsIn(String(result.errors[0]))}`,
    );
  }
  return { url: target, bytes: result.modelArtifactsInfo.weightDataBytes ?? 0 };
}

/** The model stored in this browser as `name` or `indexeddb://name`, or null if there is none. */
export async function storedModel(name: string, signal?: AbortSignal): Promise<StoredModel | null> {
  const url = indexedDbUrl(name);
  const what = 'Looking for a stored model';
  throwIfAborted(signal, what);
  const found = (await abortable(tf.io.listModels(), signal, what))[url];
  if (!found) return null;
  return { url, bytes: found.weightDataBytes ?? 0, savedAt: new Date(found.dateSaved).getTime() };
}

/** The model as model.json text and one weights buffer named `weightsName` in the manifest. */
export async function exportModel(
  modelId: string,
  weightsName = 'weights.bin',
  signal?: AbortSignal,
): Promise<ModelFiles> {
  const what = 'Exporting the model';
  throwIfAborted(signal, what);
  const { modelJson, weights } = await toModelFiles(modelOf(modelId), weightsName);
  throwIfAborted(signal, what);
  return { modelJson: JSON.stringify(modelJson), weights };
}

/** Loads the model stored in this browser's IndexedDB under `name`. */
async function loadFromIndexedDb(name: string, signal?: AbortSignal): Promise<Model> {
  const url = indexedDbUrl(name);
  const [handler] = tf.io.getLoadHandlers(url);
  if (!handler?.load) {
    throw new AeError('BAD_ARGUMENT', 'IndexedDB is only available in a browser (or its worker).');
  }
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await abortable(handler.load(), signal, 'Loading the model');
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new AeError(
      'NOT_LOADED',
      `No model is stored in this browser as ${shortUrl(url)}: ${shortUrlsIn((cause as Error).message)}`,
      { cause },
    );
  }
  throwIfAborted(signal, 'Loading the model');
  return loadArtifacts(artifacts);
}

/**
 * Loads a model saved by this project (files at a URL, IndexedDB, or
 * exportModel's files). For a URL source, `fetched` is its files when the
 * caller started downloading them already (api.ts does, while TF.js loads).
 */
export async function loadModel(
  source: ModelSource,
  signal?: AbortSignal,
  fetched?: Promise<FetchedModel>,
): Promise<ModelInfo> {
  const what = 'Loading the model';
  await abortable(backend(), signal, what);
  let model: Model;
  if ('indexedDb' in source) {
    model = await loadFromIndexedDb(source.indexedDb, signal);
  } else if ('modelJson' in source) {
    model = await fromModelFiles(parseModelJson(source.modelJson, 'modelJson'), source.weights);
  } else {
    const { json, weights } = await (fetched ?? fetchModelFiles(source, signal));
    throwIfAborted(signal, what);
    model = await fromModelFiles(json, weights);
  }
  // Made while the cancel was on its way: freed here rather than kept unused.
  if (signal?.aborted) {
    model.dispose();
    throw new AeError('ABORTED', `${what} was cancelled.`);
  }
  return register(model);
}

/** Frees a model's weights; false if there was no such model. */
export function disposeModel(modelId: string): boolean {
  const model = models.get(modelId);
  if (!model) return false;
  models.delete(modelId);
  model.dispose();
  return true;
}

/** Hooks of {@link planeCurve}. */
export interface PlaneCurveHooks {
  signal?: AbortSignal;
  onEpoch?: (epoch: number, epochs: number, loss: number) => void;
}

/**
 * PCA and the small autoencoder on one seeded set of 3-D points near a plane
 * or a curve, both keeping `latent` dimensions (src/core/models/plane-curve.ts).
 */
export async function planeCurve(
  shape: ShapeName,
  latent: number,
  seed: number,
  hooks: PlaneCurveHooks = {},
): Promise<ShapeComparison> {
  if (!SHAPE_NAMES.includes(shape)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `shape "${String(shape)}" is not a point set; use ${SHAPE_NAMES.map((n) => `"${n}"`).join(' or ')}.`,
    );
  }
  if (!SHAPE_LATENTS.includes(latent)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `latent size ${latent} is not offered; use ${SHAPE_LATENTS.join(' or ')}.`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new AeError(
      'BAD_ARGUMENT',
      `seed must be a whole number from 0 to 4294967295, got ${seed}.`,
    );
  }
  const what = 'The plane and curve comparison';
  await abortable(backend(), hooks.signal, what);
  return compareOnShape(shape, { latent, seed, signal: hooks.signal, onEpoch: hooks.onEpoch });
}

/** Hooks of {@link compareOnImages}. */
export interface CompareHooks {
  signal?: AbortSignal;
  progressIntervalMs?: number;
  /** The autoencoder of `ks[index]` starts training. */
  onStart?: (index: number) => void;
  onBatch?: (index: number, progress: BatchProgress) => void;
  onEpoch?: (index: number, progress: EpochProgress) => void;
  /** The autoencoder of `ks[index]` has trained and been scored (its model is freed). */
  onRow?: (index: number, row: CompareRow) => void;
}

/**
 * The comparison's autoencoders, one per latent size of `ks`
 * (src/core/compare.ts's compareSpec with `options`, then `fit`: the
 * networks sized to the images), trained on `data.train` one after another
 * and each scored on all of `data.test` as soon as it has trained, against
 * PCA's error `pcaMse[k − 1]` on the same images (compareRow). No model is kept.
 */
export async function compareOnImages(
  ks: readonly number[],
  options: CompareSpecOptions,
  fit: (spec: RunSpec) => RunSpec,
  data: { train: IdxImages; test: IdxImages },
  pcaMse: Float64Array,
  hooks: CompareHooks = {},
): Promise<CompareRow[]> {
  const { signal } = hooks;
  await abortable(backend(), signal, 'The comparison');
  const test = viewOf(data.test, 0, data.test.count);
  const rows: CompareRow[] = [];
  for (const [index, k] of ks.entries()) {
    if (pcaMse[k - 1] === undefined) {
      throw new AeError('BAD_ARGUMENT', `PCA has no error at latent size ${k}.`);
    }
    hooks.onStart?.(index);
    const run = await runPreset(fit(compareSpec(k, options)), data, {
      signal,
      progressIntervalMs: hooks.progressIntervalMs,
      onBatch: (p) => hooks.onBatch?.(index, p),
      onEpoch: (p) => hooks.onEpoch?.(index, p),
    });
    try {
      rows.push(compareRow(k, run, pcaMse[k - 1], test));
    } finally {
      run.model.dispose();
    }
    throwIfAborted(signal, 'The comparison');
    hooks.onRow?.(index, rows[rows.length - 1]);
  }
  return rows;
}
