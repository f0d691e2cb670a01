/**
 * The training loop shared by Node (CLI, tests) and the worker: a custom
 * Adam step over a model's own forward pass, seeded shuffling, validation,
 * early stopping, progress, pause/resume/cancel, and divergence and leak checks.
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError, abortError } from '../errors.ts';
import { yieldToEventLoop } from '../yield.ts';
import { tf } from './backend.ts';
import {
  BatchMaker,
  type ImageView,
  deriveSeed,
  mulberry32,
  shuffleInPlace,
  viewOf,
} from './batches.ts';
import { createFusedAdam } from './adam.ts';
import type { TrainableModel } from './model.ts';
import { type Noise, checkNoise, corrupt } from './noise.ts';
import { lossSteps, runSteps } from './steps.ts';

/** Reported once per epoch. Plain numbers, so it crosses a Comlink proxy as is. */
export interface EpochProgress {
  /** 1-based. */
  epoch: number;
  /** The most epochs this run will do. */
  epochs: number;
  /** Mean training loss over the epoch's samples. */
  loss: number;
  /** Mean validation loss, or null without validation data. */
  valLoss: number | null;
  /** Training samples per second in this epoch (validation excluded). */
  samplesPerSecond: number;
  /** Seconds left if every remaining epoch runs (early stopping may end sooner). */
  etaSeconds: number;
  /** tf.memory().numTensors after the epoch; constant from epoch to epoch unless something leaks. */
  numTensors: number;
}

/** Reported at most every `progressIntervalMs` during an epoch. */
export interface BatchProgress {
  /** 1-based epoch. */
  epoch: number;
  /** Batches done in this epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Fraction of the whole run done, 0..1 (counting every planned epoch). */
  fraction: number;
}

/** Early stopping on validation loss (on training loss without validation data), as Keras does it. */
export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Improvement smaller than this does not count. Default 0. */
  minDelta?: number;
  /** Put back the weights of the best epoch at the end. Default true. */
  restoreBestWeights?: boolean;
}

/** Options of {@link train}. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam's learning rate. Default 1e-3 (Adam's other settings are Keras's: 0.9, 0.999, 1e-7). */
  learningRate?: number;
  /** Seeds shuffling and the VAE's sampling noise. Default 1. */
  seed?: number;
  /** Reshuffle the training set every epoch. Default true. */
  shuffle?: boolean;
  /** Images scored after every epoch. */
  validation?: IdxImages | ImageView;
  earlyStopping?: EarlyStopping;
  /** Batch size for validation. Default 1000. */
  evalBatchSize?: number;
  /**
   * Default 'fused': one pass per variable in the kernels (models/adam.ts);
   * 'tfjs': tf.train.adam, for comparisons. Same update; the last bits differ.
   */
  optimizer?: 'fused' | 'tfjs';
  /**
   * Trains a denoiser: every batch (and the validation images) goes in with
   * this noise, seeded, and the loss compares the output with the clean images.
   */
  noise?: Noise;
  /** Cancels training; the promise then rejects with an ABORTED AeError. */
  signal?: AbortSignal;
  /** Pauses and resumes training between batches. */
  control?: TrainingControl;
  onEpoch?: (progress: EpochProgress) => void;
  onBatch?: (progress: BatchProgress) => void;
  /** Least time between two onBatch calls. Default 200 ms. */
  progressIntervalMs?: number;
  /** Longest stretch without yielding to the event loop. Default 25 ms (at least one batch runs). */
  yieldIntervalMs?: number;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Per-epoch training and validation loss (val_loss is empty without validation data). */
  history: { loss: number[]; valLoss: number[] };
  /** Epochs run. */
  epochs: number;
  /** 1-based epoch whose weights the model holds at the end. */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Whether the weights were put back to those of an earlier, better epoch. */
  restoredBestWeights: boolean;
  /** Training samples per second over the run (validation excluded). */
  samplesPerSecond: number;
  /** tf.memory().numTensors after each epoch. */
  numTensorsPerEpoch: number[];
  /** Wall time of the whole run. */
  seconds: number;
}

