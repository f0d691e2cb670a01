import { html, type PropertyValues } from 'lit';
import type { ModelInfo } from '../../worker/bridge.ts';
import type { ActiveModels, DemoStore } from '../store/store.ts';
import { DEFAULT_VIEW, type ViewChoices } from '../store/view-state.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import { inSentence, number } from '../ae-demo/words.ts';
import { Latest, everyFrame } from '../shared/latest.ts';
import { interpolate } from '../shared/play-math.ts';
import { PlayPart, SIDE } from '../shared/play-part.ts';
import { partStyles } from '../shared/part.styles.ts';
import { interpolateStyles } from './ae-interpolate.styles.ts';

/** Steps of an interpolation, both ends included. */
const STEPS = 10;

/** The images' shape, rows × cols pixels. */
interface Shape {
  rows: number;
  cols: number;
}

/** `count` images of `shape` in one line. */
const line = ({ rows, cols }: Shape, count: number) => ({ count, rows, cols, columns: count });

/** Whether images of `shape` are MNIST's digits (or an author's images of another shape). */
const digits = ({ rows, cols }: Shape) => rows === SIDE && cols === SIDE;

interface Interpolation {
  /** The store's models it was made with (a new object whenever one of them changes). */
  models: ActiveModels;
  a: number;
  b: number;
  /** Their labels; undefined when the images have none. */
  labelA: number | undefined;
  labelB: number | undefined;
  /** The images' shape (the models' inputSize is rows × cols). */
  shape: Shape;
  /** The two test digits, 8-bit. */
  originals: Uint8Array;
  pixels: Float32Array;
  ae: Float32Array | undefined;
  vae: Float32Array | undefined;
  aeLabel: string;
  vaeLabel: string;
}

/** `steps` images from 8-bit image `a` to `b` (one after the other in `pair`), their pixels crossfaded. */
function crossfade(pair: Uint8Array, steps: number): Float32Array {
  const size = pair.length / 2;
  const out = new Float32Array(steps * size);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    for (let p = 0; p < size; p++)
      out[s * size + p] = ((1 - t) * pair[p] + t * pair[size + p]) / 255;
  }
  return out;
}

/**
 * From one test digit to another in ten steps: the plain crossfade of their
 * pixels, and each model's decodings of points on the straight line between
 * their codes. The two digits are the store's view state (`interpolate`),
 * which a link restores. On an author's images of another shape it
 * interpolates between two of their test images (chosen by index) once a
 * model of that shape is trained here, and says so until then.
 */
export class AeInterpolate extends PlayPart {
  static override styles = [partStyles, interpolateStyles];

