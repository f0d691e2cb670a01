import { html, type PropertyValues } from 'lit';
import { cssProps } from '../ae-demo/css-props.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import { number } from '../ae-demo/words.ts';
import { Latest, everyFrame } from '../shared/latest.ts';
import { PlayPart } from '../shared/play-part.ts';
import { partStyles } from '../shared/part.styles.ts';
import { type ActiveModel, type DemoStore } from '../store/store.ts';
import { DEFAULT_VIEW, type ViewChoices, type WalkView } from '../store/view-state.ts';
import { walkStyles } from './ae-walk.styles.ts';
import {
  GRID,
  fractionOf,
  gridLayout,
  makeFrame,
  sameChoice,
  valueAt,
  type AnchorDigit,
  type Kind,
  type Range,
  type Shape,
  type WalkChoice,
  type WalkFrame,
} from './walk-plane.ts';
import { noun, pointText, walkSummary } from './walk-words.ts';

/** The digit decoded at the walk's point, and where the point was. */
interface Decoded {
  pixels: Float32Array;
  /** Its shape (its frame's). */
  shape: Shape;
  text: string;
}

function paintPoint(canvas: HTMLCanvasElement, p: Decoded): void {
  const { rows, cols } = p.shape;
  drawDigits(canvas, p.pixels, { count: 1, rows, cols, columns: 1 });
  canvas.dataset.shape = `${rows}x${cols}`;
  canvas.dataset.point = p.text;
}

/**
 * Walk a model's latent space: a 9 × 9 grid of digits decoded from a plane
 * over two of its dimensions, and a point on it (dragged, or moved with the
 * arrow keys) decoded live, at most once per animation frame. The choices
 * and the point are the store's view state (`walk`, `walkPoint`), which a
 * link restores.
 */
export class AeWalk extends PlayPart {
  static override styles = [partStyles, walkStyles];

