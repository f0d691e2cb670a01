import { html, type PropertyValues } from 'lit';
import { cssProps } from '../ae-demo/css-props.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import { number } from '../ae-demo/words.ts';
import { Latest, everyFrame } from '../shared/latest.ts';
import { PlayPart, SIDE, drawDigit } from '../shared/play-part.ts';
import { partStyles } from '../shared/part.styles.ts';
import { labelsOf, type ActiveModel, type DemoStore } from '../store/store.ts';
import { walkStyles } from './ae-walk.styles.ts';
import {
  GRID,
  GRID_LAYOUT,
  fractionOf,
  makeFrame,
  sameChoice,
  valueAt,
  type Anchor,
  type AnchorDigit,
  type Kind,
  type Range,
  type WalkChoice,
  type WalkFrame,
} from './walk-plane.ts';
import { pointText, walkSummary } from './walk-words.ts';

/** The digit decoded at the walk's point, and where the point was. */
interface Decoded {
  pixels: Float32Array;
  text: string;
}

function paintPoint(canvas: HTMLCanvasElement, p: Decoded): void {
  drawDigit(canvas, p.pixels);
  canvas.dataset.point = p.text;
}

/**
 * Walk a model's latent space: a 9 × 9 grid of digits decoded from a plane
 * over two of its dimensions, and a point on it (dragged, or moved with the
 * arrow keys) decoded live, at most once per animation frame.
 */
export class AeWalk extends PlayPart {
  static override styles = [partStyles, walkStyles];

  private kind: Kind = 'vae';
  private dimX = 0;
  private dimY = 1;
  private anchor: Anchor = 'mean';
  private anchorIndex = 0;
  private point = { x: 0, y: 0 };
  private frame: WalkFrame | undefined;
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

  protected start(store: DemoStore): void {
    void this.refresh(store);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const f = this.frame;
    if (f) this.paint('walk-grid', f.grid, (c) => drawDigits(c, f.grid, GRID_LAYOUT));
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
    const size = model.latentSize;
    if (size < 2) {
      this.showError('This model has a single latent dimension: there is no plane to walk.');
      return;
    }
    this.dimX = Math.min(this.dimX, size - 1);
    this.dimY = Math.min(this.dimY, size - 1);
    if (this.dimX === this.dimY) this.dimY = (this.dimX + 1) % size;
    const { dimX, dimY } = this;
    const index = this.anchor === 'digit' ? this.anchorIndex : undefined;
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
        anchor = { index, label: labelsOf(test)[index], testKey: test.key };
      }
      const frame = await makeFrame(store, choice, anchor);
      if (this.making !== choice) return;
      this.frame = frame;
      this.error = undefined;
      // Start where the other dimensions are held: the prior's mean, the mean code or the digit's code.
      this.point = { x: frame.base[dimX], y: frame.base[dimY] };
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
    const decoded = { pixels, text };
    this.decoded = decoded;
    // Painted now rather than on the next render: it follows the pointer.
    this.paint('walk-point', decoded, (c) => paintPoint(c, decoded));
  }

  private moveTo(x: number, y: number, byKey: boolean): void {
    const f = this.frame;
    if (!f) return;
    const clamp = (v: number, [lo, hi]: Range) => Math.min(hi, Math.max(lo, v));
    this.point = { x: clamp(x, f.x), y: clamp(y, f.y) };
    this.byKey = byKey;
    this.decoder.push();
    this.requestUpdate();
  }

  private pointerTo(event: PointerEvent): void {
    const f = this.frame;
    if (!f) return;
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    this.moveTo(valueAt(fx, f.x), valueAt(1 - fy, f.y), false);
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

  private refreshNow(): void {
    if (this.store) void this.refresh(this.store);
  }

  private onModel = (event: Event) => {
    this.kind = (event.target as HTMLSelectElement).value as Kind;
    this.refreshNow();
  };

  private onAnchor = (event: Event) => {
    this.anchor = (event.target as HTMLSelectElement).value as Anchor;
    this.refreshNow();
  };

  private onDigit = (event: Event) => {
    this.anchorIndex = (event.target as HTMLInputElement).valueAsNumber;
    this.refreshNow();
  };

  private onDim = (axis: 'x' | 'y') => (event: Event) => {
    const dim = Number((event.target as HTMLSelectElement).value);
    // Choosing the other axis's dimension swaps the two.
    if (axis === 'x') {
      if (dim === this.dimY) this.dimY = this.dimX;
      this.dimX = dim;
    } else {
      if (dim === this.dimX) this.dimX = this.dimY;
      this.dimY = dim;
    }
    this.refreshNow();
  };

  override render() {
    const only = this.renderMnistOnly('walk', 'Walk the latent space');
    if (only) return only;
    const store = this.store;
    const model = this.model();
    const { ae, vae } = store?.models ?? {};
    const f = this.frame?.modelId === model?.modelId ? this.frame : undefined;
    const dims = Array.from({ length: model?.latentSize ?? 0 }, (_, i) => i);
    const option = (d: number, chosen: number) =>
      html`<option value=${d} ?selected=${d === chosen}>z${d + 1}</option>`;
    const title = model?.kind === 'ae' ? 'autoencoder' : 'VAE';
    return html`<figure part="figure" data-figure="walk">
      <figcaption>Walk the ${title}'s latent space</figcaption>
      <div class="controls">
        <label
          >Model
          <select data-control="walk-model" @change=${this.onModel}>
            <option value="vae" ?selected=${this.kind === 'vae'} ?disabled=${!vae}>
              ${vae?.label ?? 'VAE'}
            </option>
            <option value="ae" ?selected=${this.kind === 'ae'} ?disabled=${!ae}>
              ${ae?.label ?? 'Autoencoder'}
            </option>
          </select></label
        >
        <label
          >Across
          <select data-control="walk-x" ?disabled=${!dims.length} @change=${this.onDim('x')}>
            ${dims.map((d) => option(d, this.dimX))}
          </select></label
        >
        <label
          >Up
          <select data-control="walk-y" ?disabled=${!dims.length} @change=${this.onDim('y')}>
            ${dims.map((d) => option(d, this.dimY))}
          </select></label
        >
        <label
          >Hold the other dimensions at
          <select data-control="walk-anchor" @change=${this.onAnchor}>
            <option value="mean" ?selected=${this.anchor === 'mean'}>
              ${model?.kind === 'ae' ? 'the mean code' : 'the prior mean (0)'}
            </option>
            <option value="digit" ?selected=${this.anchor === 'digit'}>a test digit's code</option>
          </select></label
        >
        ${this.testDigitInput('Test digit #', 'walk-digit', this.anchorIndex, this.onDigit, this.anchor !== 'digit')}
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
    const fx = fractionOf(this.point.x, f.x);
    const fy = 1 - fractionOf(this.point.y, f.y);
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
            aria-label="${GRID} by ${GRID} digits decoded from a grid over z${f.dimX + 1} and z${f.dimY + 1}"
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
            width=${SIDE}
            height=${SIDE}
            role="img"
            aria-label="The digit decoded at the point"
          ></canvas>
          <p class="summary">${text}</p>
        </div>
      </div>
      <p class="summary" data-summary="walk">${walkSummary(f)}</p>`;
  }
}