/** Pauses and resumes a training run; pass it as `options.control`. */
export class TrainingControl {
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  /** Training stops at its next yield point until {@link resume}. */
  pause(): void {
    if (this.gate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  resume(): void {
    const gate = this.gate;
    this.gate = undefined;
    gate?.open();
  }

  get paused(): boolean {
    return this.gate !== undefined;
  }

  /** Resolves at once when running; otherwise on resume. Rejects with ABORTED if `signal` fires. */
  async wait(signal?: AbortSignal): Promise<void> {
    while (this.gate) {
      const gate = this.gate;
      if (!signal) {
        await gate.promise;
        continue;
      }
      if (signal.aborted) throw abortError('Training');
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(abortError('Training'));
        signal.addEventListener('abort', onAbort, { once: true });
        void gate.promise.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }
}

function asView(images: IdxImages | ImageView): ImageView {
  return 'indices' in images ? images : viewOf(images);
}

function checkOptions(model: TrainableModel, train: ImageView, o: TrainOptions): void {
  const int = (v: unknown, what: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new AeError('BAD_ARGUMENT', `${what} must be a whole number ≥ 1, got ${String(v)}.`);
    }
  };
  int(o.epochs, 'epochs');
  int(o.batchSize, 'batchSize');
  if (o.evalBatchSize !== undefined) int(o.evalBatchSize, 'evalBatchSize');
  const lr = o.learningRate ?? 1e-3;
  if (!(lr > 0 && Number.isFinite(lr))) {
    throw new AeError('BAD_ARGUMENT', `learningRate must be a positive number, got ${lr}.`);
  }
  if (o.earlyStopping) int(o.earlyStopping.patience, 'earlyStopping.patience');
  if (o.optimizer !== undefined && o.optimizer !== 'fused' && o.optimizer !== 'tfjs') {
    throw new AeError(
      'BAD_ARGUMENT',
      `optimizer must be 'fused' or 'tfjs', got ${JSON.stringify(o.optimizer)}.`,
    );
  }
  if (train.indices.length === 0) {
    throw new AeError('BAD_ARGUMENT', 'The training set is empty; give it at least one image.');
  }
  if (train.features !== model.inputSize) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The images have ${train.features} pixels but the model takes ${model.inputSize}; ` +
        'build the model with inputSize equal to rows × cols.',
    );
  }
}

/** Mean per-sample loss of `model` over `images`, batched. `seed` seeds the VAE's noise. */
export function meanLoss(
  model: TrainableModel,
  images: IdxImages | ImageView,
  options: { batchSize?: number; seed?: number; noise?: Noise; noiseSeed?: number } = {},
): number {
  const seed = options.seed ?? 1;
  return runSteps(
    lossSteps(
      model,
      asView(images),
      options.batchSize ?? 1000,
      seed,
      options.noise,
      options.noiseSeed ?? seed,
    ),
  );
}

/**
 * Trains `model` on `data` with Adam and mini-batches, reshuffled every
 * epoch with a seeded PRNG; the last batch may be smaller (as in Keras).
 * Same seed, same backend: same weights and losses. Rejects with
 * TRAINING_DIVERGED naming the epoch and batch when a loss is NaN or
 * infinite, and with ABORTED when `options.signal` fires.
 */
export async function train(
  model: TrainableModel,
  data: IdxImages | ImageView,
  options: TrainOptions,
): Promise<TrainResult> {
  const view = asView(data);
  checkOptions(model, view, options);
  const validation = options.validation ? asView(options.validation) : undefined;
  if (validation && validation.features !== model.inputSize) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The validation images have ${validation.features} pixels but the model takes ${model.inputSize}.`,
    );
  }
  const { epochs, batchSize, signal, control } = options;
  const seed = options.seed ?? 1;
  const stopping = options.earlyStopping;
  const restoreBest = stopping?.restoreBestWeights ?? true;
  const minDelta = stopping?.minDelta ?? 0;
  const progressMs = options.progressIntervalMs ?? 200;
  const yieldMs = options.yieldIntervalMs ?? 25;