  private frame: WalkFrame | undefined;
  /** The view state's walk and point this part last acted on. */
  private seenWalk: WalkView | undefined;
  private seenPoint: ViewChoices['walkPoint'];
  /** The key of the frame being made. */
  private making: WalkChoice | undefined;
  private decoded: Decoded | undefined;
  private dragging: number | undefined;
  /** Whether the point last moved by a key press (it then glides there). */
  private byKey = false;
  private readonly decoder = new Latest<void>(
    () => this.decodePoint(),
    everyFrame,
    (error) => this.failed(error),
  );

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.decoder.clear();
  }

  /** The reader's choices (model, dimensions, anchor), from the store's view state. */
  private get walk(): WalkView {
    return (this.store?.view.value ?? DEFAULT_VIEW).walk;
  }

  /**
   * On images of another shape than MNIST's, the walk needs a model of that
   * shape trained here (either kind; see `kind`), and says so until there is one.
   */
  protected override shapeBlock(store: DemoStore): string | undefined {
    return store.modelMissing('either');
  }

  /** The kind of model walked: the chosen one, or the other when only that one exists (one trained here). */
  private get kind(): Kind {
    const { kind } = this.walk;
    const models = this.store?.models;
    const other: Kind = kind === 'ae' ? 'vae' : 'ae';
    return !models?.[kind] && models?.[other] ? other : kind;
  }

  /** The chosen dimensions as a model of `size` latent dimensions can show them (two different ones). */
  private dimsFor(size: number): [number, number] {
    const dimX = Math.min(this.walk.dims[0], size - 1);
    let dimY = Math.min(this.walk.dims[1], size - 1);
    if (dimX === dimY) dimY = (dimX + 1) % size;
    return [dimX, dimY];
  }

  /** The point: the view state's (inside the frame's plane), or where the other dimensions are held. */
  private get point(): { x: number; y: number } {
    const f = this.frame;
    if (!f) return { x: 0, y: 0 };
    const p = this.store?.view.value.walkPoint;
    if (!p) return { x: f.base[f.dimX], y: f.base[f.dimY] };
    const clamp = (v: number, [lo, hi]: Range) => Math.min(hi, Math.max(lo, v));
    return { x: clamp(p[0], f.x), y: clamp(p[1], f.y) };
  }

  /** A choice or the point changed in the view state (the reader's, or a link's): walk there. */
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const store = this.store;
    if (!store || !this.seen) return;
    const { walk, walkPoint } = store.view.value;
    if (walk !== this.seenWalk) {
      this.seenWalk = walk;
      void this.refresh(store);
    }
    if (walkPoint !== this.seenPoint) {
      this.seenPoint = walkPoint;
      this.decoder.push();
    }
  }

  /** Changes the walk's choices; the point goes back to where the other dimensions are held. */
  private choose(patch: Partial<WalkView>): void {
    this.store?.view.update({ walk: { ...this.walk, ...patch }, walkPoint: undefined });
  }

  protected start(store: DemoStore): void {
    void this.refresh(store);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const f = this.frame;
    if (f) {
      this.paint('walk-grid', f.grid, (c) => {
        drawDigits(c, f.grid, gridLayout(f.shape));
        c.dataset.shape = `${f.shape.rows}x${f.shape.cols}`;
      });
    }
    const p = this.decoded;
    if (p) this.paint('walk-point', p, (c) => paintPoint(c, p));
  }

  private model(): ActiveModel | undefined {
    return this.store?.models[this.kind];
  }

  /** Makes the walk's plane for the chosen model, dimensions and anchor, unless it shows it already. */
  private async refresh(store: DemoStore): Promise<void> {
    const model = store.models[this.kind];
    if (!model) return;
    const misfit = this.misfit(store, model);
    if (misfit) {
      this.showError(misfit);
      return;
    }
    const size = model.latentSize;
    if (size < 2) {
      this.showError('This model has a single latent dimension: there is no plane to walk.');
      return;
    }
    const [dimX, dimY] = this.dimsFor(size);
    const index = this.walk.anchor === 'digit' ? this.walk.index : undefined;
    const choice: WalkChoice = { model, dimX, dimY, index };
    if (sameChoice(this.frame?.choice, choice)) {
      // Back to the walk shown (after a wrong number, say).
      this.showError(undefined);
      return;
    }
    if (sameChoice(this.making, choice)) return;
    this.making = choice;
    this.requestUpdate();
    try {
      let anchor: AnchorDigit | undefined;
      if (index !== undefined) {
        const test = await this.testDigits(store);
        if (!Number.isInteger(index) || index < 0 || index >= test.count) {
          this.showError(`Choose a test digit from 0 to ${number(test.count - 1)}.`);
          return;
        }
        // Without labels (the author's images may have none) the digit is named by its index only.
        anchor = { index, label: test.labels?.[index], testKey: test.key };
      }
      const frame = await makeFrame(store, choice, anchor);
      if (this.making !== choice) return;
      this.frame = frame;
      this.error = undefined;
      // The point (see `point`) starts where the other dimensions are held: the prior's mean,
      // the mean code or the digit's code, unless the view state (a link) has one.
      this.decoder.push();
      this.requestUpdate();
    } catch (error) {
      this.failed(error);
    } finally {
      if (this.making === choice) this.making = undefined;
    }
  }

  /** Decodes the point (the decoder keeps it to one request at a time, at most one a frame). */
  private async decodePoint(): Promise<void> {
    const { frame: f, store } = this;
    if (!f || !store) return;
    const latent = Float32Array.from(f.base);
    latent[f.dimX] = this.point.x;
    latent[f.dimY] = this.point.y;
    const text = pointText(f, this.point);
    const pixels = await store.bridge.decode(store.signalFor(f), f.modelId, latent);
    if (this.frame !== f) return;
    const decoded = { pixels, shape: f.shape, text };
    this.decoded = decoded;
    // Painted now rather than on the next render: it follows the pointer.
    this.paint('walk-point', decoded, (c) => paintPoint(c, decoded));
  }

  private moveTo(x: number, y: number, byKey: boolean): void {
    const f = this.frame;
    if (!f) return;
    const clamp = (v: number, [lo, hi]: Range) => Math.min(hi, Math.max(lo, v));
    const point = [clamp(x, f.x), clamp(y, f.y)] as const;
    this.byKey = byKey;
    // Decoded now, not on the next render: it follows the pointer.
    this.seenPoint = point;
    this.store?.view.update({ walkPoint: point });
    this.decoder.push();
    this.requestUpdate();
  }

  private pointerTo(event: PointerEvent): void {
    const f = this.frame;
    if (!f) return;
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    const { rows, cols } = f.shape;
    this.moveTo(valueAt(fx, f.x, cols), valueAt(1 - fy, f.y, rows), false);
  }

  private onPlaneDown = (event: PointerEvent) => {
    if (!this.frame || this.dragging !== undefined) return;
    event.preventDefault();
    const plane = event.currentTarget as HTMLElement;
    plane.setPointerCapture(event.pointerId);
    this.dragging = event.pointerId;
    plane.querySelector<HTMLElement>('[role=slider]')?.focus({ preventScroll: true });
    this.pointerTo(event);
  };

  private onPlaneMove = (event: PointerEvent) => {
    if (event.pointerId === this.dragging) this.pointerTo(event);
  };

  private onPlaneUp = (event: PointerEvent) => {
    if (event.pointerId === this.dragging) this.dragging = undefined;
  };

  /** Arrow keys move the point a twentieth of the range (Shift or Page keys: four times that); Home centres it. */
  private onThumbKey = (event: KeyboardEvent) => {
    const f = this.frame;
    if (!f) return;
    const big = event.shiftKey || event.key.startsWith('Page') ? 4 : 1;
    const sx = ((f.x[1] - f.x[0]) / 20) * big;
    const sy = ((f.y[1] - f.y[0]) / 20) * big;
    const { x, y } = this.point;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [x - sx, y],
      ArrowRight: [x + sx, y],
      ArrowUp: [x, y + sy],
      ArrowDown: [x, y - sy],
      PageUp: [x, y + sy],
      PageDown: [x, y - sy],
      Home: [f.base[f.dimX], f.base[f.dimY]],
    };
    const to = moves[event.key];
    if (!to) return;
    event.preventDefault();
    this.moveTo(to[0], to[1], true);
  };

  private onModel = (event: Event) => {
    this.choose({ kind: (event.target as HTMLSelectElement).value as Kind });
  };

  private onAnchor = (event: Event) => {
    this.choose({ anchor: (event.target as HTMLSelectElement).value as WalkView['anchor'] });
  };

  private onDigit = (event: Event) => {
    this.choose({ index: (event.target as HTMLInputElement).valueAsNumber });
  };

  private onDim = (axis: 'x' | 'y') => (event: Event) => {
    const dim = Number((event.target as HTMLSelectElement).value);
    let [dimX, dimY] = this.dimsFor(this.model()?.latentSize ?? 2);
    // Choosing the other axis's dimension swaps the two.
    if (axis === 'x') {
      if (dim === dimY) dimY = dimX;
      dimX = dim;
    } else {
      if (dim === dimX) dimX = dimY;
      dimY = dim;
    }
    this.choose({ dims: [dimX, dimY] });
  };

  override render() {
    const only = this.renderMnistOnly('walk', 'Walk the latent space');
    if (only) return only;
    const store = this.store;
    const model = this.model();
    const { ae, vae } = store?.models ?? {};
    const f = this.frame?.modelId === model?.modelId ? this.frame : undefined;
    const dims = Array.from({ length: model?.latentSize ?? 0 }, (_, i) => i);
    const [dimX, dimY] = this.dimsFor(Math.max(2, model?.latentSize ?? 2));
    const { anchor, index } = this.walk;
    const kind = this.kind;
    const option = (d: number, chosen: number) =>
      html`<option value=${d} ?selected=${d === chosen}>z${d + 1}</option>`;
    const title = model?.kind === 'ae' ? 'autoencoder' : 'VAE';
    return html`<figure part="figure" data-figure="walk">
      <figcaption>Walk the ${title}'s latent space</figcaption>
      <div class="controls">
        <label
          >Model
          <select data-control="walk-model" @change=${this.onModel}>
            <option value="vae" ?selected=${kind === 'vae'} ?disabled=${!vae}>
              ${vae?.label ?? 'VAE'}
            </option>
            <option value="ae" ?selected=${kind === 'ae'} ?disabled=${!ae}>
              ${ae?.label ?? 'Autoencoder'}
            </option>
          </select></label
        >
        <label
          >Across
          <select data-control="walk-x" ?disabled=${!dims.length} @change=${this.onDim('x')}>
            ${dims.map((d) => option(d, dimX))}
          </select></label
        >
        <label
          >Up
          <select data-control="walk-y" ?disabled=${!dims.length} @change=${this.onDim('y')}>
            ${dims.map((d) => option(d, dimY))}
          </select></label
        >
        <label
          >Hold the other dimensions at
          <select data-control="walk-anchor" @change=${this.onAnchor}>
            <option value="mean" ?selected=${anchor === 'mean'}>
              ${model?.kind === 'ae' ? 'the mean code' : 'the prior mean (0)'}
            </option>
            <option value="digit" ?selected=${anchor === 'digit'}>a test digit's code</option>
          </select></label
        >
        ${this.testDigitInput('Test digit #', 'walk-digit', index, this.onDigit, anchor !== 'digit')}
      </div>
      ${this.renderError('walk')}
      ${f ? this.renderPlane(f) : html`<p class="summary" data-summary="walk">${this.waitText(model)}</p>`}
    </figure>`;
  }

  private waitText(model: ActiveModel | undefined): string {
    if (!model) return 'Waiting for the shipped models to load…';
    if (!this.seen) return 'Starts when it scrolls into view.';
    return model.kind === 'ae'
      ? 'Encoding the test digits to find where the autoencoder puts them…'
      : 'Decoding the grid…';
  }

  private renderPlane(f: WalkFrame) {
    const { rows, cols } = f.shape;
    const fx = fractionOf(this.point.x, f.x, cols);
    const fy = 1 - fractionOf(this.point.y, f.y, rows);
    const glide = this.byKey && !this.store?.host.reducedMotion();
    const text = pointText(f, this.point);
    return html`<div class="walk">
        <div
          class="plane"
          @pointerdown=${this.onPlaneDown}
          @pointermove=${this.onPlaneMove}
          @pointerup=${this.onPlaneUp}
          @pointercancel=${this.onPlaneUp}
        >
          <canvas
            data-digits="walk-grid"
            role="img"
            aria-label="${GRID} by ${GRID} ${noun(f)}s decoded from a grid over z${f.dimX + 1} and z${f.dimY + 1}"
          ></canvas>
          <div
            class="thumb ${glide ? 'animate' : ''}"
            tabindex="0"
            role="slider"
            aria-roledescription="2-D slider"
            aria-label="Point in the latent plane (arrow keys move it, Shift for bigger steps, Home to centre)"
            aria-valuemin=${f.x[0]}
            aria-valuemax=${f.x[1]}
            aria-valuenow=${this.point.x}
            aria-valuetext=${text}
            @keydown=${this.onThumbKey}
            ${cssProps({ left: `${(100 * fx).toFixed(3)}%`, top: `${(100 * fy).toFixed(3)}%` })}
          ></div>
        </div>
        <div class="point">
          <canvas
            data-digits="walk-point"
            width=${cols}
            height=${rows}
            role="img"
            aria-label="The ${noun(f)} decoded at the point"
          ></canvas>
          <p class="summary">${text}</p>
        </div>
      </div>
      <p class="summary" data-summary="walk">${walkSummary(f)}</p>`;
  }
}
