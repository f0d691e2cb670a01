import { html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DIGIT_COLORS, SHAPE_LATENT, SHAPE_LATENTS, SHAPE_NAMES } from '../../core/settings.ts';
import type { ShapeComparison, ShapeName } from '../../worker/bridge.ts';
import { cssProps } from '../ae-demo/css-props.ts';
import { PlayPart } from '../shared/play-part.ts';
import { partStyles } from '../shared/part.styles.ts';
import { anySignal, type DemoStore } from '../store/store.ts';
import { planeCurveStyles } from './ae-plane-curve.styles.ts';
import { SHAPE_TITLES, shapeSentence } from './plane-curve-words.ts';
import {
  DRAG_STEP,
  type Layer,
  type Rotation,
  START_ROTATION,
  drawScatter3d,
  keyRotation,
  rotationWords,
  turned,
} from './scatter-3d.ts';

/** Which point sets the figure shows. */
export type ShapeChoice = ShapeName | 'both';

/** The layers of a scatter, which the reader can hide. */
type LayerName = 'points' | 'pca' | 'ae';
const LAYERS: readonly LayerName[] = ['points', 'pca', 'ae'];
const LAYER_WORDS: Record<LayerName, string> = {
  points: 'the points',
  pca: "PCA's reconstruction",
  ae: "the autoencoder's reconstruction",
};
/** PCA's colour is the one the MSE-against-latent-size chart gives it; the autoencoder's is the accent. */
const PCA_COLOR = DIGIT_COLORS[1];

/** One comparison wanted: a set, a latent size and the seed of its points. */
interface Want {
  shape: ShapeName;
  latent: number;
  seed: number;
  key: string;
}

/** A comparison that came back, or why it could not. */
type Outcome = ShapeComparison | { error: string };

/** What a canvas was last drawn with: the same again draws nothing. */
interface Drawn {
  result: ShapeComparison;
  rotation: Rotation;
  hidden: string;
  theme: string;
}

/**
 * The reference text's central argument, live: 2,000 points near a tilted
 * plane and 2,000 near a curve, each reduced to the same latent size by PCA
 * and by a small autoencoder trained in the worker when the figure first
 * shows. A 3-D scatter per set overlays the points and both reconstructions;
 * the reader turns it by dragging, or with the arrow keys once it has focus
 * (Shift: three times as far; Home: back to the start). A sentence per set
 * gives both errors and times, and the figure carries them as data-*
 * attributes (`data-curve-ae-mse`, `data-plane-pca-ms`…).
 *
 * @fires ae-error - The comparison failed in the worker.
 * @csspart figure - The figure.
 */
export class AePlaneCurve extends PlayPart {
  static override styles = [partStyles, planeCurveStyles];

