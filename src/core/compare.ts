/**
 * Autoencoder against PCA over the latent size k, as the reference notebook
 * meant it: for each k an autoencoder whose bottleneck is k units wide, and
 * PCA with k components, both scored on the same test images. (The notebook's
 * loop kept the bottleneck at 10 and scored the autoencoder on its training
 * images.) Callers load the data and call initBackend() first.
 */
import type { IdxImages } from './data/idx.ts';
import { AeError, throwIfAborted } from './errors.ts';
import { type ImageView, viewOf } from './models/batches.ts';
import { encodeImages } from './models/inference.ts';
import { getPreset } from './models/presets.ts';
import type { BatchProgress, EpochProgress } from './models/train.ts';
import { type Run, type RunSpec, type Runner, runAll, serialRunner } from './models/run.ts';
import { pca } from './pca.ts';
import { BOTTLENECKS, type Bottleneck, DEFAULT_SEED, LIMITS, MAX_K } from './settings.ts';

// The API takes what the CLI does: compare runs headless, in Node.
const [MIN_SEED, MAX_SEED] = LIMITS.cli.seed;
const [MIN_EPOCHS, MAX_EPOCHS] = LIMITS.cli.epochs;

export interface CompareOptions {
  /** Latent sizes, each 1..{@link MAX_K} (any order, no duplicates). */
  ks: number[];
  /** AE preset name (presets.ts). Default 'notebook'. */
  preset?: string;
  /** Bottleneck activation. Default 'relu' (the notebook's). */
  bottleneck?: Bottleneck;
  /** Seeds weights and shuffling of every autoencoder. Default 1. */
  seed?: number;
  /** The most epochs per autoencoder. Default: the preset's. */
  epochs?: number;
  /** Training images from the start of the training set. Default: the preset's. */
  trainSize?: number | null;
  /** Test images both methods are scored on: the first `testSize`. Default: all. */
  testSize?: number;
}

/** One latent size: both errors are mean squared error per pixel on the same test images. */
export interface CompareRow {
  k: number;
  pcaMse: number;
  aeMse: number;
  /** Bottleneck units whose code is 0 for every test image (a relu that never fires). */
  deadUnits: number;
  /** Epochs run, and the 1-based epoch whose weights were scored. */
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
}

/** Callbacks of {@link compareLatentSizes}. */
export interface CompareHooks {
  signal?: AbortSignal;
  /** A step without a progress fraction, e.g. "PCA of 10,000 test images"; `k` when it is one autoencoder's. */
  onStage?: (stage: string, k?: number) => void;
  /**
   * An autoencoder starts training: the `index`-th (0-based, in increasing k)
   * of `total`. With a pooled runner several train at once and start in any order.
   */
  onAeStart?: (k: number, index: number, total: number) => void;
  /** An autoencoder has trained and been scored. */
  onAeDone?: (k: number, index: number, total: number) => void;
  onBatch?: (progress: BatchProgress, k: number) => void;
  onEpoch?: (progress: EpochProgress, k: number) => void;
  /** A latent size is done; rows come in increasing k, once all are done. */
  onRow?: (row: CompareRow) => void;
  /** Least time between two onBatch calls. Default 200 ms. */
  progressIntervalMs?: number;
  /**
   * Trains the autoencoders. Default: one after another in this thread. A
   * pool (src/cli/pool.ts) trains several at once with the same results.
   */
  runner?: Runner;
}

export interface CompareResult {
  /** One row per k, sorted by k. */
  rows: CompareRow[];
  preset: string;
  bottleneck: 'relu' | 'linear';
  seed: number;
  /** Test images both methods were scored on (PCA is also fitted on them, as in the notebook). */
  testCount: number;
  /** Images each autoencoder trained and validated on. */
  trainCount: number;
  validationCount: number;
}

const isWhole = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;

function badArgument(message: string): AeError {
  return new AeError('BAD_ARGUMENT', message);
}

/** The options with defaults filled in, or a BAD_ARGUMENT error naming the valid values. */
function checkOptions(options: CompareOptions, test: IdxImages) {
  const { ks } = options;
  if (!Array.isArray(ks) || ks.length === 0) {
    throw badArgument(`ks must list at least one latent size from 1 to ${MAX_K}.`);
  }
  for (const k of ks) {
    if (!isWhole(k, 1, MAX_K)) {
      throw badArgument(`Latent sizes must be whole numbers from 1 to ${MAX_K}, not ${k}.`);
    }
  }
  const sorted = [...ks].sort((a, b) => a - b);
  const twice = sorted.find((k, i) => sorted[i + 1] === k);
  if (twice !== undefined) throw badArgument(`Latent size ${twice} is listed twice.`);

  const preset = options.preset ?? 'notebook';
  getPreset('ae', preset);
  const bottleneck = options.bottleneck ?? 'relu';
  if (!(BOTTLENECKS as readonly string[]).includes(bottleneck)) {
    throw badArgument(
      `The bottleneck must be ${BOTTLENECKS.join(' or ')}, not "${String(bottleneck)}".`,
    );
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!isWhole(seed, MIN_SEED, MAX_SEED)) {
    throw badArgument(
      `The seed must be a whole number from ${MIN_SEED} to ${MAX_SEED}, not ${seed}.`,
    );
  }
  if (options.epochs !== undefined && !isWhole(options.epochs, MIN_EPOCHS, MAX_EPOCHS)) {
    throw badArgument(
      `epochs must be a whole number from ${MIN_EPOCHS} to ${MAX_EPOCHS}, not ${options.epochs}.`,
    );
  }
  const { trainSize } = options;
  if (trainSize !== undefined && trainSize !== null && !isWhole(trainSize, 1, Infinity)) {
    throw badArgument(`trainSize must be a whole number ≥ 1 or null (all), not ${trainSize}.`);
  }
  const testSize = options.testSize ?? test.count;
  if (!isWhole(testSize, 1, test.count)) {
    throw badArgument(
      `testSize must be a whole number from 1 to ${test.count} (the test images loaded), not ${testSize}.`,
    );
  }
  return { ks: sorted, preset, bottleneck, seed, testSize };
}

