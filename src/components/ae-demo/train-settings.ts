/**
 * The element's words for its training settings and its checks of them:
 * attributes and inputs are read against the element's limits of
 * src/core/settings.ts, and errors name the attribute or the field.
 */
import { AeError } from '../../core/errors.ts';
import { formatNumber } from '../shared/format.ts';
import {
  LIMITS,
  PRESET_NAMES,
  isPresetName,
  type NumericSetting,
  type PresetName,
  type TrainMethod,
} from '../../core/settings.ts';

/** The element's limits (LIMITS.element of src/core/settings.ts). */
export const SETTING_LIMITS = LIMITS.element;

/** The attribute that sets each setting, for error messages. */
export const SETTING_ATTRIBUTES: Record<NumericSetting | 'method' | 'preset', string> = {
  method: 'method',
  preset: 'train-preset',
  latent: 'latent',
  epochs: 'epochs',
  trainSize: 'train-size',
  seed: 'seed',
};

/** What the training panel calls each numeric setting. */
export const SETTING_LABELS: Record<NumericSetting, string> = {
  latent: 'Latent size',
  epochs: 'Epochs',
  trainSize: 'Training digits',
  seed: 'Seed',
};

/** Words for a method, as the element writes them in a sentence. */
export const METHOD_WORDS: Record<TrainMethod, { a: string; the: string; short: string }> = {
  ae: { a: 'an autoencoder', the: 'the autoencoder', short: 'autoencoder' },
  vae: { a: 'a VAE', the: 'the VAE', short: 'VAE' },
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
      `${subject} must be a whole number from ${min} to ${formatNumber(max, 0)}.`,
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
export function checkPreset(value: unknown): PresetName {
  const v = String(value).trim();
  if (isPresetName(v)) return v;
  throw new AeError(
    'BAD_ARGUMENT',
    `train-preset="${String(value)}" must be one of ${PRESET_NAMES.join(', ')}.`,
  );
}