  private choice: ShapeChoice = 'both';
  private readonly latent: Record<ShapeName, number> = { ...SHAPE_LATENT };
  private seed = 1;
  private readonly hiddenLayers = new Set<LayerName>();
  private readonly rotation: Record<ShapeName, Rotation> = {
    plane: { ...START_ROTATION },
    curve: { ...START_ROTATION },
  };
  /** Each store's comparisons by want key (a new store computes afresh). */
  private readonly outcomes = new WeakMap<DemoStore, Map<string, Outcome>>();
  private job: { store: DemoStore; want: Want; controller: AbortController } | undefined;
  private progress: { shape: ShapeName; epoch: number; epochs: number } | undefined;
  private readonly drawn = new WeakMap<HTMLCanvasElement, Drawn>();
  private readonly frames = new Map<ShapeName, number>();
  private drag: { pointerId: number; x: number; y: number } | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.job?.controller.abort();
    for (const id of this.frames.values()) cancelAnimationFrame(id);
    this.frames.clear();
  }

  protected start(): void {
    this.pump();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // A store that came back (the element moved) or a run that ended: run what is missing.
    this.pump();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    for (const shape of this.shapes()) this.draw(shape);
  }

  /** The sets shown, in order. */
  private shapes(): ShapeName[] {
    return this.choice === 'both' ? [...SHAPE_NAMES] : [this.choice];
  }

  private wants(): Want[] {
    const seed = this.seed;
    return this.shapes().map((shape) => {
      const latent = this.latent[shape];
      return { shape, latent, seed, key: `${shape}|${latent}|${seed}` };
    });
  }

  private outcomesOf(store: DemoStore): Map<string, Outcome> {
    let map = this.outcomes.get(store);
    if (!map) this.outcomes.set(store, (map = new Map()));
    return map;
  }

  private resultFor(shape: ShapeName): ShapeComparison | undefined {
    const store = this.store;
    const want = this.wants().find((w) => w.shape === shape);
    const outcome = store && want && this.outcomesOf(store).get(want.key);
    return outcome && !('error' in outcome) ? outcome : undefined;
  }

  /**
   * Runs the first wanted comparison that is missing, one at a time (the
   * worker trains one autoencoder at once, and the first set shows sooner);
   * a run nobody wants any more (another latent size, new points, a new
   * store) is cancelled, and its end runs the next.
   */
  private pump(): void {
    const store = this.store;
    if (!store || !this.seen || store.signal.aborted) return;
    const wants = this.wants();
    const job = this.job;
    if (job) {
      if (job.store !== store || !wants.some((w) => w.key === job.want.key)) {
        job.controller.abort();
      }
      return;
    }
    const outcomes = this.outcomesOf(store);
    const next = wants.find((w) => !outcomes.has(w.key));
    if (next) void this.run(store, next);
  }

  private async run(store: DemoStore, want: Want): Promise<void> {
    const controller = new AbortController();
    const job = { store, want, controller };
    this.job = job;
    this.progress = { shape: want.shape, epoch: 0, epochs: 0 };
    this.requestUpdate();
    try {
      const out = await store.bridge.planeCurve(
        anySignal(controller.signal, store.signal),
        want.shape,
        want.latent,
        want.seed,
        {
          onProgress: (p) => {
            if (this.job !== job) return;
            this.progress = { shape: want.shape, epoch: p.epoch, epochs: p.epochs };
            this.requestUpdate();
          },
        },
      );
      this.outcomesOf(store).set(want.key, out);
      this.error = undefined;
    } catch (error) {
      if (!controller.signal.aborted && !store.signal.aborted) {
        const message = this.fail(error);
        if (message !== undefined) {
          this.outcomesOf(store).set(want.key, { error: message });
          this.error = message;
        }
      }
    } finally {
      if (this.job === job) {
        this.job = undefined;
        this.progress = undefined;
      }
      this.requestUpdate();
    }
  }

  private onChoice = (event: Event) => {
    this.choice = (event.target as HTMLSelectElement).value as ShapeChoice;
    this.requestUpdate();
  };

  private onLatent = (shape: ShapeName) => (event: Event) => {
    this.latent[shape] = Number((event.target as HTMLSelectElement).value);
    this.requestUpdate();
  };

  private onLayer = (layer: LayerName) => (event: Event) => {
    if ((event.target as HTMLInputElement).checked) this.hiddenLayers.delete(layer);
    else this.hiddenLayers.add(layer);
    for (const shape of this.shapes()) this.frame(shape);
  };

  private onRunAgain = () => {
    this.seed += 1;
    this.requestUpdate();
  };

  private canvasOf(shape: ShapeName): HTMLCanvasElement | null {
    return this.renderRoot.querySelector<HTMLCanvasElement>(`canvas[data-scatter3d=${shape}]`);
  }

  /** Draws `shape`'s scatter in the next animation frame (once, however many moves came before it). */
  private frame(shape: ShapeName): void {
    if (this.frames.has(shape)) return;
    this.frames.set(
      shape,
      requestAnimationFrame(() => {
        this.frames.delete(shape);
        this.draw(shape);
      }),
    );
  }

  /** Draws `shape`'s scatter now, unless it shows the same already; its rotation goes on the canvas. */
  private draw(shape: ShapeName): void {
    const canvas = this.canvasOf(shape);
    const store = this.store;
    if (!canvas || !store) return;
    const rotation = this.rotation[shape];
    canvas.dataset.yaw = String(Math.round(rotation.yaw));
    canvas.dataset.pitch = String(Math.round(rotation.pitch));
    canvas.setAttribute('aria-label', this.canvasLabel(shape));
    const result = this.resultFor(shape);
    if (!result) return;
    const theme = store.host.theme();
    const hidden = [...this.hiddenLayers].sort().join();
    const signature = `${theme.fg}|${theme.grid}|${theme.accent}|${theme.font}`;
    const last = this.drawn.get(canvas);
    if (
      last &&
      last.result === result &&
      last.rotation === rotation &&
      last.hidden === hidden &&
      last.theme === signature
    ) {
      return;
    }
    const layers: Layer[] = [];
    if (!this.hiddenLayers.has('points'))
      layers.push({ points: result.points, color: theme.fg, mark: 'dot', alpha: 0.35 });
    if (!this.hiddenLayers.has('pca'))
      layers.push({ points: result.pcaReconstruction, color: PCA_COLOR, mark: 'square' });
    if (!this.hiddenLayers.has('ae'))
      layers.push({ points: result.aeReconstruction, color: theme.accent, mark: 'plus' });
    const side = Math.round(320 * Math.min(2, globalThis.devicePixelRatio || 1));
    if (canvas.width !== side) canvas.width = canvas.height = side;
    drawScatter3d(canvas, layers, rotation, {
      axisColor: theme.grid,
      font: theme.font,
      radius: 1.6,
    });
    this.drawn.set(canvas, { result, rotation, hidden, theme: signature });
    canvas.dataset.drawn = 'true';
  }

  private turn(shape: ShapeName, to: Rotation): void {
    this.rotation[shape] = to;
    this.frame(shape);
  }

  private onKey = (shape: ShapeName) => (event: KeyboardEvent) => {
    const to = keyRotation(this.rotation[shape], event.key, event.shiftKey);
    if (!to) return;
    event.preventDefault();
    this.turn(shape, to);
  };

  private onDown = (event: PointerEvent) => {
    if (this.drag || (event.pointerType === 'mouse' && event.button !== 0)) return;
    const canvas = event.currentTarget as HTMLCanvasElement;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    canvas.focus({ preventScroll: true });
    this.drag = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
  };

  private onMove = (shape: ShapeName) => (event: PointerEvent) => {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    this.drag = { ...drag, x: event.clientX, y: event.clientY };
    // The scatter follows the pointer: its front goes the way of a drag, its top comes closer on a drag down.
    this.turn(shape, turned(this.rotation[shape], dx * DRAG_STEP, dy * DRAG_STEP));
  };

  private onUp = (event: PointerEvent) => {
    if (this.drag?.pointerId === event.pointerId) this.drag = undefined;
  };

  private canvasLabel(shape: ShapeName): string {
    const shown = LAYERS.filter((l) => !this.hiddenLayers.has(l)).map((l) => LAYER_WORDS[l]);
    return (
      `The ${shape} in 3-D: ${shown.length ? shown.join(', ') : 'nothing'} shown, ` +
      `${rotationWords(this.rotation[shape])}. Drag, or use the arrow keys, to turn it; Home turns it back.`
    );
  }

  /** A data-* attribute of the figure from `shape`'s result, if it has one. */
  private datum(shape: ShapeName, read: (r: ShapeComparison) => string): string | undefined {
    if (!this.shapes().includes(shape)) return undefined;
    const r = this.resultFor(shape);
    return r ? read(r) : undefined;
  }

  override render() {
    const shapes = this.shapes();
    const running = this.job !== undefined;
    const d = (shape: ShapeName, read: (r: ShapeComparison) => string) =>
      ifDefined(this.datum(shape, read));
    // Each shown set's latent size, errors and times, for tests and pages that read the figure.
    return html`<figure
      part="figure"
      data-figure="plane-curve"
      data-shown=${this.choice}
      data-seed=${this.seed}
      data-plane-latent=${d('plane', (r) => String(r.latent))}
      data-plane-pca-mse=${d('plane', (r) => String(r.pcaMse))}
      data-plane-ae-mse=${d('plane', (r) => String(r.aeMse))}
      data-plane-pca-ms=${d('plane', (r) => r.pcaMs.toFixed(1))}
      data-plane-ae-ms=${d('plane', (r) => r.aeMs.toFixed(0))}
      data-plane-epochs=${d('plane', (r) => String(r.aeEpochs))}
      data-curve-latent=${d('curve', (r) => String(r.latent))}
      data-curve-pca-mse=${d('curve', (r) => String(r.pcaMse))}
      data-curve-ae-mse=${d('curve', (r) => String(r.aeMse))}
      data-curve-pca-ms=${d('curve', (r) => r.pcaMs.toFixed(1))}
      data-curve-ae-ms=${d('curve', (r) => r.aeMs.toFixed(0))}
      data-curve-epochs=${d('curve', (r) => String(r.aeEpochs))}
    >
      <figcaption>A plane and a curve in 3-D: where PCA is enough, and where it is not</figcaption>
      <div class="controls">
        <label
          >Data set
          <select data-control="pc-shape" @change=${this.onChoice}>
            <option value="both" ?selected=${this.choice === 'both'}>Both, side by side</option>
            <option value="plane" ?selected=${this.choice === 'plane'}>The plane</option>
            <option value="curve" ?selected=${this.choice === 'curve'}>The curve</option>
          </select></label
        >
        <button type="button" data-action="pc-run" @click=${this.onRunAgain}>
          Run again with new points
        </button>
      </div>
      <ul class="legend pc-legend" aria-label="Marks">
        ${LAYERS.map(
          (layer) =>
            html`<li>
              <label
                ><input
                  type="checkbox"
                  data-control="pc-layer-${layer}"
                  .checked=${!this.hiddenLayers.has(layer)}
                  @change=${this.onLayer(layer)}
                /><span
                  class="mark ${layer}"
                  ${layer === 'pca' ? cssProps({ background: PCA_COLOR }) : nothing}
                ></span
                >${
                  layer === 'points'
                    ? 'The points (grey dots)'
                    : layer === 'pca'
                      ? 'PCA (orange squares)'
                      : 'Autoencoder (crosses, accent colour)'
                }</label
              >
            </li>`,
        )}
      </ul>
      ${this.renderError('plane-curve')}
      <div class="pc-panels">${shapes.map((shape) => this.renderPanel(shape, running))}</div>
      <p class="summary" data-summary="plane-curve">${this.summary(shapes)}</p>
    </figure>`;
  }

  private renderPanel(shape: ShapeName, running: boolean) {
    const latent = this.latent[shape];
    return html`<div class="pc-panel" data-shape=${shape}>
      <div class="pc-head">
        <span class="pc-title">${SHAPE_TITLES[shape]}</span>
        <label
          >Latent size
          <select data-control="pc-latent-${shape}" @change=${this.onLatent(shape)}>
            ${SHAPE_LATENTS.map(
              (k) => html`<option value=${k} ?selected=${k === latent}>${k}</option>`,
            )}
          </select></label
        >
      </div>
      <canvas
        data-scatter3d=${shape}
        tabindex="0"
        role="img"
        aria-busy=${ifDefined(running && !this.resultFor(shape) ? 'true' : undefined)}
        @keydown=${this.onKey(shape)}
        @pointerdown=${this.onDown}
        @pointermove=${this.onMove(shape)}
        @pointerup=${this.onUp}
        @pointercancel=${this.onUp}
      ></canvas>
    </div>`;
  }

  private summary(shapes: ShapeName[]) {
    if (!this.seen) return 'Starts when it scrolls into view.';
    return shapes.map((shape) => {
      const r = this.resultFor(shape);
      if (r) return html`<span data-sentence=${shape}>${shapeSentence(r)}</span> `;
      const p = this.progress;
      if (p?.shape === shape) {
        return html`<span data-sentence=${shape}
          >${
            p.epochs
              ? `Training the autoencoder on the ${shape}: epoch ${p.epoch} of ${p.epochs}…`
              : `Starting the autoencoder for the ${shape}…`
          }</span
        > `;
      }
      const store = this.store;
      const want = this.wants().find((w) => w.shape === shape);
      const failed = store && want && this.outcomesOf(store).get(want.key);
      if (failed) return nothing;
      return html`<span data-sentence=${shape}>The ${shape} waits for its turn…</span> `;
    });
  }
}
