/**
 * Named training set-ups: the reference notebook's, and small ones that
 * finish in seconds on a web page. Their names, latent sizes, epochs and
 * training sizes are src/core/settings.ts's; the rest is here.
 */
import type { IdxImages } from '../data/idx.ts';
import { AeError } from '../errors.ts';
import { PRESET_DEFAULTS, type PresetName } from '../settings.ts';
import { DEFAULT_AE_CONFIG, type AeConfig } from './autoencoder.ts';
import { type ImageView, kerasValidationSplit, viewOf } from './batches.ts';
import type { EarlyStopping, TrainOptions } from './train.ts';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from './vae.ts';

/**
 * Where validation images come from: the last `split` of the training images
 * (Keras's validation_split), the first `testSize` test images (null: all),
 * or none.
 */
export type ValidationSource = { split: number } | { testSize: number | null } | 'none';

/** The training half of a preset. */
export interface TrainingPreset {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Training images: the first `trainSize` of the training split (null: all). */
  trainSize: number | null;
  validateOn: ValidationSource;
  earlyStopping?: EarlyStopping;
}

/** An autoencoder preset. */
export interface AePreset {
  kind: 'ae';
  description: string;
  model: Partial<AeConfig>;
  training: TrainingPreset;
}

/** A VAE preset. */
export interface VaePreset {
  kind: 'vae';
  description: string;
  model: Partial<VaeConfig>;
  training: TrainingPreset;
}

// The factories' defaults are the notebook's architectures; a preset leaves the seed to the run.
const { seed: _aeSeed, ...NOTEBOOK_AE } = DEFAULT_AE_CONFIG;
const { seed: _vaeSeed, ...NOTEBOOK_VAE } = DEFAULT_VAE_CONFIG;
// Latent size, epochs and training images come from src/core/settings.ts, which the element and the CLI read too.
const { quick, web, notebook } = PRESET_DEFAULTS;

/** Autoencoder presets by name. */
export const AE_PRESETS = {
  notebook: {
    kind: 'ae',
    description:
      'The notebook: 784-392-10-392-784, relu, relu bottleneck, sigmoid output, MSE, Adam 1e-3, ' +
      'batch 128, up to 50 epochs, validation_split 0.8 (trains on the first fifth of 60,000), ' +
      'early stopping after 5 epochs without a better validation loss.',
    model: { ...NOTEBOOK_AE, latent: notebook.ae.latent },
    training: {
      epochs: notebook.ae.epochs,
      batchSize: 128,
      learningRate: 1e-3,
      trainSize: notebook.ae.trainSize,
      validateOn: { split: 0.8 },
      earlyStopping: { patience: 5, restoreBestWeights: true },
    },
  },
  quick: {
    kind: 'ae',
    description:
      'For a web page: the notebook architecture on 2,000 training images for 5 epochs, ' +
      'validated on 1,000 test images.',
    model: { hidden: [392], latent: quick.ae.latent },
    training: {
      epochs: quick.ae.epochs,
      batchSize: 64,
      learningRate: 1e-3,
      trainSize: quick.ae.trainSize,
      validateOn: { testSize: 1000 },
    },
  },
  web: {
    kind: 'ae',
    description:
      'For a web page with time to spare: the notebook architecture on the 12,000 training images ' +
      'the site ships, 10 epochs, validated on 2,000 test images, early stopping after 3.',
    model: { hidden: [392], latent: web.ae.latent },
    training: {
      epochs: web.ae.epochs,
      batchSize: 128,
      learningRate: 1e-3,
      trainSize: web.ae.trainSize,
      validateOn: { testSize: 2000 },
      earlyStopping: { patience: 3, restoreBestWeights: true },
    },
  },
} satisfies Record<PresetName, AePreset>;

