import { AeError } from '../../core/errors.ts';

/** What the reader trains: an autoencoder or a variational autoencoder. */
export type TrainMethod = 'ae' | 'vae';

/** The settings of one training run in the element, all resolved. */
export interface TrainSettings {
  method: TrainMethod;
  /** A preset of src/core/models/presets.ts: quick, web or notebook. */
  preset: string;
  latent: number;
  epochs: number;
  /** Training digits, from the start of the 12,000 the element ships. */
  trainSize: number;
  seed: number;
}

/** The numeric settings, by name. */
export type NumericSetting = 'latent' | 'epochs' | 'trainSize' | 'seed';

/** The training digits the element ships (build/data/train12k-*). */
export const SHIPPED_TRAIN_DIGITS = 12_000;

/** Allowed range of each numeric setting, inclusive. */
export const SETTING_LIMITS: Record<NumericSetting, readonly [number, number]> = {
  latent: [1, 32],
  epochs: [1, 100],
  trainSize: [1, SHIPPED_TRAIN_DIGITS],
  seed: [0, 2 ** 31 - 1],
};

/** The attribute that sets each setting, for error messages. */
export const SETTING_ATTRIBUTES: Record<NumericSetting | 'method' | 'preset', string> = {
  method: 'method',
  preset: 'train-preset',
  latent: 'latent',
  epochs: 'epochs',
  trainSize: 'train-size',
  seed: 'seed',
};

type PresetDefaults = Pick<TrainSettings, 'latent' | 'epochs' | 'trainSize'>;

/**
 * What each preset of src/core/models/presets.ts trains by default, restated
 * here so the element's first script does not import the presets (they pull
 * in TF.js); tests/unit/train-settings.test.ts checks the two agree. A
 * preset's "all training images" is the 12,000 the element ships.
 */
export const PRESET_DEFAULTS: Record<string, Record<TrainMethod, PresetDefaults>> = {
  quick: {
    ae: { latent: 10, epochs: 5, trainSize: 2000 },
    vae: { latent: 10, epochs: 5, trainSize: 2000 },
  },
  web: {
    ae: { latent: 10, epochs: 10, trainSize: 12_000 },
    vae: { latent: 10, epochs: 10, trainSize: 12_000 },
  },
  notebook: {
    ae: { latent: 10, epochs: 50, trainSize: 12_000 },
    vae: { latent: 10, epochs: 20, trainSize: 12_000 },
  },
};

/** The seed when neither the author nor the reader gives one (the CLI's default too). */
export const DEFAULT_SEED = 1;

/** Words for a method, as the element writes them in a sentence. */
export const METHOD_WORDS: Record<TrainMethod, { a: string; the: string; short: string }> = {
  ae: { a: 'an autoencoder', the: 'the autoencoder', short: 'autoencoder' },
  vae: { a: 'a VAE', the: 'the VAE', short: 'VAE' },
};

/** The settings a preset and method start from. */
export function defaultSettings(preset: string, method: TrainMethod): TrainSettings {
  const table = PRESET_DEFAULTS[preset] ?? PRESET_DEFAULTS.quick;
  return { method, preset, ...table[method], seed: DEFAULT_SEED };
}

/** What the training panel calls each numeric setting. */
export const SETTING_LABELS: Record<NumericSetting, string> = {
  latent: 'Latent size',
  epochs: 'Epochs',
  trainSize: 'Training digits',
  seed: 'Seed',
};

/**
 * A numeric setting from an attribute or an input: a whole number within
 * {@link SETTING_LIMITS}. Throws BAD_ARGUMENT saying what is valid; the
 * message starts with `subject`, by default the attribute as written
 * (`latent="abc"`).
 */
export function checkSetting(
  name: NumericSetting,
  value: unknown,
  subject = `${SETTING_ATTRIBUTES[name]}="${String(value)}"`,
): number {
  const [min, max] = SETTING_LIMITS[name];
  const text = String(value ?? '').trim();
  const n = typeof value === 'number' ? value : Number(text);
  if (text === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new AeError(
      'BAD_ARGUMENT',
      `${subject} must be a whole number from ${min} to ${max.toLocaleString('en-US')}.`,
    );
  }
  return n;
}

/** `method` from an attribute or a select: "ae" or "vae". Throws BAD_ARGUMENT otherwise. */
export function checkMethod(value: unknown): TrainMethod {
  const v = String(value).trim().toLowerCase();
  if (v === 'ae' || v === 'vae') return v;
  throw new AeError(
    'BAD_ARGUMENT',
    `method="${String(value)}" must be "ae" (an autoencoder) or "vae" (a variational autoencoder).`,
  );
}

/** `train-preset`: one of the presets' names. Throws BAD_ARGUMENT otherwise. */
export function checkPreset(value: unknown): string {
  const v = String(value).trim();
  if (Object.hasOwn(PRESET_DEFAULTS, v)) return v;
  throw new AeError(
    'BAD_ARGUMENT',
    `train-preset="${String(value)}" must be one of ${Object.keys(PRESET_DEFAULTS).join(', ')}.`,
  );
}
