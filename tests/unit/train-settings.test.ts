import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  PRESET_DEFAULTS,
  SHIPPED_TRAIN_DIGITS,
  checkMethod,
  checkPreset,
  checkSetting,
  defaultSettings,
} from '../../src/components/ae-demo/train-settings.ts';
import {
  AE_PRESETS,
  VAE_PRESETS,
  type AePreset,
  type VaePreset,
} from '../../src/core/models/presets.ts';
import { AeError } from '../../src/core/errors.ts';

const badArgument = (message: string) => (e: unknown) =>
  e instanceof AeError && e.code === 'BAD_ARGUMENT' && e.message === message;

describe("the element's training settings", () => {
  test('restate the presets of src/core/models/presets.ts', () => {
    const tables = { ae: AE_PRESETS, vae: VAE_PRESETS } as const;
    assert.deepEqual(Object.keys(PRESET_DEFAULTS).sort(), Object.keys(AE_PRESETS).sort());
    assert.deepEqual(Object.keys(AE_PRESETS).sort(), Object.keys(VAE_PRESETS).sort());
    for (const [name, byKind] of Object.entries(PRESET_DEFAULTS)) {
      for (const kind of ['ae', 'vae'] as const) {
        const table: Record<string, AePreset | VaePreset> = tables[kind];
        const preset = table[name];
        const expected = {
          latent: preset.model.latent ?? 10,
          epochs: preset.training.epochs,
          // "All training images" is all the element ships.
          trainSize: preset.training.trainSize ?? SHIPPED_TRAIN_DIGITS,
        };
        assert.deepEqual(byKind[kind], expected, `${kind} ${name}`);
      }
    }
  });

  test('start from the preset, seed 1', () => {
    assert.deepEqual(defaultSettings('notebook', 'vae'), {
      method: 'vae',
      preset: 'notebook',
      latent: 10,
      epochs: 20,
      trainSize: 12_000,
      seed: 1,
    });
  });

  test('accept whole numbers in range and say what is valid otherwise', () => {
    assert.equal(checkSetting('latent', 32), 32);
    assert.equal(checkSetting('trainSize', ' 500 '), 500);
    assert.equal(checkSetting('seed', 0), 0);
    assert.throws(
      () => checkSetting('latent', 33),
      badArgument('latent="33" must be a whole number from 1 to 32.'),
    );
    assert.throws(
      () => checkSetting('epochs', Number.NaN, 'epochs="ten"'),
      badArgument('epochs="ten" must be a whole number from 1 to 100.'),
    );
    assert.throws(
      () => checkSetting('trainSize', '2.5', 'Training digits'),
      badArgument('Training digits must be a whole number from 1 to 12,000.'),
    );
    assert.throws(() => checkSetting('seed', ''), /seed="" must be a whole number/);
  });

  test('know the methods and presets by name', () => {
    assert.equal(checkMethod(' VAE '), 'vae');
    assert.throws(() => checkMethod('pca'), /method="pca" must be "ae" .* or "vae"/);
    assert.equal(checkPreset('web'), 'web');
    assert.throws(
      () => checkPreset('fast'),
      badArgument('train-preset="fast" must be one of quick, web, notebook.'),
    );
  });
});
