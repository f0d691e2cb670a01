import type { ActiveModel, DemoStore } from '../store/store.ts';

const scores = new WeakMap<ActiveModel, Promise<number>>();

/**
 * The test MSE per pixel of `model` (a VAE's from μ, on PCA's scale) over
 * the store's test digits, computed once per model object in the worker and
 * shared by the figures that show it (the reconstructions, AE vs PCA). It
 * runs for as long as the model does (store.signalFor), so one figure
 * letting go does not cancel it for another; a failure is not kept.
 */
export function testMse(store: DemoStore, model: ActiveModel, testKey: string): Promise<number> {
  const known = scores.get(model);
  if (known) return known;
  const made: Promise<number> = store.bridge.mse(store.signalFor(model), model.modelId, testKey);
  scores.set(model, made);
  made.catch(() => {
    if (scores.get(model) === made) scores.delete(model);
  });
  return made;
}
