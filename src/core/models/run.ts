/**
 * One training run from a preset, shared by the CLI, `compare`, `reproduce`
 * and the worker: builds the model, selects the preset's images, trains and
 * scores it on the test images. It never loads data or starts the backend by
 * itself; callers pass the loaded sets and call initBackend() first.
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError, abortError, throwIfAborted } from '../errors.ts';
import { DEFAULT_SEED } from '../settings.ts';
import { type AeConfig, type Autoencoder, createAutoencoder } from './autoencoder.ts';
import { viewOf } from './batches.ts';
import { evaluateAsync, noisyMseAsync } from './inference.ts';
import type { Noise } from './noise.ts';
import { getPreset, presetTrainOptions, selectData } from './presets.ts';
import {
  type BatchProgress,
  type EpochProgress,
  type TrainResult,
  type TrainingControl,
  train,
} from './train.ts';
import { type Vae, type VaeConfig, createVae } from './vae.ts';

/**
 * What to train: a preset and the settings that override it. The worker's
 * `train` takes this same type (plain data, so it crosses a Comlink call as is).
 */
export interface RunSpec {
  kind: 'ae' | 'vae';
  /** A preset name of src/core/models/presets.ts. Default 'notebook'. */
  preset?: string;
  /** The most epochs to run. Default: the preset's. */
  epochs?: number;
  /** Bottleneck size. Default: the preset's. */
  latent?: number;
  /** Training images from the start of the training set; null: all. Default: the preset's. */
  trainSize?: number | null;
  /** Seeds weights, shuffling and the VAE's noise. Default 1. */
  seed?: number;
  /** Further architecture overrides, e.g. `{ latentActivation: 'linear' }`. */
  model?: Partial<AeConfig> | Partial<VaeConfig>;
  /** Test images scored after training: the first `testSize` (default: all). */
  testSize?: number;
  /**
   * Trains a denoising model: inputs get this noise, targets stay clean, and
   * the test score is the output's error against the clean test images.
   */
  denoise?: Noise;
}

/** Sizes known once the data is selected. */
export interface RunPlan {
  trainCount: number;
  validationCount: number;
  batchSize: number;
  epochs: number;
}

/** Callbacks and controls of {@link runPreset}. */
export interface RunHooks {
  signal?: AbortSignal;
  control?: TrainingControl;
  /** The run begins (a {@link Runner} may first wait for a free thread). */
  onStart?: () => void;
  /** A step without a progress fraction, e.g. "evaluating on 10,000 test images". */
  onStage?: (stage: string) => void;
  onPlan?: (plan: RunPlan) => void;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (progress: EpochProgress) => void;
  /** Least time between two onBatch calls. Default 200 ms. */
  progressIntervalMs?: number;
}

/** A finished run. The caller owns `model` and must dispose it. */
export interface Run {
  model: Autoencoder | Vae;
  plan: RunPlan;
  result: TrainResult;
  /** Training samples per second of each epoch. */
  epochSamplesPerSecond: number[];
  /** Test MSE (ae) or the model's loss (vae) over `testCount` test images. */
  testScore: number;
  /** With `denoise`: the MSE per pixel of the noisy test images against the clean ones. */
  noisyMse?: number;
  testCount: number;
  timingsMs: { train: number; evaluate: number };
}

