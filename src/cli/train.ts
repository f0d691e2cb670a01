/**
 * The heavy half of `ae-demo train`: loads MNIST, builds the model from its
 * preset, trains, scores it on the test images and saves it. Imported only
 * when training runs, so parsing and --help never load TF.js.
 */
import { resolve } from 'node:path';
import type { IdxImages } from '../core/data/idx.ts';
import { checkSameShape, type ImageSet } from '../core/data/images.ts';
import { holdOut, loadImageFiles, loadMnist } from '../core/data/node.ts';
import { throwIfAborted } from '../core/errors.ts';
import { type BackendInfo, initBackend } from '../core/models/backend.ts';
import { saveModelFiles } from '../core/models/node-io.ts';
import { shapeOverrides } from '../core/settings.ts';
import { type RunHooks, type RunPlan, runPreset } from '../core/models/run.ts';
import type { TrainResult } from '../core/models/train.ts';
import type { TrainCommand, TrainData } from './args.ts';

/** What a training run needs: the parsed command without its output format. */
export type TrainSetup = Omit<TrainCommand, 'command' | 'json'>;

/** Sizes known once the data is selected; shown by the progress bar and the summary. */
export type TrainPlan = RunPlan;

/** Callbacks of {@link runTraining}. */
export type TrainHooks = Pick<RunHooks, 'signal' | 'onStage' | 'onPlan' | 'onBatch' | 'onEpoch'>;

/** What {@link runTraining} resolves to. */
export interface TrainOutcome {
  plan: TrainPlan;
  result: TrainResult;
  /** Training samples per second of each epoch. */
  epochSamplesPerSecond: number[];
  /** Test MSE (ae) or the notebook's loss (vae) over `testCount` test images. */
  testScore: number;
  /** With --denoise: the MSE per pixel of the noisy test images against the clean ones. */
  noisyMse?: number;
  testCount: number;
  /** The images' shape, and whether the test images are the held-out last 20 % of the training file. */
  images: { rows: number; cols: number; heldOut: boolean };
  backend: BackendInfo;
  timingsMs: { train: number; evaluate: number; total: number };
  /** Absolute directory the model was written to, with --save. */
  savedTo?: string;
}

export { hiddenFor } from '../core/settings.ts';

async function loadBoth(): Promise<{ train: IdxImages; test: IdxImages }> {
  const [train, test] = await Promise.all([loadMnist('train'), loadMnist('test')]);
  return { train, test };
}

/** The author's files: training images, and test images or the last 20 % held out. */
export async function loadAuthorData(
  files: TrainData,
): Promise<{ train: ImageSet; test: ImageSet; heldOut: boolean }> {
  const shape = files.shape ? { shape: files.shape } : {};
  const all = await loadImageFiles(files.images, files.labels, shape);
  if (!files.testImages) return { ...holdOut(all, 0.2), heldOut: true };
  const test = await loadImageFiles(files.testImages, files.testLabels, shape);
  checkSameShape(all, test, { train: files.images, test: files.testImages });
  return { train: all, test, heldOut: false };
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
  const { bottleneck, loss, data: files, ...spec } = setup;
  hooks.onStage?.(files ? `loading ${files.images}` : 'loading MNIST');
  const { train, test, heldOut } = files
    ? await loadAuthorData(files)
    : { ...(await loadBoth()), heldOut: false };
  throwIfAborted(signal, 'Training');

  const d = train.rows * train.cols;
  const model = {
    ...(bottleneck !== undefined ? { latentActivation: bottleneck } : {}),
    ...(loss !== undefined ? { loss } : {}),
    // The networks follow the images: the notebook's hidden sizes scale with the pixels.
    ...shapeOverrides(spec.kind, d),
  };
  const run = await runPreset(
    { ...spec, model },
    { train, test },
    {
      ...hooks,
      progressIntervalMs: PROGRESS_INTERVAL_MS,
    },
  );
  try {
    let savedTo: string | undefined;
    if (setup.save !== undefined) {
      savedTo = resolve(setup.save);
      hooks.onStage?.(`saving to ${savedTo}`);
      await saveModelFiles(run.model, savedTo);
    }
    return {
      plan: run.plan,
      result: run.result,
      epochSamplesPerSecond: run.epochSamplesPerSecond,
      testScore: run.testScore,
      ...(run.noisyMse !== undefined ? { noisyMse: run.noisyMse } : {}),
      testCount: run.testCount,
      images: { rows: train.rows, cols: train.cols, heldOut },
      backend,
      timingsMs: { ...run.timingsMs, total: performance.now() - t0 },
      ...(savedTo !== undefined ? { savedTo } : {}),
    };
  } finally {
    run.model.dispose();
  }
}
