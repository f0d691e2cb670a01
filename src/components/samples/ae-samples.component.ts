import { Task, TaskStatus } from '@lit/task';
import { html, nothing } from 'lit';
import { drawDigits } from '../ae-demo/digits.ts';
import { inSentence, number } from '../ae-demo/words.ts';
import { figureError, storeTask, taskFailure, taskValue } from '../shared/figure-task.ts';
import { partStyles } from '../shared/part.styles.ts';
import type { ActiveModel } from '../store/store.ts';
import { AeView } from '../store/view.ts';
import { samplesStyles } from './ae-samples.styles.ts';

const SAMPLE_COUNT = 16;
const GRID = { count: SAMPLE_COUNT, columns: 8 };

/** Digits drawn from a VAE, and which VAE and seed drew them. */
interface Samples {
  images: Float32Array;
  seed: number;
  model: ActiveModel;
}

/** Each sample's nearest training digit: its pixels, index and distance. */
interface Neighbours {
  of: Samples;
  pixels: Uint8Array;
  indices: Uint32Array;
  rms: Float32Array;
  trainCount: number;
}

/**
 * Sixteen digits the VAE the figures show decodes from random points of
 * its latent space: seed 1 for each VAE newly shown, the next seed for
 * each click on "New samples". "Show the nearest training digits" puts each
 * sample's nearest training digit under it, with the distances, as the
 * Embedding Projector's neighbour search does: a sample is new, not a copy.
 *
 * @csspart figure - The figure.
 */
export class AeSamples extends AeView {
  static override styles = [partStyles, samplesStyles];

  /** The seed asked for, and the VAE it was asked of; a VAE not asked of yet draws seed 1. */
  private asked: { model: ActiveModel; seed: number } | undefined;
  private readonly drawn = new WeakMap<HTMLCanvasElement, Samples>();
  private readonly drawnNeighbours = new WeakMap<HTMLCanvasElement, Neighbours>();

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

  /** The samples whose nearest training digits were asked for (a new draw forgets them). */
  private neighboursOf: Samples | undefined;

  /** Each sample's nearest of the training digits the element ships, found in the worker. */
  private readonly neighbours = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      async ([store, of], signal): Promise<Neighbours> => {
        const train = await store.bridge.loadDataset(signal, store.trainSource());
        const { indices, rms } = await store.bridge.nearest(signal, train.key, of.images);
        const pixels = await store.bridge.images(signal, train.key, indices);
        return { of, pixels, indices, rms, trainCount: train.count };
      },
    ),
    args: () => {
      const s = this.samples.value;
      return [this.store, s && this.neighboursOf === s ? s : undefined] as const;
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
                ${
                  this.neighboursOf === s
                    ? nothing
                    : html`<button type="button" data-action="nearest" @click=${this.onNearest}>
                        Show the nearest training digits
                      </button>`
                }
              </p>
              ${this.renderNeighbours(s)}`
          : html`<p class="summary" data-needs-model=${store.modelMissing('vae') ? '' : nothing}>
              ${store.modelMissing('vae') ?? `Loading ${label}…`}
            </p>`
      }
      ${figureError(taskFailure([this.samples, this.neighbours]))}
    </figure>`;
  }

  /** Under the samples, each one's nearest training digit and how far it is. */
  private renderNeighbours(s: Samples) {
    if (this.neighboursOf !== s) return nothing;
    const n = taskValue(this.neighbours);
    if (!n || n.of !== s) {
      return html`<p class="pending">Searching the training digits…</p>`;
    }
    const rms = Array.from(n.rms);
    const low = Math.min(...rms).toFixed(3);
    const high = Math.max(...rms).toFixed(3);
    const mean = (rms.reduce((a, b) => a + b, 0) / rms.length).toFixed(3);
    return html`<canvas
        data-digits="nearest"
        role="img"
        aria-label="The nearest training digit of each of the ${SAMPLE_COUNT} samples, in the same order"
      ></canvas>
      <p class="summary" data-summary="nearest">
        Above: the samples; below: the nearest of the ${number(n.trainCount)} training digits to
        each, by pixel distance. They are ${low} to ${high} apart (${mean} on average; root mean
        square per pixel, 0 would be a copy): the VAE makes new digits, not copies.
      </p>`;
  }

  private onNearest = () => {
    const s = this.samples.value;
    if (!s) return;
    this.neighboursOf = s;
    this.requestUpdate();
  };

  private onNew = () => {
    const vae = this.store?.models.vae;
    if (!vae || this.samples.status === TaskStatus.PENDING) return;
    this.asked = { model: vae, seed: this.seedOf(vae) + 1 };
    this.neighboursOf = undefined;
    this.requestUpdate();
  };

  /** Paints the digits into the canvas, once per result. */
  protected override updated(): void {
    this.paintNeighbours();
    const s = this.samples.value;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-digits=samples]');
    if (!canvas || !s || this.drawn.get(canvas) === s) return;
    drawDigits(canvas, s.images, { ...GRID, ...this.store!.shape() });
    this.drawn.set(canvas, s);
  }

  /** Paints the neighbours, once per result (after the samples' own paint above). */
  private paintNeighbours(): void {
    const n = taskValue(this.neighbours);
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-digits=nearest]');
    if (!canvas || !n || this.drawnNeighbours.get(canvas) === n) return;
    drawDigits(canvas, n.pixels, { ...GRID, ...this.store!.shape() });
    this.drawnNeighbours.set(canvas, n);
  }
}