/** VAE presets by name. */
export const VAE_PRESETS = {
  notebook: {
    kind: 'vae',
    description:
      'The notebook: 784-256-(10, 10)-256-784, loss 784·MSE − ½·mean(1 + log σ² − μ² − σ²), ' +
      'Adam 1e-3, batch 64, 20 epochs on all 60,000 training images, validated on the test set.',
    model: { ...NOTEBOOK_VAE, latent: notebook.vae.latent },
    training: {
      epochs: notebook.vae.epochs,
      batchSize: 64,
      learningRate: 1e-3,
      trainSize: notebook.vae.trainSize,
      validateOn: { testSize: null },
    },
  },
  quick: {
    kind: 'vae',
    description:
      'For a web page: the notebook VAE on 2,000 training images for 5 epochs, validated on 1,000 test images.',
    model: { hidden: [256], latent: quick.vae.latent, loss: 'notebook' },
    training: {
      epochs: quick.vae.epochs,
      batchSize: 64,
      learningRate: 1e-3,
      trainSize: quick.vae.trainSize,
      validateOn: { testSize: 1000 },
    },
  },
  web: {
    kind: 'vae',
    description:
      'For a web page with time to spare: the notebook VAE on the 12,000 training images the site ' +
      'ships, 10 epochs, validated on 2,000 test images.',
    model: { hidden: [256], latent: web.vae.latent, loss: 'notebook' },
    training: {
      epochs: web.vae.epochs,
      batchSize: 64,
      learningRate: 1e-3,
      trainSize: web.vae.trainSize,
      validateOn: { testSize: 2000 },
    },
  },
} satisfies Record<PresetName, VaePreset>;

export type AePresetName = keyof typeof AE_PRESETS;
export type VaePresetName = keyof typeof VAE_PRESETS;

/** The preset `name` of `kind`, or a BAD_ARGUMENT error listing the valid names. */
export function getPreset(kind: 'ae', name: string): AePreset;
export function getPreset(kind: 'vae', name: string): VaePreset;
export function getPreset(kind: 'ae' | 'vae', name: string): AePreset | VaePreset;
export function getPreset(kind: 'ae' | 'vae', name: string): AePreset | VaePreset {
  const table: Record<string, AePreset | VaePreset> = kind === 'ae' ? AE_PRESETS : VAE_PRESETS;
  if (!Object.hasOwn(table, name)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Unknown ${kind} preset "${name}"; use one of: ${Object.keys(table).join(', ')}.`,
    );
  }
  return table[name];
}

/**
 * The training and validation images a preset asks for, as views on the
 * given sets (no pixels are copied). `trainSize` overrides the preset's.
 */
export function selectData(
  training: TrainingPreset,
  train: IdxImages,
  test?: IdxImages,
  trainSize: number | null = training.trainSize,
): { train: ImageView; validation?: ImageView } {
  const size = trainSize === null ? train.count : trainSize;
  if (size > train.count) {
    throw new AeError(
      'BAD_ARGUMENT',
      `The preset wants ${size} training images but only ${train.count} are loaded; ` +
        'load the full training split or lower the training size.',
    );
  }
  const trainImages: IdxImages = {
    count: size,
    rows: train.rows,
    cols: train.cols,
    pixels: train.pixels,
  };
  const v = training.validateOn;
  if (v === 'none') return { train: viewOf(trainImages) };
  if ('split' in v) return kerasValidationSplit(trainImages, v.split);
  if (!test) {
    throw new AeError('BAD_ARGUMENT', 'This preset validates on test images; pass the test set.');
  }
  const testSize = v.testSize === null ? test.count : Math.min(v.testSize, test.count);
  return { train: viewOf(trainImages), validation: viewOf(test, 0, testSize) };
}

/** The preset's epochs, batch size, learning rate and early stopping, as {@link TrainOptions}. */
export function presetTrainOptions(
  training: TrainingPreset,
): Pick<TrainOptions, 'epochs' | 'batchSize' | 'learningRate' | 'earlyStopping'> {
  const { epochs, batchSize, learningRate, earlyStopping } = training;
  return { epochs, batchSize, learningRate, ...(earlyStopping ? { earlyStopping } : {}) };
}
