import { shortUrl } from '../../core/short-url.ts';
import type { ModelInfo, ModelSource } from '../../worker/bridge.ts';
import { pretrainedModel } from '../ae-demo/pretrained.ts';
import type { TrainMethod } from '../../core/settings.ts';
import { METHOD_WORDS } from '../ae-demo/train-settings.ts';
import { PCA_VIEWS, VIEW_NAMES, type ViewName } from '../ae-demo/views.ts';
import { errorDetail, plural } from '../ae-demo/words.ts';
import type { DemoStore, ModelOrigin } from './store.ts';

/** Views that draw with the models; with none of them shown (and no autostart), TF.js never loads. */
export const MODEL_VIEWS: readonly ViewName[] = VIEW_NAMES.filter(
  (view) => !(PCA_VIEWS as readonly string[]).includes(view),
);

/** Words for a model the figures show: which kind, and where it comes from. */
export function modelLabel(
  kind: TrainMethod,
  source: ModelOrigin,
  from?: string,
  epochs?: number,
): string {
  const name = METHOD_WORDS[kind].short;
  switch (source) {
    case 'trained':
      return `Your ${name} (${plural(epochs ?? 0, 'epoch')}, trained here)`;
    case 'saved':
      return `The ${name} saved in this browser (${from})`;
    case 'file':
    case 'url':
      return `The ${name} from ${from}`;
    default:
      return `The shipped ${name}`;
  }
}

/** A model loaded in the worker for `store`; one that arrives after the store was dropped is freed. */
export async function loadModel(store: DemoStore, source: ModelSource): Promise<ModelInfo> {
  const model = await store.bridge.loadModel(store.signal, source, {
    discard: (late) => store.bridge.disposeModels([late.modelId]),
  });
  store.own(model.modelId);
  return model;
}

/**
 * Loads the shipped models (or the author's `model-src` in place of the one
 * of its kind; none when the author's images are not 28 × 28) in the worker, where TF.js loads on first use, and shows
 * them; a failure of the author's model is shown and fired, and the
 * shipped model stands in. Once per store; with no view that uses the
 * models (and no autostart) it does nothing, and the element calls it
 * again when such a view is shown.
 */
export async function startModels(store: DemoStore): Promise<void> {
  const { host } = store;
  if (store.modelsRun.started || !(host.autostart() || MODEL_VIEWS.some((v) => host.shown(v)))) {
    return;
  }
  store.modelsRun = { started: true };
  store.changed();
  try {
    // TF.js, the test digits and the models' files all load at once (the
    // worker downloads a model's files while TF.js loads); each model shows as it arrives.
    const backend = store.bridge.backend(store.signal).then((info) => {
      store.backend = info;
      store.changed();
    });
    const digits = store.testDigits().then((test) => {
      store.models = { ...store.models, testKey: test.key };
      store.changed();
    });
    const author = await loadAuthorModel(store);
    // Named short: an author's model-src may be a data: URL that a bundler inlined.
    const authorUrl = host.modelSource()?.url;
    const from = authorUrl && shortUrl(authorUrl);
    // The shipped models take 28 × 28 digits: for other images the figures ask for one trained here.
    const fits = store.mnistShaped();
    const shown = (['ae', 'vae'] as const).map(async (kind) => {
      const mine = author?.kind === kind;
      if (!mine && !fits) return;
      const model = mine ? author : await loadModel(store, pretrainedModel(kind));
      const source: ModelOrigin = mine ? 'url' : 'pretrained';
      // The figures draw a model on the test digits: it is shown once they are here.
      await digits;
      // A model trained or opened meanwhile has the stage already.
      if (!store.models[kind])
        store.show({ ...model, label: modelLabel(kind, source, from), source });
      else store.free(model.modelId);
    });
    await Promise.all([backend, digits, ...shown]);
  } catch (error) {
    if (store.signal.aborted) return;
    store.modelsRun = { ...store.modelsRun, error: store.report(error) };
    store.changed();
  }
}

/** The author's `model-src`, or undefined (shown and fired) when it could not be loaded. */
async function loadAuthorModel(store: DemoStore): Promise<ModelInfo | undefined> {
  const source = store.host.modelSource();
  if (!source) return undefined;
  try {
    return await loadModel(store, source);
  } catch (error) {
    if (store.signal.aborted) throw error;
    const { code, message } = errorDetail(error);
    const authorError = {
      code,
      message: `model-src="${shortUrl(source.url)}": ${message} The shipped model is shown instead.`,
    };
    store.modelsRun = { ...store.modelsRun, authorError };
    store.host.emit('ae-error', authorError);
    store.changed();
    return undefined;
  }
}