  const n = view.indices.length;
  const batches = Math.ceil(n / batchSize);
  const order = Uint32Array.from(view.indices);
  const maker = new BatchMaker(view.features);
  const variables = model.trainableVariables();
  const hyper = {
    learningRate: options.learningRate ?? 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
  };
  const tfjsAdam =
    options.optimizer === 'tfjs'
      ? tf.train.adam(hyper.learningRate, hyper.beta1, hyper.beta2, hyper.epsilon)
      : undefined;
  const fusedAdam = tfjsAdam ? undefined : await createFusedAdam(variables, hyper);
  const noise = options.noise && checkNoise(options.noise);
  // A denoiser sees a noisy copy of each batch (new noise every step) and is scored on the clean one.
  const lossOf = (x: tf.Tensor2D, stepSeed: number, noiseSeed: number) => () =>
    tf.mean(
      noise
        ? model.sampleLosses(corrupt(x, noise, noiseSeed), stepSeed, x)
        : model.sampleLosses(x, stepSeed),
    ) as tf.Scalar;
  const history = { loss: [] as number[], valLoss: [] as number[] };
  const numTensorsPerEpoch: number[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let wait = 0;
  let stoppedEarly = false;
  let trainSeconds = 0;
  let epochSeconds = 0;
  let ran = 0;
  const t0 = performance.now();
  let lastYield = t0;
  let lastProgress = -Infinity;

  const checkpoint = async () => {
    if (signal?.aborted) throw abortError('Training');
    const now = performance.now();
    if (now - lastYield >= yieldMs || control?.paused) {
      await yieldToEventLoop();
      if (control) await control.wait(signal);
      if (signal?.aborted) throw abortError('Training');
      lastYield = performance.now();
    }
  };

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const epochStart = performance.now();
      if (options.shuffle ?? true) shuffleInPlace(order, mulberry32(deriveSeed(seed, 1, epoch)));
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        await checkpoint();
        const start = b * batchSize;
        const m = Math.min(batchSize, n - start);
        const x = maker.batch(view, order, start, m);
        const stepSeed = deriveSeed(seed, 2, epoch, b);
        const noiseSeed = deriveSeed(seed, 4, epoch, b);
        let cost: tf.Scalar;
        try {
          if (tfjsAdam) {
            cost = tfjsAdam.minimize(lossOf(x, stepSeed, noiseSeed), true, variables)!;
          } else {
            const { value, grads } = tf.variableGrads(lossOf(x, stepSeed, noiseSeed), variables);
            cost = value;
            fusedAdam!.applyGradients(grads);
          }
        } finally {
          x.dispose();
        }
        const loss = cost.dataSync()[0];
        cost.dispose();
        if (!Number.isFinite(loss)) {
          throw new AeError(
            'TRAINING_DIVERGED',
            `Training diverged: the loss became ${loss} at epoch ${epoch}, batch ${b + 1} of ${batches}. ` +
              'The weights are no longer usable; lower the learning rate or check the input data for NaN.',
          );
        }
        lossSum += loss * m;
        const now = performance.now();
        if (options.onBatch && now - lastProgress >= progressMs) {
          lastProgress = now;
          options.onBatch({
            epoch,
            batch: b + 1,
            batches,
            fraction: (epoch - 1 + (b + 1) / batches) / epochs,
          });
        }
      }
      const trainEnd = performance.now();
      trainSeconds += (trainEnd - epochStart) / 1000;
      const loss = lossSum / n;
      let valLoss: number | null = null;
      if (validation) {
        await checkpoint();
        valLoss = meanLoss(model, validation, {
          batchSize: options.evalBatchSize,
          seed: deriveSeed(seed, 3, epoch),
          // The same noisy validation images every epoch: early stopping compares like with like.
          noise,
          noiseSeed: deriveSeed(seed, 5),
        });
      }
      history.loss.push(loss);
      if (valLoss !== null) history.valLoss.push(valLoss);

      const monitored = valLoss ?? loss;
      if (monitored < best - minDelta) {
        best = monitored;
        bestEpoch = epoch;
        wait = 0;
        if (stopping && restoreBest) {
          for (const t of bestWeights ?? []) t.dispose();
          bestWeights = variables.map((v) => tf.clone(v));
        }
      } else {
        wait++;
      }
      if (!Number.isFinite(monitored) && valLoss !== null) {
        throw new AeError(
          'TRAINING_DIVERGED',
          `Training diverged: the validation loss became ${valLoss} after epoch ${epoch}. ` +
            'Lower the learning rate or check the validation data.',
        );
      }
      const numTensors = tf.memory().numTensors;
      numTensorsPerEpoch.push(numTensors);
      epochSeconds += (performance.now() - epochStart) / 1000;
      ran = epoch;
      stoppedEarly = !!stopping && wait >= stopping.patience && epoch < epochs;
      options.onEpoch?.({
        epoch,
        epochs,
        loss,
        valLoss,
        samplesPerSecond: n / ((trainEnd - epochStart) / 1000),
        etaSeconds: stoppedEarly ? 0 : (epochSeconds / epoch) * (epochs - epoch),
        numTensors,
      });
      if (stoppedEarly) break;
    }
    let restored = false;
    if (bestWeights && bestEpoch !== ran) {
      variables.forEach((v, i) => v.assign(bestWeights![i]));
      restored = true;
    }
    return {
      history,
      epochs: ran,
      bestEpoch: restored ? bestEpoch : ran,
      stoppedEarly,
      restoredBestWeights: restored,
      samplesPerSecond: (n * ran) / trainSeconds,
      numTensorsPerEpoch,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    for (const t of bestWeights ?? []) t.dispose();
    tfjsAdam?.dispose();
  }
}
