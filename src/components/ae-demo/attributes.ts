import { AeError } from '../../core/errors.ts';
import type { NumericSetting, TrainSettings } from '../../core/settings.ts';
import { parseShape, type ImageShape } from '../../core/data/images.ts';
import { fileNameOf } from '../../core/data/load.ts';
import type { DataSource } from '../../worker/bridge.ts';
import type { AuthorData } from '../store/store.ts';
import { bundledData, type BundledSplit } from './default-data.ts';
import type { AeErrorDetail } from './events.ts';
import { SETTING_ATTRIBUTES, checkMethod, checkPreset, checkSetting } from './train-settings.ts';
import { parseViews, type ViewName } from './views.ts';

/** The author's attributes of `<ae-demo>` as its properties hold them (see AeDemo). */
export interface AeDemoAttributes {
  split: BundledSplit;
  dataSrc: string | undefined;
  labelsSrc: string | undefined;
  testDataSrc: string | undefined;
  testLabelsSrc: string | undefined;
  dataShape: string | undefined;
  dataName: string | undefined;
  trainPreset: string;
  trainEpochs: number | undefined;
  method: string | undefined;
  latent: number | undefined;
  epochs: number | undefined;
  trainSize: number | undefined;
  seed: number | undefined;
  modelSrc: string | undefined;
  modelWeightsSrc: string | undefined;
  views: string | undefined;
  getAttribute(name: string): string | null;
}

/** The valid training settings of the attributes, and the preset they start from. */
export type TrainAttributes = Partial<TrainSettings> & { preset: string };

/** The properties whose change asks the element to read the training attributes again. */
export const TRAIN_PROPERTIES = [
  'trainPreset',
  'trainEpochs',
  'method',
  'latent',
  'epochs',
  'trainSize',
  'seed',
] as const;

/** The properties whose change runs the PCA again. */
export const PCA_PROPERTIES = ['split', 'dataSrc', 'labelsSrc', 'components'] as const;

/**
 * The properties of the author's images: a change makes a new store, since
 * the test set, the models and what fits them all follow the images.
 */
export const DATA_PROPERTIES = [
  'dataSrc',
  'labelsSrc',
  'testDataSrc',
  'testLabelsSrc',
  'dataShape',
] as const;

/**
 * Reads the training attributes and `views`: the valid values become the
 * settings; each invalid one is an error in words naming the valid values
 * (BAD_ARGUMENT), and its setting keeps its default.
 */
export function checkAttributes(el: AeDemoAttributes): {
  train: TrainAttributes;
  errors: AeErrorDetail[];
} {
  const errors: AeErrorDetail[] = [];
  const attempt = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof AeError)) throw error;
      errors.push({ code: error.code, message: error.message });
      return undefined;
    }
  };
  attempt(() => parseViews(el.views));
  const train: TrainAttributes = {
    preset: attempt(() => checkPreset(el.trainPreset || 'quick')) ?? 'quick',
  };
  if (el.method !== undefined && el.method !== null)
    train.method = attempt(() => checkMethod(el.method));
  // `train-epochs` is the old name of `epochs`.
  const epochs = el.epochs ?? el.trainEpochs;
  const numbers: [NumericSetting, unknown][] = [
    ['latent', el.latent],
    ['epochs', epochs],
    ['trainSize', el.trainSize],
    ['seed', el.seed],
  ];
  for (const [name, value] of numbers) {
    if (value === undefined || value === null) continue;
    const attribute =
      name === 'epochs' && el.epochs == null ? 'train-epochs' : SETTING_ATTRIBUTES[name];
    // The attribute as the author wrote it, not as the Number converter read it ("abc" → NaN).
    const raw = el.getAttribute(attribute) ?? String(value);
    train[name] = attempt(() => checkSetting(name, value, `${attribute}="${raw}"`));
  }
  return { train, errors };
}

/** Whether `views` asks for `view` (an unknown name shows every view, and is an error above). */
export function viewShown(views: string | undefined, view: ViewName): boolean {
  try {
    return parseViews(views).has(view);
  } catch {
    return true;
  }
}

/** The digits the PCA analyses: a bundled split, or the author's `data-src` (and `labels-src`). */
export function dataSource(el: AeDemoAttributes): DataSource {
  const author = authorData(el);
  if (author) return author.all;
  if (el.split !== 'test' && el.split !== 'train') {
    throw new AeError('BAD_ARGUMENT', `split="${el.split}" must be "test" or "train".`);
  }
  return bundledData(el.split);
}

/**
 * The author's own images (`data-src`, `labels-src`, `test-data-src`,
 * `test-labels-src`, `data-shape`, `data-name`) as the lesson uses them, or
 * undefined without `data-src`: PCA analyses all of `data-src`; the models
 * train on it and are scored on `test-data-src`, or without one train on
 * its first 80 % and are scored on the last 20 %.
 */
export function authorData(el: AeDemoAttributes): AuthorData | undefined {
  if (!el.dataSrc) return undefined;
  const base = document.baseURI;
  const url = (src: string) => new URL(src, base).href;
  let shape: ImageShape | undefined;
  if (el.dataShape) {
    shape = parseShape(el.dataShape);
    if (!shape) {
      throw new AeError(
        'BAD_ARGUMENT',
        `data-shape="${el.dataShape}" must be ROWSxCOLS, the pixels of each image, e.g. "16x12".`,
      );
    }
  }
  const source = (images: string, labels: string | undefined): DataSource => ({
    images: url(images),
    ...(labels ? { labels: url(labels) } : {}),
    ...(shape ? { shape } : {}),
    author: true,
  });
  const all = source(el.dataSrc, el.labelsSrc);
  const name = el.dataName?.trim() || fileNameOf(all.images);
  if (!el.testDataSrc) {
    if (el.testLabelsSrc) {
      throw new AeError(
        'BAD_ARGUMENT',
        'test-labels-src goes with test-data-src: give the test images too.',
      );
    }
    return {
      name,
      all,
      train: { ...all, heldOut: 'train' },
      test: { ...all, heldOut: 'test' },
      heldOut: true,
    };
  }
  return { name, all, train: all, test: source(el.testDataSrc, el.testLabelsSrc), heldOut: false };
}

/** The author's own model (`model-src`, `model-weights-src`) as absolute URLs, if any. */
export function modelSource(
  el: AeDemoAttributes,
): { url: string; weightsUrl?: string } | undefined {
  if (!el.modelSrc) return undefined;
  const base = document.baseURI;
  return {
    url: new URL(el.modelSrc, base).href,
    ...(el.modelWeightsSrc ? { weightsUrl: new URL(el.modelWeightsSrc, base).href } : {}),
  };
}