  /** The view state's pair this part last acted on. */
  private seenPair: ViewChoices['interpolate'] | undefined;
  private shows: Interpolation | undefined;
  private readonly runner = new Latest<void>(
    () => this.interpolate(),
    everyFrame,
    (error) => this.failed(error),
  );

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runner.clear();
  }

  protected start(): void {
    this.runner.push();
  }

  private get a(): number {
    return (this.store?.view.value ?? DEFAULT_VIEW).interpolate[0];
  }

  private get b(): number {
    return (this.store?.view.value ?? DEFAULT_VIEW).interpolate[1];
  }

  /** Needs a model of the images' shape: on another shape than MNIST's, one trained here (either kind). */
  protected override shapeBlock(store: DemoStore): string | undefined {
    return store.modelMissing('either');
  }

  /** The pair changed in the view state (the reader's, or a link's): interpolate again. */
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const store = this.store;
    const pair = store?.view.value.interpolate;
    // Until a model fits the images, nothing to interpolate with (start() runs when one comes).
    if (!store || !this.seen || this.shapeBlock(store) || pair === this.seenPair) return;
    this.seenPair = pair;
    this.runner.push();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const i = this.shows;
    if (!i) return;
    const size = i.shape.rows * i.shape.cols;
    const draw = (pixels: Uint8Array | Float32Array, count: number) => (c: HTMLCanvasElement) => {
      drawDigits(c, pixels, line(i.shape, count));
      c.dataset.shape = `${i.shape.rows}x${i.shape.cols}`;
    };
    this.paint('interp-a', i, draw(i.originals.subarray(0, size), 1));
    this.paint('interp-b', i, draw(i.originals.subarray(size), 1));
    this.paint('interp-pixels', i.pixels, draw(i.pixels, STEPS));
    if (i.ae) this.paint('interp-ae', i.ae, draw(i.ae, STEPS));
    if (i.vae) this.paint('interp-vae', i.vae, draw(i.vae, STEPS));
  }

  private async interpolate(): Promise<void> {
    const store = this.store;
    if (!store) return;
    const { models } = store;
    const { ae, vae } = models;
    const { a, b } = this;
    const shown = this.shows;
    if (shown && shown.models === models && shown.a === a && shown.b === b) {
      // Back to the digits already shown (after a wrong number, say).
      this.showError(undefined);
      return;
    }
    const shape = store.shape();
    const misfit = [ae, vae].map((m) => m && this.misfit(store, m)).find(Boolean);
    if (misfit) {
      this.showError(misfit);
      return;
    }
    const test = await this.testDigits(store);
    if (![a, b].every((i) => Number.isInteger(i) && i >= 0 && i < test.count)) {
      const what = digits(shape) ? 'digits' : 'images';
      this.showError(`Choose two test ${what} from 0 to ${number(test.count - 1)}.`);
      return;
    }
    const originals = await store.bridge.images(store.signal, test.key, [a, b]);
    const along = async (model: ModelInfo | undefined) => {
      if (!model) return undefined;
      const codes = await store.bridge.encodePixels(
        store.signalFor(model),
        model.modelId,
        originals,
      );
      const n = model.latentSize;
      const line = interpolate(codes.subarray(0, n), codes.subarray(n), STEPS);
      return store.bridge.decode(store.signalFor(model), model.modelId, line);
    };
    const [aeRow, vaeRow] = await Promise.all([along(ae), along(vae)]);
    if (a !== this.a || b !== this.b) return;
    this.shows = {
      models,
      a,
      b,
      // The author's images may have no labels: then they are named by index only.
      labelA: test.labels?.[a],
      labelB: test.labels?.[b],
      shape,
      originals,
      pixels: crossfade(originals, STEPS),
      ae: aeRow,
      vae: vaeRow,
      aeLabel: ae?.label ?? '',
      vaeLabel: vae?.label ?? '',
    };
    this.error = undefined;
    this.requestUpdate();
  }

  private onIndex = (which: 'a' | 'b') => (event: Event) => {
    const value = (event.target as HTMLInputElement).valueAsNumber;
    this.store?.view.update({ interpolate: which === 'a' ? [value, this.b] : [this.a, value] });
  };

  private onRandom = async () => {
    const store = this.store;
    if (!store) return;
    try {
      const { count, labels } = await this.testDigits(store);
      const a = Math.floor(Math.random() * count);
      let b = a;
      // Two different digits make a more telling path than two of a kind (without labels:
      // two different images; a set of one image has only itself).
      const same = (i: number) => i === a || (labels !== undefined && labels[i] === labels[a]);
      const kinds = labels ? new Set(labels).size : count;
      while (kinds > 1 && same(b)) b = Math.floor(Math.random() * count);
      store.view.update({ interpolate: [a, b] });
    } catch (error) {
      this.failed(error);
    }
  };

  override render() {
    const only = this.renderMnistOnly('interpolate', 'From one test digit to another');
    if (only) return only;
    const i = this.shows;
    return html`<figure part="figure" data-figure="interpolate">
      <figcaption>From one test digit to another</figcaption>
      <div class="controls interp-controls">
        ${this.testDigitInput('From test digit #', 'interp-a', this.a, this.onIndex('a'))}
        <canvas data-digits="interp-a" role="img" aria-label="The first digit"></canvas>
        ${this.testDigitInput('to #', 'interp-b', this.b, this.onIndex('b'))}
        <canvas data-digits="interp-b" role="img" aria-label="The second digit"></canvas>
        <button type="button" data-action="interp-random" @click=${this.onRandom}>
          Pick two at random
        </button>
      </div>
      ${this.renderError('interpolate')}
      ${
        i
          ? this.renderRows(i)
          : html`<p class="summary" data-summary="interpolate">
              ${this.seen ? 'Waiting for the test digits…' : 'Starts when it scrolls into view.'}
            </p>`
      }
    </figure>`;
  }

  private renderRows(i: Interpolation) {
    const mnist = digits(i.shape);
    const name = (label: number | undefined, index: number) =>
      label === undefined
        ? `test ${mnist ? 'digit' : 'image'} #${index}`
        : `a ${label} (test ${mnist ? 'digit' : 'image'} #${index})`;
    // On another shape a missing model is one not trained here yet; on MNIST's, one still loading.
    const missing = (whose: string) =>
      mnist
        ? `Waiting for ${inSentence(whose)}…`
        : `None of ${i.shape.rows} × ${i.shape.cols} yet: train one here.`;
    const row = (which: 'ae' | 'vae', whose: string) =>
      i[which]
        ? html`<canvas
            data-digits="interp-${which}"
            role="img"
            aria-label="${whose}'s decodings of ${STEPS} points from one code to the other"
          ></canvas>`
        : html`<span data-missing=${which}>${missing(whose)}</span>`;
    return html`<div class="digits interp-rows">
        <span>Pixels (crossfade)</span>
        <canvas
          data-digits="interp-pixels"
          role="img"
          aria-label="The pixels of the two digits crossfaded in ${STEPS} steps"
        ></canvas>
        <span>Autoencoder</span>
        ${row('ae', 'The autoencoder')}
        <span>VAE</span>
        ${row('vae', 'The VAE')}
      </div>
      <p class="summary" data-summary="interpolate">
        From ${name(i.labelA, i.a)} to ${name(i.labelB, i.b)} in ${STEPS} even
        steps${mnist ? '' : ` (images of ${i.shape.rows} × ${i.shape.cols} pixels)`}: the plain
        crossfade of their pixels, then the decodings of points on the straight line between their
        codes${this.inModels(i)}. The crossfade shows both ${mnist ? 'digits' : 'images'} at once
        half-way; a decoder draws one shape.
      </p>`;
  }

  /** Which models decoded the rows, in words: " in the shipped autoencoder and the shipped VAE (its means μ)". */
  private inModels(i: Interpolation): string {
    const names = [
      i.ae && inSentence(i.aeLabel),
      i.vae && `${inSentence(i.vaeLabel)} (its means μ)`,
    ].filter(Boolean);
    return names.length ? ` in ${names.join(' and ')}` : '';
  }
}