/** Trains the model `spec` describes on `data.train`, validates as its preset says and scores it on `data.test`. */
export async function runPreset(
  spec: RunSpec,
  data: { train: IdxImages; test: IdxImages },
  hooks: RunHooks = {},
): Promise<Run> {
  const { signal } = hooks;
  throwIfAborted(signal, 'Training');
  hooks.onStart?.();
  const seed = spec.seed ?? DEFAULT_SEED;
  const preset = getPreset(spec.kind, spec.preset ?? 'notebook');
  const overrides = {
    ...spec.model,
    ...(spec.latent !== undefined ? { latent: spec.latent } : {}),
    seed,
  };
  const model =
    preset.kind === 'ae'
      ? createAutoencoder({ ...preset.model, ...(overrides as Partial<AeConfig>) })
      : createVae({ ...preset.model, ...(overrides as Partial<VaeConfig>) });
  try {
    const selected = selectData(preset.training, data.train, data.test, spec.trainSize);
    const options = {
      ...presetTrainOptions(preset.training),
      ...(spec.epochs !== undefined ? { epochs: spec.epochs } : {}),
    };
    const plan: RunPlan = {
      trainCount: selected.train.indices.length,
      validationCount: selected.validation?.indices.length ?? 0,
      batchSize: options.batchSize,
      epochs: options.epochs,
    };
    hooks.onPlan?.(plan);

    const epochSamplesPerSecond: number[] = [];
    const tTrain = performance.now();
    const result = await train(model, selected.train, {
      ...options,
      seed,
      validation: selected.validation,
      noise: spec.denoise,
      signal,
      control: hooks.control,
      progressIntervalMs: hooks.progressIntervalMs,
      onBatch: hooks.onBatch,
      onEpoch: (p) => {
        epochSamplesPerSecond.push(p.samplesPerSecond);
        hooks.onEpoch?.(p);
      },
    });
    const trainMs = performance.now() - tTrain;

    const testCount = Math.min(spec.testSize ?? data.test.count, data.test.count);
    const test = viewOf(data.test, 0, testCount);
    hooks.onStage?.(`evaluating on ${testCount.toLocaleString('en-US')} test images`);
    const tEval = performance.now();
    // Batched with the signal, so a cancel while scoring gets through too.
    const noise = spec.denoise;
    const testScore = await evaluateAsync(model, test, { seed, signal, noise });
    const noisy = noise && (await noisyMseAsync(test, noise, { seed, signal }));
    const evaluateMs = performance.now() - tEval;
    throwIfAborted(signal, 'Training');
    return {
      model,
      plan,
      result,
      epochSamplesPerSecond,
      testScore,
      ...(noisy !== undefined ? { noisyMse: noisy } : {}),
      testCount,
      timingsMs: { train: trainMs, evaluate: evaluateMs },
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Runs a {@link RunSpec} on data the runner was made for: in this thread
 * ({@link serialRunner}) or in a pool of threads (src/cli/pool.ts). Same spec,
 * same result, bit for bit, whichever runs it.
 */
export type Runner = (spec: RunSpec, hooks?: RunHooks) => Promise<Run>;

/** A {@link Runner} that runs specs one at a time in this thread, in the order they were given. */
export function serialRunner(data: { train: IdxImages; test: IdxImages }): Runner {
  let tail: Promise<unknown> = Promise.resolve();
  return (spec, hooks = {}) => {
    const run = tail.then(() => runPreset(spec, data, hooks));
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Runs every spec through `runner` at once (the runner decides how many run
 * at a time) and resolves to their runs in the order of `specs`; `onDone`
 * hears of each run as it finishes. The first
 * failure cancels the others; once all have settled, the finished models are
 * freed and that failure is thrown (an ABORTED error when `signal` fired).
 */
export async function runAll(
  runner: Runner,
  specs: readonly RunSpec[],
  hooksFor: (index: number) => Omit<RunHooks, 'signal'> & { onDone?: (run: Run) => void },
  signal?: AbortSignal,
): Promise<Run[]> {
  throwIfAborted(signal, 'Training');
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let failure: unknown;
  try {
    const settled = await Promise.allSettled(
      specs.map((spec, i) => {
        const { onDone, ...hooks } = hooksFor(i);
        return runner(spec, { ...hooks, signal: stop.signal }).then(
          (run) => {
            onDone?.(run);
            return run;
          },
          (error: unknown) => {
            // The first real failure wins over the cancellations it causes.
            if (failure === undefined || (isAbort(failure) && !isAbort(error))) failure = error;
            stop.abort();
            throw error;
          },
        );
      }),
    );
    if (failure === undefined) {
      return settled.map((s) => (s as PromiseFulfilledResult<Run>).value);
    }
    for (const s of settled) if (s.status === 'fulfilled') s.value.model.dispose();
    throw signal?.aborted ? abortError('Training') : failure;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof AeError && error.code === 'ABORTED';
}
