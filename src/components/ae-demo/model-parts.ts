/**
 * The parts that draw with the models, in one chunk that `<ae-demo>` loads
 * after the first PCA results (see sections.ts): the notebook's model
 * figures, the VAE's samples, the training panel and the figures beyond the
 * notebook.
 */
import { CSSResult, type LitElement } from 'lit';
import { AeCompare } from '../compare/ae-compare.ts';
import { AeDraw } from '../draw/ae-draw.ts';
import { AeInterpolate } from '../interpolate/ae-interpolate.ts';
import { AeLatent } from '../latent/ae-latent.ts';
import { AeReconstructions } from '../reconstructions/ae-reconstructions.ts';
import { AeSamples } from '../samples/ae-samples.ts';
import { idleTask } from '../shared/render-slice.ts';
import { AeTrain } from '../train/ae-train.ts';
import { AeWalk } from '../walk/ae-walk.ts';

/** The parts this chunk defines (importing them defines them). */
const PARTS: readonly (typeof LitElement)[] = [
  AeReconstructions,
  AeLatent,
  AeCompare,
  AeSamples,
  AeTrain,
  AeWalk,
  AeInterpolate,
  AeDraw,
];

/**
 * Builds each part's constructed style sheets ahead, one part per idle
 * task: Lit makes a part's CSSStyleSheet (parsing its CSS) when the first
 * such part connects, and the model sections connect all of theirs in one
 * render. Stops early when `signal` aborts.
 */
export async function prepareParts(signal?: AbortSignal): Promise<void> {
  for (const part of PARTS) {
    await idleTask();
    if (signal?.aborted) return;
    for (const style of part.elementStyles) {
      if (style instanceof CSSResult) void style.styleSheet;
    }
  }
}
