import { html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { DatasetSummary } from '../../worker/bridge.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import type { DemoStore } from '../store/store.ts';
import { AeView } from '../store/view.ts';

/** Side of an MNIST digit, in pixels. */
export const SIDE = 28;

/** Draws one 28 × 28 digit (8-bit pixels, or floats in [0, 1]) on `canvas`. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: Uint8Array | Float32Array): void {
  drawDigits(canvas, pixels, { count: 1, rows: SIDE, cols: SIDE, columns: 1 });
}

/**
 * The base of the parts beyond the notebook (the latent walk, the
 * interpolation, the draw pad). Each starts its work when its figure first
 * scrolls into view, and again whenever the store's models or PCA change
 * after that; it shows one error at a time in its figure, and paints a digit
 * canvas only when what the canvas shows has changed.
 */
export abstract class PlayPart extends AeView {
  /** Whether the figure has been on screen: nothing is computed before. */
  protected seen = false;
  /** Why the figure could not update, shown in it until the next success. */
  protected error: string | undefined;
  /** The test digits (their count and labels), once a task of the part has loaded them. */
  protected test: DatasetSummary | undefined;

  private observer: IntersectionObserver | undefined;
  private watched: Element | undefined;
  private startedWith: { models: unknown; pca: unknown } | undefined;
  private readonly painted = new WeakMap<HTMLCanvasElement, unknown>();

  /** (Re)computes what the figure shows from the store's models and PCA. */
  protected abstract start(store: DemoStore): void;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const store = this.store;
    // A figure made for MNIST's digits computes nothing on images of another shape.
    if (!store || !this.seen || this.shapeBlock(store)) return;
    const { models, pca } = store;
    if (this.startedWith?.models === models && this.startedWith.pca === pca) return;
    this.startedWith = { models, pca };
    this.start(store);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
    this.watched = undefined;
  }

  /** Watches the figure until it first shows; the render after that starts the work. */
  private watch(): void {
    if (this.seen) return;
    const figure = this.renderRoot.querySelector('figure') ?? undefined;
    if (figure === this.watched) return;
    this.observer ??= new IntersectionObserver((entries) => {
      if (this.seen || !entries.some((entry) => entry.isIntersecting)) return;
      this.seen = true;
      this.observer?.disconnect();
      this.requestUpdate();
    });
    if (this.watched) this.observer.unobserve(this.watched);
    this.watched = figure;
    if (figure) this.observer.observe(figure);
  }

  /**
   * Why the figure cannot show the store's images, in words; undefined when
   * it can. By default it is made for MNIST's 28 × 28 digits; a part that
   * works on any shape once a model of it is trained here overrides this.
   */
  protected shapeBlock(store: DemoStore): string | undefined {
    return store.mnistOnly();
  }

  /**
   * Why `model` cannot draw the store's images, in words (a model of another
   * shape, kept after the author's images changed); undefined when it fits.
   */
  protected misfit(
    store: DemoStore,
    model: { inputSize: number; label?: string },
  ): string | undefined {
    const { rows, cols } = store.shape();
    if (model.inputSize === rows * cols) return undefined;
    return (
      `${model.label ?? 'This model'} takes ${model.inputSize} pixels, but these images are ` +
      `${rows} × ${cols} (${rows * cols}): train one of their shape here.`
    );
  }

  /** Shows a failure of the part's work in its figure and fires it; a cancellation is neither. */
  protected failed(error: unknown): void {
    const message = this.fail(error);
    if (message === undefined) return;
    this.error = message;
    this.requestUpdate();
  }

  /** Shows `message` in the figure (a choice the part refuses), or clears it (undefined). */
  protected showError(message: string | undefined): void {
    if (this.error === message) return;
    this.error = message;
    this.requestUpdate();
  }

  /** The store's test digits, kept for the range of the digit inputs. */
  protected async testDigits(store: DemoStore): Promise<DatasetSummary> {
    const test = await store.testDigits();
    if (this.test !== test) {
      this.test = test;
      this.requestUpdate();
    }
    return test;
  }

  /** Paints canvas `data-digits=name` with `draw`, unless it shows `data` already (or there is none). */
  protected paint(name: string, data: unknown, draw: (canvas: HTMLCanvasElement) => void): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`canvas[data-digits=${name}]`);
    if (!canvas || data === undefined || this.painted.get(canvas) === data) return;
    draw(canvas);
    this.painted.set(canvas, data);
  }

  /** A labelled number input for a test digit's index (0 .. the test set's size − 1). */
  protected testDigitInput(
    label: string,
    control: string,
    value: number,
    onChange: (event: Event) => void,
    disabled = false,
  ) {
    return html`<label
      >${label}
      <input
        type="number"
        min="0"
        max=${ifDefined(this.test && this.test.count - 1)}
        step="1"
        data-control=${control}
        .value=${String(value)}
        ?disabled=${disabled}
        @change=${onChange}
    /></label>`;
  }

  /**
   * The figure as words only, when it cannot show the author's images (see
   * shapeBlock): `data-mnist-only` when it is made for 28 × 28 digits,
   * `data-needs-model` when it waits for a model of their shape; undefined otherwise.
   */
  protected renderMnistOnly(name: string, caption: string) {
    const store = this.store;
    const why = store && this.shapeBlock(store);
    if (!why) return undefined;
    const mnistOnly = why === store.mnistOnly();
    return html`<figure part="figure" data-figure=${name}>
      <figcaption>${caption}</figcaption>
      <p
        class="summary"
        data-summary=${name}
        data-mnist-only=${mnistOnly ? '' : nothing}
        data-needs-model=${mnistOnly ? nothing : ''}
      >
        ${why}
      </p>
    </figure>`;
  }

  /** The figure's error box, `data-error=name`, if something went wrong. */
  protected renderError(name: string) {
    return this.error
      ? html`<div class="error" role="alert" data-error=${name}>
          <strong>Could not update this figure.</strong>${this.error}
        </div>`
      : nothing;
  }
}
