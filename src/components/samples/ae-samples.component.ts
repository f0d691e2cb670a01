import { Task, TaskStatus } from '@lit/task';
import { html, nothing } from 'lit';
import { drawDigits } from '../ae-demo/digits.ts';
import { inSentence } from '../ae-demo/words.ts';
import { figureError, storeTask, taskFailure } from '../shared/figure-task.ts';
import { partStyles } from '../shared/part.styles.ts';
import type { ActiveModel } from '../store/store.ts';
import { AeView } from '../store/view.ts';
import { samplesStyles } from './ae-samples.styles.ts';

const SAMPLE_COUNT = 16;
const GRID = { count: SAMPLE_COUNT, rows: 28, cols: 28, columns: 8 };

/** Digits drawn from a VAE, and which VAE and seed drew them. */
interface Samples {
  images: Float32Array;
  seed: number;
  model: ActiveModel;
}

/**
 * Sixteen digits the VAE the figures show decodes from random points of
 * its latent space: seed 1 for each VAE newly shown, the next seed for
 * each click on "New samples".
 *
 * @csspart figure - The figure.
 */
export class AeSamples extends AeView {
  static override styles = [partStyles, samplesStyles];

  /** The seed asked for, and the VAE it was asked of; a VAE not asked of yet draws seed 1. */
  private asked: { model: ActiveModel; seed: number } | undefined;
  private readonly drawn = new WeakMap<HTMLCanvasElement, Samples>();

  private readonly samples = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      async ([store, model, seed], signal): Promise<Samples> => {
        const { images } = await store.bridge.sample(signal, model.modelId, SAMPLE_COUNT, seed);
        return { images, seed, model };
      },
    ),
    args: () => {
      const vae = this.store?.models.vae;
      return [this.store, vae, vae && this.seedOf(vae)] as const;
    },
  });

  private seedOf(model: ActiveModel): number {
    return this.asked?.model === model ? this.asked.seed : 1;
  }

  override render() {
    const store = this.store;
    if (!store) return nothing;
    // The last digits drawn stay until the next ones are here.
    const s = this.samples.value;
    const label = inSentence(s?.model.label ?? store.models.vae?.label ?? 'The shipped VAE');
    const busy = this.samples.status === TaskStatus.PENDING;
    return html`<figure part="figure" data-figure="samples">
      <figcaption>Digits ${label} dreams up</figcaption>
      ${
        s
          ? html`<canvas
                data-digits="samples"
                data-source=${s.model.source}
                role="img"
                aria-label="${SAMPLE_COUNT} digits decoded from random points of the VAE's latent space"
              ></canvas>
              <p class="summary" data-summary="samples">
                Decoded by ${label} from ${SAMPLE_COUNT} random points of its
                ${s.model.latentSize}-dimensional latent space (seed ${s.seed}).
                <button type="button" data-action="samples" ?disabled=${busy} @click=${this.onNew}>
                  New samples
                </button>
              </p>`
          : html`<p class="summary">Loading ${label}…</p>`
      }
      ${figureError(taskFailure([this.samples]))}
    </figure>`;
  }

  private onNew = () => {
    const vae = this.store?.models.vae;
    if (!vae || this.samples.status === TaskStatus.PENDING) return;
    this.asked = { model: vae, seed: this.seedOf(vae) + 1 };
    this.requestUpdate();
  };

  /** Paints the digits into the canvas, once per result. */
  protected override updated(): void {
    const s = this.samples.value;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-digits=samples]');
    if (!canvas || !s || this.drawn.get(canvas) === s) return;
    drawDigits(canvas, s.images, GRID);
    this.drawn.set(canvas, s);
  }
}
