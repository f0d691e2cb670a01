import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkMethod,
  checkPreset,
  checkSetting,
} from '../../src/components/ae-demo/train-settings.ts';
import { AeError } from '../../src/core/errors.ts';
import { defaultSettings } from '../../src/core/settings.ts';

const badArgument = (message: string) => (e: unknown) =>
  e instanceof AeError && e.code === 'BAD_ARGUMENT' && e.message === message;

describe("the element's training settings", () => {
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