/** The bottleneck units (0-based) whose code is non-zero for some image of `codes` ([count × k], row-major). */
export function liveUnits(codes: Float32Array, k: number): number[] {
  const alive = new Uint8Array(k);
  for (let i = 0; i < codes.length; i++) if (codes[i] !== 0) alive[i % k] = 1;
  return [...alive.keys()].filter((j) => alive[j]);
}

/** Bottleneck units whose code is exactly 0 for every image of `codes` ([count × k], row-major). */
export function countDeadUnits(codes: Float32Array, k: number): number {
  return k - liveUnits(codes, k).length;
}

/**
 * Trains one autoencoder per latent size k (bottleneck k, the preset's
 * architecture and training otherwise) and fits PCA once with max(ks)
 * components, then scores both on the same first `testSize` test images.
 * Rejects with BAD_ARGUMENT for bad options and ABORTED when `signal` fires.
 */
export async function compareLatentSizes(
  data: { train: IdxImages; test: IdxImages },
  options: CompareOptions,
  hooks: CompareHooks = {},
): Promise<CompareResult> {
  const { ks, preset, bottleneck, seed, testSize } = checkOptions(options, data.test);
  const { signal } = hooks;
  const features = data.test.rows * data.test.cols;
  if (data.train.rows * data.train.cols !== features) {
    throw badArgument(
      `Training images are ${data.train.rows}×${data.train.cols} but test images ` +
        `${data.test.rows}×${data.test.cols}; both sets must have the same image size.`,
    );
  }
  throwIfAborted(signal, 'The comparison');

  const maxK = ks[ks.length - 1];
  hooks.onStage?.(`PCA of ${testSize.toLocaleString('en-US')} test images, ${maxK} components`);
  const fitted = await pca(
    { samples: testSize, features, pixels: data.test.pixels.subarray(0, testSize * features) },
    { components: maxK, scoreDims: 0, signal },
  );

  const runner = hooks.runner ?? serialRunner(data);
  const spec = {
    preset,
    bottleneck,
    seed,
    testSize,
    epochs: options.epochs,
    trainSize: options.trainSize,
  };
  const runs = await runAll(
    runner,
    ks.map((k) => compareSpec(k, spec)),
    (index) => {
      const k = ks[index];
      return {
        onStart: () => hooks.onAeStart?.(k, index, ks.length),
        onDone: () => hooks.onAeDone?.(k, index, ks.length),
        onStage: hooks.onStage && ((stage) => hooks.onStage!(stage, k)),
        onBatch: hooks.onBatch && ((p) => hooks.onBatch!(p, k)),
        onEpoch: hooks.onEpoch && ((p) => hooks.onEpoch!(p, k)),
        progressIntervalMs: hooks.progressIntervalMs,
      };
    },
    signal,
  );
  const test = viewOf(data.test, 0, testSize);
  const rows: CompareRow[] = [];
  try {
    for (const [index, run] of runs.entries()) {
      const k = ks[index];
      rows.push(compareRow(k, run, fitted.reconstructionMse[k - 1], test));
      hooks.onRow?.(rows[rows.length - 1]);
    }
  } finally {
    for (const run of runs) run.model.dispose();
  }
  const { trainCount, validationCount } = runs[runs.length - 1].plan;
  return { rows, preset, bottleneck, seed, testCount: testSize, trainCount, validationCount };
}

/** What every autoencoder of a comparison shares; see {@link CompareOptions}. */
export interface CompareSpecOptions {
  preset: string;
  bottleneck: Bottleneck;
  seed: number;
  testSize?: number;
  epochs?: number;
  trainSize?: number | null;
}

/** The run of the comparison's autoencoder for latent size `k`. */
export function compareSpec(k: number, o: CompareSpecOptions): RunSpec {
  return {
    kind: 'ae',
    preset: o.preset,
    latent: k,
    seed: o.seed,
    model: { latentActivation: o.bottleneck },
    ...(o.testSize !== undefined ? { testSize: o.testSize } : {}),
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.trainSize !== undefined ? { trainSize: o.trainSize } : {}),
  };
}

/** The table row of latent size `k` from its trained run, PCA's error at k and the test images both were scored on. */
export function compareRow(k: number, run: Run, pcaMse: number, test: ImageView): CompareRow {
  return {
    k,
    pcaMse,
    aeMse: run.testScore,
    deadUnits: countDeadUnits(encodeImages(run.model, test), k),
    epochs: run.result.epochs,
    bestEpoch: run.result.bestEpoch,
    trainSeconds: run.timingsMs.train / 1000,
  };
}
