import { html, nothing } from 'lit';
import type { DemoStore } from '../store/store.ts';
import type { ViewName } from './views.ts';

const onOff = (on: boolean) => (on ? 'on' : 'off');

/** The parts of the training panel that an author can style, passed up through `<ae-train>`. */
const TRAIN_PARTS =
  'train, train-status, train-settings, train-error, open-error, figure, progress';

/**
 * The sections of `<ae-demo>` after the PCA figures, each a heading around
 * the parts the `views` attribute asks for: the notebook's model figures,
 * the models (backend, their errors, the VAE's samples, training) and the
 * figures beyond the notebook. The parts are defined by the chunk
 * ./model-parts.ts, which loads after the first PCA results; until then
 * the element renders them once it has arrived, one section per render.
 */
export function renderModelSections(
  store: DemoStore,
  shown: (view: ViewName) => boolean,
  count = MODEL_SECTIONS,
) {
  return html`${notebook(shown)}${count > 1 ? models(store, shown) : nothing}${
    count > 2 ? play(shown) : nothing
  }`;
}

/** How many sections renderModelSections has; `count` shows the first ones. */
export const MODEL_SECTIONS = 3;

function notebook(shown: (view: ViewName) => boolean) {
  const views = (['reconstructions', 'latent', 'compare'] as const).filter(shown);
  if (views.length === 0) return nothing;
  return html`<section class="notebook" data-notebook aria-labelledby="notebook-title">
    <h2 id="notebook-title">PCA, autoencoder and VAE side by side</h2>
    <div class="figures">
      ${
        views.includes('reconstructions')
          ? html`<ae-reconstructions exportparts="figure"></ae-reconstructions>`
          : nothing
      }
      ${views.includes('latent') ? html`<ae-latent exportparts="figure"></ae-latent>` : nothing}
      ${views.includes('compare') ? html`<ae-compare exportparts="figure"></ae-compare>` : nothing}
    </div>
  </section>`;
}

/** The TF.js backend the worker runs, in words (no whitespace around: tests read it whole). */
function backendText(store: DemoStore): string {
  const backend = store.backend;
  if (!backend) return 'TF.js: starting in the worker…';
  return `TF.js ${backend.name}, SIMD ${onOff(backend.simd)}, threads ${onOff(backend.threads)} (in a worker).`;
}

function models(store: DemoStore, shown: (view: ViewName) => boolean) {
  const { started, error, authorError } = store.modelsRun;
  // Errors of the models show even when only other sections' views use them.
  if (!started || !(error || authorError || shown('samples') || shown('train'))) return nothing;
  const backend = store.backend;
  return html`<section class="models" part="models" aria-labelledby="models-title">
    <h2 id="models-title">Autoencoders</h2>
    <p class="backend" data-backend>${backendText(store)}</p>
    ${
      backend?.threadsOff
        ? html`<p class="backend" data-threads-off>Threads off: ${backend.threadsOff}.</p>`
        : nothing
    }
    ${
      error
        ? html`<div part="models-error" class="error" role="alert">
            <strong>Could not show the shipped models.</strong>${error.message}
          </div>`
        : nothing
    }
    ${
      authorError
        ? html`<div part="models-error" class="error" role="alert" data-author-error>
            <strong>Could not load the author's model.</strong>${authorError.message}
          </div>`
        : nothing
    }
    <div class="figures">
      ${shown('samples') ? html`<ae-samples exportparts="figure"></ae-samples>` : nothing}
    </div>
    ${shown('train') ? html`<ae-train exportparts=${TRAIN_PARTS}></ae-train>` : nothing}
  </section>`;
}

function play(shown: (view: ViewName) => boolean) {
  const views = (['walk', 'interpolate', 'draw'] as const).filter(shown);
  if (views.length === 0) return nothing;
  return html`<section class="play" aria-labelledby="play-title">
    <h2 id="play-title">Beyond the notebook</h2>
    <div class="play-figures">
      ${views.includes('walk') ? html`<ae-walk exportparts="figure"></ae-walk>` : nothing}
      ${
        views.includes('interpolate')
          ? html`<ae-interpolate exportparts="figure"></ae-interpolate>`
          : nothing
      }
      ${views.includes('draw') ? html`<ae-draw exportparts="figure"></ae-draw>` : nothing}
    </div>
  </section>`;
}
