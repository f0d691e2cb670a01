/**
 * The heavy half of `ae-demo train`: loads MNIST, builds the model from its
 * preset, trains, scores it on the test images and saves it. Imported only
 * when training runs, so parsing and --help never load TF.js.
 */
import { resolve } from 'node:path';
import { loadMnist } from '../core/data/node.ts';
import { throwIfAborted } from '../core/errors.ts';
import { createAutoencoder } from '../core/models/autoencoder.ts';
import { type BackendInfo, initBackend } from '../core/models/backend.ts';
import { viewOf } from '../core/models/batches.ts';
import { evaluate } from '../core/models/inference.ts';
import type { TrainableModel } from '../core/models/model.ts';
import { saveModelFiles } from '../core/models/node-io.ts';
import { getPreset, presetTrainOptions, selectData } from '../core/models/presets.ts';
import type { BatchProgress, EpochProgress, TrainResult } from '../core/models/train.ts';
import { train } from '../core/models/train.ts';
import { createVae } from '../core/models/vae.ts';
import type { TrainCommand } from './args.ts';

/** What a training run needs: the parsed command without its output format. */
export type TrainSetup = Omit<TrainCommand, 'command' | 'json'>;

/** Sizes known once the data is selected; shown by the progress bar and the summary. */
export interface TrainPlan {
  trainCount: number;
  validationCount: number;
  batchSize: number;
  epochs: number;
}

/** Callbacks of {@link runTraining}. */
export interface TrainHooks {
  signal?: AbortSignal;
  /** A step without a progress fraction: loading data, evaluating, saving. */
  onStage?: (stage: string) => void;
  onPlan?: (plan: TrainPlan) => void;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (progress: EpochProgress) => void;
}

/** What {@link runTraining} resolves to. */
export interface TrainOutcome {
  plan: TrainPlan;
  result: TrainResult;
  /** Training samples per second of each epoch. */
  epochSamplesPerSecond: number[];
  /** Test MSE (ae) or the notebook's loss (vae) over `testCount` test images. */
  testScore: number;
  testCount: number;
  backend: BackendInfo;
  timingsMs: { train: number; evaluate: number; total: number };
  /** Absolute directory the model was written to, with --save. */
  savedTo?: string;
}

/** Progress redraws at most this often (the training loop's onBatch throttle). */
export const PROGRESS_INTERVAL_MS = 200;

/** Trains the model `setup` describes on MNIST and scores it on the test images. */
export async function runTraining(
  setup: TrainSetup,
  hooks: TrainHooks = {},
): Promise<TrainOutcome> {
  const t0 = performance.now();
  const { signal } = hooks;
  hooks.onStage?.('starting the WebAssembly backend');
  const backend = await initBackend();
  hooks.onStage?.('loading MNIST');
  const [trainSet, testSet] = await Promise.all([loadMnist('train'), loadMnist('test')]);
  throwIfAborted(signal, 'Training');

  const preset = getPreset(setup.kind, setup.preset);
  const overrides = { latent: setup.latent, seed: setup.seed };
  const model: TrainableModel =
    preset.kind === 'ae'
      ? createAutoencoder({ ...preset.model, ...overrides })
      : createVae({ ...preset.model, ...overrides });
  try {
    const data = selectData(preset.training, trainSet, testSet, setup.trainSize);
    const options = { ...presetTrainOptions(preset.training), epochs: setup.epochs };
    const plan: TrainPlan = {
      trainCount: data.train.indices.length,
      validationCount: data.validation?.indices.length ?? 0,
      batchSize: options.batchSize,
      epochs: options.epochs,
    };
    hooks.onPlan?.(plan);

    const epochSamplesPerSecond: number[] = [];
    const tTrain = performance.now();
    const result = await train(model, data.train, {
      ...options,
      seed: setup.seed,
      validation: data.validation,
      signal,
      progressIntervalMs: PROGRESS_INTERVAL_MS,
      onBatch: hooks.onBatch,
      onEpoch: (p) => {
        epochSamplesPerSecond.push(p.samplesPerSecond);
        hooks.onEpoch?.(p);
      },
    });
    const trainMs = performance.now() - tTrain;

    const test = viewOf(testSet);
    hooks.onStage?.(`evaluating on ${test.indices.length.toLocaleString('en-US')} test images`);
    const tEval = performance.now();
    const testScore = evaluate(model, test, { seed: setup.seed });
    const evaluateMs = performance.now() - tEval;
    throwIfAborted(signal, 'Training');

    let savedTo: string | undefined;
    if (setup.save !== undefined) {
      savedTo = resolve(setup.save);
      hooks.onStage?.(`saving to ${savedTo}`);
      await saveModelFiles(model, savedTo);
    }
    return {
      plan,
      result,
      epochSamplesPerSecond,
      testScore,
      testCount: test.indices.length,
      backend,
      timingsMs: { train: trainMs, evaluate: evaluateMs, total: performance.now() - t0 },
      ...(savedTo !== undefined ? { savedTo } : {}),
    };
  } finally {
    model.dispose();
  }
}
