import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { AeError } from '../../core/errors.ts';
import { DIGIT_COLORS } from '../../core/settings.ts';
import type { ModelInfo, PcaProjection } from '../../worker/bridge.ts';
import { centerDigit } from './center-digit.ts';
import { cssProps } from './css-props.ts';
import { bundledData } from './default-data.ts';
import { drawDigits } from './digits.ts';
import { DrawPad, PAD_SIZE } from './draw-pad.ts';
import type { AeDemoHooks, TestCodes } from './host.ts';
import { Latest, every, everyFrame } from './latest.ts';
import { MiniScatter } from './mini-scatter.ts';
import type { ActiveModel } from './models.controller.ts';
import type { ChartTheme } from '../charts/charts.ts';
import {
  centreOn,
  codeRange,
  gridLatents,
  interpolate,
  linspace,
  majority,
  meanCode,
  mseToPixels,
  nearest,
  pickDims,
} from './play-math.ts';
import { themeSignature } from '../charts/theme.ts';
import { number, plural } from './words.ts';

/** The panels this controller draws, by their names in the `views` attribute. */
const PANELS = ['walk', 'interpolate', 'draw'] as const;
type Panel = (typeof PANELS)[number];

/** Digits per side of the walk's grid. */
const GRID = 9;
/** How far the walk goes along each axis of a VAE's latent space, in standard deviations of its prior. */
const VAE_SPAN = 2.5;
/** Blank pixels between the grid's digits (drawDigits' default). */
const GAP = 2;
/** Steps of an interpolation, both ends included. */
const STEPS = 10;
/** Neighbours that say where a drawn digit lands. */
const NEIGHBOURS = 20;
/** Components of the PCA reconstruction of a drawn digit (the notebook's k = 10). */
const PCA_K = 10;
/** Pad pixels this faint or fainter are not ink (the brush's soft edge fades out). */
const INK_THRESHOLD = 8;
const SIDE = 28;
const ONE = { count: 1, rows: SIDE, cols: SIDE, columns: 1 };

type Kind = 'ae' | 'vae';
/** What a walk holds its other dimensions at: the centre of the space, or a test digit's code. */
type Anchor = 'mean' | 'digit';

/** The test digits' latent codes under one model. */
interface Codes extends TestCodes {
  /** Dimensions 1 and 2, interleaved, for the latent scatter. */
  xy: Float32Array;
}

/** The plane a walk runs over, and its grid of decoded digits. */
interface WalkFrame {
  key: string;
  kind: Kind;
  modelId: string;
  latentSize: number;
  dimX: number;
  dimY: number;
  /** Range of each axis: [lo, hi]. */
  x: [number, number];
  y: [number, number];
  /** Values of the other dimensions (and the point's start). */
  base: Float32Array;
  /** The test digit whose code `base` is, when the walk is anchored at one. */
  anchor?: { index: number; label: number };
  grid: Float32Array;
}

interface Interpolation {
  key: string;
  a: number;
  b: number;
  labelA: number;
  labelB: number;
  /** The two test digits, 8-bit. */
  originals: Uint8Array;
  pixels: Float32Array;
  ae: Float32Array | undefined;
  vae: Float32Array | undefined;
  aeLabel: string;
  vaeLabel: string;
}

/** One method's take on the drawn digit. */
interface Rebuilt {
  pixels: Float32Array;
  mse: number;
}

interface DrawResult {
  input: Uint8Array;
  pca?: Rebuilt & {
    k: number;
    pc: [number, number];
    near: number[];
    labels: Uint8Array;
    test: boolean;
  };
  ae?: Rebuilt & { code: Float32Array; near?: number; latentSize: number };
  vae?: Rebuilt;
  aeLabel?: string;
  vaeLabel?: string;
  testLabels?: Uint8Array;
}

const fixed = (v: number) => v.toFixed(2).replace('-', '−');

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function aborted(error: unknown): boolean {
  return error instanceof AeError && error.code === 'ABORTED';
}

/**
 * Beyond the notebook: a latent walk, interpolation between two digits and a
 * pad to draw a digit on, each decoded live in the worker. A panel starts its
 * work when it first scrolls into view; the test digits' codes (one encode of
 * all of them) are computed then, once per model.
 */
export class PlayController implements ReactiveController {
  private lifetime = new AbortController();
  private seen = new Set<Panel>();
  private observer: IntersectionObserver | undefined;
  private observed = new WeakSet<Element>();
  private painted = new WeakMap<HTMLCanvasElement, unknown>();
  private errors: Partial<Record<Panel, string>> = {};
  private lastModels: unknown;
  private lastPca: unknown;
  private theme: ChartTheme | undefined;
  private themeKey: string | undefined;

  private codes = new Map<string, Promise<Codes>>();
  private codesReady = new Map<string, Codes>();
  private labels: { key: string; labels: Promise<Uint8Array> } | undefined;
  private testCount = 10_000;

  // The walk.
  private walkKind: Kind = 'vae';
  private dimX = 0;
  private dimY = 1;
  private anchor: Anchor = 'mean';
  private anchorIndex = 0;
  private point = { x: 0, y: 0 };
  private frame: WalkFrame | undefined;
  private walkLoading: string | undefined;
  private walkPoint: { pixels: Float32Array; text: string } | undefined;
  private dragging: number | undefined;
  private byKey = false;
  private pointRunner = new Latest<void>(
    () => this.decodePoint(),
    everyFrame,
    (e) => this.fail('walk', e),
  );

  // The interpolation.
  private interpA = 0;
  private interpB = 1;
  private interp: Interpolation | undefined;
  private interpRunner = new Latest<void>(
    () => this.interpolate(),
    everyFrame,
    (e) => this.fail('interpolate', e),
  );

  // The drawing pad.
  private pad = new DrawPad(() => this.drawRunner.push());
  private drawIndex = 0;
  private draw: DrawResult | undefined;
  private drawRunner = new Latest<void>(
    () => this.analyse(),
    every(120),
    (e) => this.fail('draw', e),
  );
  private pcaScatter = new MiniScatter((box, error) => this.hooks.chartFailed(box, error));
  private latentScatter = new MiniScatter((box, error) => this.hooks.chartFailed(box, error));

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly hooks: AeDemoHooks,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.lifetime.abort();
    this.observer?.disconnect();
    this.observer = undefined;
    this.pointRunner.clear();
    this.interpRunner.clear();
    this.drawRunner.clear();
    this.pad.detach();
    this.pcaScatter.destroy();
    this.latentScatter.destroy();
    // A reconnected element may get a new worker: nothing of this one's models is kept.
    this.lifetime = new AbortController();
    this.seen.clear();
    this.observed = new WeakSet();
    this.painted = new WeakMap();
    this.errors = {};
    this.lastModels = undefined;
    this.lastPca = undefined;
    this.theme = undefined;
    this.themeKey = undefined;
    this.codes.clear();
    this.codesReady.clear();
    this.labels = undefined;
    this.frame = undefined;
    this.walkLoading = undefined;
    this.walkPoint = undefined;
    this.dragging = undefined;
    this.interp = undefined;
    this.draw = undefined;
  }

  hostUpdated(): void {
    this.observe();
    const models = this.hooks.models();
    const pca = this.hooks.pca()?.result;
    if (models !== this.lastModels || pca !== this.lastPca) {
      this.lastModels = models;
      this.lastPca = pca;
      this.pruneCodes();
      for (const panel of this.seen) this.start(panel);
    }
    // The charts' colours come from CSS custom properties: a new colour scheme (or an
    // author's new --ae-demo-* values) gives a new theme, and the scatters redraw in it.
    const theme = this.hooks.theme();
    const themeKey = themeSignature(theme);
    if (themeKey !== this.themeKey) {
      this.theme = theme;
      this.themeKey = themeKey;
    }
    this.paint();
  }

  private update(): void {
    this.host.requestUpdate();
  }

  // ---- Shared -------------------------------------------------------------

  /** Starts watching the panels' figures; a panel's work starts when it first shows. */
  private observe(): void {
    const root = this.host.renderRoot;
    this.observer ??= new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const panel = (entry.target as HTMLElement).dataset.figure as Panel;
        if (!entry.isIntersecting || this.seen.has(panel)) continue;
        this.seen.add(panel);
        this.start(panel);
      }
    });
    for (const panel of PANELS) {
      const figure = root.querySelector(`[data-figure=${panel}]`);
      if (figure && !this.observed.has(figure)) {
        this.observed.add(figure);
        this.observer.observe(figure);
      }
    }
  }

  /** (Re)computes what a panel shows from the current models and PCA. */
  private start(panel: Panel): void {
    if (!this.hooks.shown(panel)) return;
    switch (panel) {
      case 'walk':
        void this.refreshWalk();
        break;
      case 'interpolate':
        this.interpRunner.push();
        break;
      case 'draw': {
        const ae = this.hooks.models().ae;
        if (ae)
          void this.codesOf(ae).then(
            () => this.update(),
            (e) => this.fail('draw', e),
          );
        void this.testLabels().then(
          () => this.update(),
          (e) => this.fail('draw', e),
        );
        if (this.pad.dirty) this.drawRunner.push();
        this.update();
        break;
      }
    }
  }

  private fail(panel: Panel, error: unknown): void {
    if (this.lifetime.signal.aborted || aborted(error)) return;
    const detail = {
      code: error instanceof AeError ? error.code : 'INTERNAL',
      message: message(error),
    };
    this.errors = { ...this.errors, [panel]: detail.message };
    this.update();
    this.hooks.emit('ae-error', detail);
  }

  private bridge() {
    const bridge = this.hooks.bridge();
    if (!bridge) throw new AeError('ABORTED', 'The element left the page.');
    return bridge;
  }

  /** The test set's key: the models' one, or the PCA's when that is the test set. */
  private testKey(): string | undefined {
    const pca = this.hooks.pca();
    return this.hooks.models().testKey ?? (pca?.isTestSet ? pca.dataset.key : undefined);
  }

  /** The test digits' labels (the worker keeps one copy of the data; this asks for its summary). */
  private testLabels(): Promise<Uint8Array> {
    const pca = this.hooks.pca();
    const key = this.testKey() ?? 'bundled';
    if (this.labels?.key !== key) {
      const labels =
        pca?.isTestSet && pca.dataset.key === key
          ? Promise.resolve(pca.dataset.labels)
          : this.bridge()
              .loadDataset(this.lifetime.signal, bundledData('test'))
              .then((d) => d.labels);
      const entry = { key, labels };
      this.labels = entry;
      labels.then(
        (l) => (this.testCount = l.length),
        // Not kept when it failed: the next panel that needs the labels asks again.
        () => {
          if (this.labels === entry) this.labels = undefined;
        },
      );
    }
    return this.labels.labels;
  }

  /** The latent codes of all test digits under `model`: one encode per model, when a panel needs it. */
  private codesOf(model: ModelInfo): Promise<Codes> {
    let codes = this.codes.get(model.modelId);
    if (!codes) {
      codes = this.hooks.testCodes(model.modelId).then((c) => {
        const ready = {
          ...c,
          xy: pickDims(c.codes, c.latentSize, 0, Math.min(1, c.latentSize - 1)),
        };
        if (this.codes.get(model.modelId) === codes) this.codesReady.set(model.modelId, ready);
        return ready;
      });
      this.codes.set(model.modelId, codes);
      codes.catch(() => this.codes.delete(model.modelId));
    }
    return codes;
  }

  /** Forgets the codes of models no longer shown. */
  private pruneCodes(): void {
    const { ae, vae } = this.hooks.models();
    const live = new Set([ae?.modelId, vae?.modelId]);
    for (const id of [...this.codes.keys()]) {
      if (!live.has(id)) {
        this.codes.delete(id);
        this.codesReady.delete(id);
      }
    }
  }

  /** Paints the panels' canvases whose data changed since they were last painted. */
  private paint(): void {
    const root = this.host.renderRoot;
    const paint = (name: string, data: unknown, fn: (c: HTMLCanvasElement) => void) => {
      const canvas = root.querySelector<HTMLCanvasElement>(`canvas[data-digits=${name}]`);
      if (!canvas || data === undefined || this.painted.get(canvas) === data) return;
      fn(canvas);
      this.painted.set(canvas, data);
    };
    const f = this.frame;
    if (f) {
      const grid = { count: GRID * GRID, rows: SIDE, cols: SIDE, columns: GRID, gap: GAP };
      paint('walk-grid', f.grid, (c) => drawDigits(c, f.grid, grid));
    }
    const p = this.walkPoint;
    if (p) paint('walk-point', p, (c) => this.paintPoint(c, p));

    const i = this.interp;
    if (i) {
      const row = { count: STEPS, rows: SIDE, cols: SIDE, columns: STEPS };
      paint('interp-a', i, (c) => drawDigits(c, i.originals.subarray(0, SIDE * SIDE), ONE));
      paint('interp-b', i, (c) => drawDigits(c, i.originals.subarray(SIDE * SIDE), ONE));
      paint('interp-pixels', i.pixels, (c) => drawDigits(c, i.pixels, row));
      paint('interp-ae', i.ae, (c) => drawDigits(c, i.ae!, row));
      paint('interp-vae', i.vae, (c) => drawDigits(c, i.vae!, row));
    }

    this.pad.attach(root.querySelector<HTMLCanvasElement>('canvas[data-pad]') ?? undefined);
    const d = this.draw;
    if (d) {
      paint('draw-input', d.input, (c) => drawDigits(c, d.input, ONE));
      paint('draw-pca', d.pca, (c) => drawDigits(c, d.pca!.pixels, ONE));
      paint('draw-ae', d.ae, (c) => drawDigits(c, d.ae!.pixels, ONE));
      paint('draw-vae', d.vae, (c) => drawDigits(c, d.vae!.pixels, ONE));
    }
    if (this.seen.has('draw')) void this.drawScatters();
  }

  // ---- The walk -----------------------------------------------------------

  private walkModel(): ActiveModel | undefined {
    return this.hooks.models()[this.walkKind];
  }

  /** Makes the walk's plane for the chosen model and dimensions, and decodes its grid in one call. */
  private async refreshWalk(): Promise<void> {
    const model = this.walkModel();
    if (!model) return;
    const size = model.latentSize;
    if (size < 2) {
      this.errors = {
        ...this.errors,
        walk: 'This model has a single latent dimension: there is no plane to walk.',
      };
      this.update();
      return;
    }
    this.dimX = Math.min(this.dimX, size - 1);
    this.dimY = Math.min(this.dimY, size - 1);
    if (this.dimX === this.dimY) this.dimY = (this.dimX + 1) % size;
    const { dimX, dimY } = this;
    const testKey = this.testKey();
    const index = this.anchor === 'digit' ? this.anchorIndex : undefined;
    const key = `${model.modelId}|${dimX}|${dimY}|${index === undefined ? 'mean' : `${testKey}#${index}`}`;
    if (this.frame?.key === key && this.errors.walk) {
      // Back to the walk shown (after a wrong number, say).
      this.errors = { ...this.errors, walk: undefined };
      this.update();
    }
    if (this.frame?.key === key || this.walkLoading === key) return;
    this.walkLoading = key;
    this.update();
    try {
      let anchor: WalkFrame['anchor'];
      let base: Float32Array;
      if (index !== undefined) {
        if (!testKey) throw new AeError('NOT_LOADED', 'The test digits are not loaded yet.');
        const labels = await this.testLabels();
        if (!Number.isInteger(index) || index < 0 || index >= labels.length) {
          this.errors = {
            ...this.errors,
            walk: `Choose a test digit from 0 to ${number(labels.length - 1)}.`,
          };
          this.update();
          return;
        }
        // One digit's code (a VAE's μ): the grid is centred on it.
        base = await this.bridge().encodePixels(
          this.lifetime.signal,
          model.modelId,
          await this.bridge().image(this.lifetime.signal, testKey, index),
        );
        anchor = { index, label: labels[index] };
      } else if (model.kind === 'vae') {
        base = new Float32Array(size);
      } else {
        base = meanCode((await this.codesOf(model)).codes, size);
      }
      let x: [number, number];
      let y: [number, number];
      if (model.kind === 'vae') {
        x = centreOn([-VAE_SPAN, VAE_SPAN], base[dimX]);
        y = centreOn([-VAE_SPAN, VAE_SPAN], base[dimY]);
      } else {
        // An autoencoder has no prior: walk as far as its codes of the test digits spread.
        const codes = await this.codesOf(model);
        const rx = codeRange(codes.codes, size, dimX);
        const ry = codeRange(codes.codes, size, dimY);
        x = anchor ? centreOn([rx.min, rx.max], base[dimX]) : [rx.min, rx.max];
        y = anchor ? centreOn([ry.min, ry.max], base[dimY]) : [ry.min, ry.max];
      }
      const latents = gridLatents(base, dimX, dimY, linspace(...x, GRID), linspace(...y, GRID));
      const grid = await this.bridge().decode(this.lifetime.signal, model.modelId, latents);
      if (this.walkLoading !== key) return;
      this.frame = {
        key,
        kind: model.kind,
        modelId: model.modelId,
        latentSize: size,
        dimX,
        dimY,
        x,
        y,
        base,
        anchor,
        grid,
      };
      this.errors = { ...this.errors, walk: undefined };
      // Start where the other dimensions are held: the prior's mean, the mean code or the digit's code.
      this.point = { x: base[dimX], y: base[dimY] };
      this.pointRunner.push();
      this.update();
    } catch (error) {
      this.fail('walk', error);
    } finally {
      if (this.walkLoading === key) this.walkLoading = undefined;
    }
  }

  /** Decodes the walk's point (the runner keeps it to one request at a time, at most one a frame). */
  private async decodePoint(): Promise<void> {
    const f = this.frame;
    if (!f) return;
    const latent = Float32Array.from(f.base);
    latent[f.dimX] = this.point.x;
    latent[f.dimY] = this.point.y;
    const text = this.pointText(f);
    const pixels = await this.bridge().decode(this.lifetime.signal, f.modelId, latent);
    if (this.frame !== f) return;
    this.walkPoint = { pixels, text };
    // Painted now rather than on the next render: it follows the pointer.
    const canvas = this.host.renderRoot.querySelector<HTMLCanvasElement>(
      'canvas[data-digits=walk-point]',
    );
    if (canvas) {
      this.paintPoint(canvas, this.walkPoint);
      this.painted.set(canvas, this.walkPoint);
    }
  }

  private paintPoint(canvas: HTMLCanvasElement, p: { pixels: Float32Array; text: string }): void {
    drawDigits(canvas, p.pixels, ONE);
    canvas.dataset.point = p.text;
  }

  private pointText(f: WalkFrame): string {
    return `z${f.dimX + 1} = ${fixed(this.point.x)} across, z${f.dimY + 1} = ${fixed(this.point.y)} up`;
  }

  /** Where a value sits on the grid canvas, 0..1 across: cell centres span the range. */
  private fraction(value: number, [lo, hi]: [number, number]): number {
    const width = GRID * SIDE + (GRID - 1) * GAP;
    const t = (value - lo) / (hi - lo);
    return (SIDE / 2 + t * (width - SIDE)) / width;
  }

  private value(fraction: number, [lo, hi]: [number, number]): number {
    const width = GRID * SIDE + (GRID - 1) * GAP;
    const t = (fraction * width - SIDE / 2) / (width - SIDE);
    return lo + Math.min(1, Math.max(0, t)) * (hi - lo);
  }

  private moveTo(x: number, y: number, byKey: boolean): void {
    const f = this.frame;
    if (!f) return;
    const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));
    this.point = { x: clamp(x, f.x), y: clamp(y, f.y) };
    this.byKey = byKey;
    this.pointRunner.push();
    this.update();
  }

  private pointerTo(event: PointerEvent): void {
    const f = this.frame;
    const plane = event.currentTarget as HTMLElement;
    if (!f) return;
    const rect = plane.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    this.moveTo(this.value(fx, f.x), this.value(1 - fy, f.y), false);
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

  private onWalkModel = (event: Event) => {
    this.walkKind = (event.target as HTMLSelectElement).value as Kind;
    void this.refreshWalk();
  };

  private onWalkAnchor = (event: Event) => {
    this.anchor = (event.target as HTMLSelectElement).value as Anchor;
    void this.refreshWalk();
  };

  private onWalkDigit = (event: Event) => {
    this.anchorIndex = (event.target as HTMLInputElement).valueAsNumber;
    void this.refreshWalk();
  };

  private onWalkDim = (axis: 'x' | 'y') => (event: Event) => {
    const dim = Number((event.target as HTMLSelectElement).value);
    // Choosing the other axis's dimension swaps the two.
    if (axis === 'x') {
      if (dim === this.dimY) this.dimY = this.dimX;
      this.dimX = dim;
    } else {
      if (dim === this.dimX) this.dimX = this.dimY;
      this.dimY = dim;
    }
    void this.refreshWalk();
  };

  // ---- The interpolation --------------------------------------------------

  private async interpolate(): Promise<void> {
    const key0 = this.testKey();
    if (!key0) return;
    const testKey: string = key0;
    const { ae, vae } = this.hooks.models();
    const { interpA: a, interpB: b } = this;
    const key = `${testKey}|${ae?.modelId}|${vae?.modelId}|${a}|${b}`;
    if (this.interp?.key === key) {
      // Back to the digits already shown (after a wrong number, say).
      if (this.errors.interpolate) {
        this.errors = { ...this.errors, interpolate: undefined };
        this.update();
      }
      return;
    }
    const labels = await this.testLabels();
    if (![a, b].every((i) => Number.isInteger(i) && i >= 0 && i < labels.length)) {
      this.errors = {
        ...this.errors,
        interpolate: `Choose two test digits from 0 to ${number(labels.length - 1)}.`,
      };
      this.update();
      return;
    }
    const originals = await this.bridge().images(this.lifetime.signal, testKey, [a, b]);
    const along = async (model: ModelInfo | undefined) => {
      if (!model) return undefined;
      const { signal } = this.lifetime;
      const codes = await this.bridge().encodePixels(signal, model.modelId, originals);
      const n = model.latentSize;
      return this.bridge().decode(
        signal,
        model.modelId,
        interpolate(codes.subarray(0, n), codes.subarray(n), STEPS),
      );
    };
    const [aeRow, vaeRow] = await Promise.all([along(ae), along(vae)]);
    if (a !== this.interpA || b !== this.interpB) return;
    // The plain crossfade, computed here: 10 × 784 values.
    const size = SIDE * SIDE;
    const fade = new Float32Array(STEPS * size);
    for (let s = 0; s < STEPS; s++) {
      const t = s / (STEPS - 1);
      for (let p = 0; p < size; p++) {
        fade[s * size + p] = ((1 - t) * originals[p] + t * originals[size + p]) / 255;
      }
    }
    this.interp = {
      key,
      a,
      b,
      labelA: labels[a],
      labelB: labels[b],
      originals,
      pixels: fade,
      ae: aeRow,
      vae: vaeRow,
      aeLabel: ae?.label ?? '',
      vaeLabel: vae?.label ?? '',
    };
    this.errors = { ...this.errors, interpolate: undefined };
    this.update();
  }

  private onInterpIndex = (which: 'a' | 'b') => (event: Event) => {
    const value = (event.target as HTMLInputElement).valueAsNumber;
    if (which === 'a') this.interpA = value;
    else this.interpB = value;
    this.interpRunner.push();
  };

  private onInterpRandom = async () => {
    try {
      const labels = await this.testLabels();
      const a = Math.floor(Math.random() * labels.length);
      let b = a;
      // Two different digits make a more telling path than two of a kind.
      while (b === a || labels[b] === labels[a]) b = Math.floor(Math.random() * labels.length);
      this.interpA = a;
      this.interpB = b;
      this.update();
      this.interpRunner.push();
    } catch (error) {
      this.fail('interpolate', error);
    }
  };

  // ---- The drawing pad ----------------------------------------------------

  /** Centres what is drawn like MNIST, then asks PCA and both models where it lands and how they rebuild it. */
  private async analyse(): Promise<void> {
    const ink = this.pad.dirty ? this.pad.ink() : undefined;
    const input = ink && centerDigit(ink, PAD_SIZE, PAD_SIZE, { threshold: INK_THRESHOLD });
    if (!input) {
      this.draw = undefined;
      this.update();
      return;
    }
    const pcaState = this.hooks.pca();
    const { ae, vae } = this.hooks.models();
    const k = pcaState ? Math.min(PCA_K, pcaState.result.components) : 0;
    const bridge = this.bridge();
    const { signal } = this.lifetime;
    const [projection, aeCode, aeRecon, vaeRecon] = await Promise.all([
      pcaState ? bridge.pcaImages(signal, pcaState.dataset.key, input, k) : undefined,
      ae ? bridge.encodePixels(signal, ae.modelId, input) : undefined,
      ae ? bridge.reconstructPixels(signal, ae.modelId, input) : undefined,
      vae ? bridge.reconstructPixels(signal, vae.modelId, input) : undefined,
    ] as const);
    const result: DrawResult = { input, aeLabel: ae?.label, vaeLabel: vae?.label };
    if (pcaState && projection) result.pca = this.pcaPlace(projection, k, pcaState, input);
    if (ae && aeCode && aeRecon) {
      const codes = await this.codesOf(ae).catch(() => undefined);
      result.ae = {
        pixels: aeRecon,
        mse: mseToPixels(aeRecon, input),
        code: aeCode,
        latentSize: ae.latentSize,
        near: codes ? nearest(codes.codes, codes.latentSize, aeCode, 1)[0] : undefined,
      };
      result.testLabels = await this.testLabels().catch(() => undefined);
    }
    if (vaeRecon) result.vae = { pixels: vaeRecon, mse: mseToPixels(vaeRecon, input) };
    // Cleared meanwhile: the pad is blank now.
    if (!this.pad.dirty) return;
    this.draw = result;
    this.errors = { ...this.errors, draw: undefined };
    this.update();
  }

  private pcaPlace(
    projection: PcaProjection,
    k: number,
    pcaState: NonNullable<ReturnType<AeDemoHooks['pca']>>,
    input: Uint8Array,
  ): DrawResult['pca'] {
    // With a one-component PCA (components="1") there is no PC2 to place it on: 0.
    const pc: [number, number] = [projection.scores[0], k > 1 ? projection.scores[1] : 0];
    const pixels = projection.reconstructions;
    return {
      pixels,
      mse: mseToPixels(pixels, input),
      k,
      pc,
      near: nearest(pcaState.result.scores, 2, pc, NEIGHBOURS),
      labels: pcaState.dataset.labels,
      test: pcaState.isTestSet,
    };
  }

  /** The two small scatters, with the drawn digit marked on each. */
  private async drawScatters(): Promise<void> {
    const root = this.host.renderRoot;
    const theme = this.theme ?? this.hooks.theme();
    const pcaState = this.hooks.pca();
    const pcaBox = root.querySelector<HTMLElement>('[data-chart=draw-pca]');
    if (pcaBox && pcaState) {
      await this.pcaScatter.draw(pcaBox, {
        xy: pcaState.result.scores,
        labels: pcaState.dataset.labels,
        xLabel: 'PC1',
        yLabel: 'PC2',
        theme,
      });
      const pc = this.draw?.pca?.pc;
      this.pcaScatter.setMark(pc && { x: pc[0], y: pc[1], label: 'your digit' });
    }
    const ae = this.hooks.models().ae;
    const codes = ae && this.codesReady.get(ae.modelId);
    const latentBox = root.querySelector<HTMLElement>('[data-chart=draw-latent]');
    const labels = this.labels?.key === this.testKey() ? await this.labels?.labels : undefined;
    if (latentBox && codes && labels) {
      await this.latentScatter.draw(latentBox, {
        xy: codes.xy,
        labels,
        xLabel: 'z1',
        yLabel: 'z2',
        theme,
      });
      const code = this.draw?.ae?.code;
      this.latentScatter.setMark(code && { x: code[0], y: code[1], label: 'your digit' });
    }
  }

  private onClear = () => {
    this.pad.clear();
    this.drawRunner.clear();
    this.draw = undefined;
    this.update();
  };

  private onDrawIndex = (event: Event) => {
    this.drawIndex = (event.target as HTMLInputElement).valueAsNumber;
  };

  private onUseDigit = async () => {
    const key = this.testKey();
    const index = this.drawIndex;
    if (!key) return;
    if (!Number.isInteger(index) || index < 0 || index >= this.testCount) {
      this.errors = {
        ...this.errors,
        draw: `Choose a test digit from 0 to ${number(this.testCount - 1)}.`,
      };
      this.update();
      return;
    }
    try {
      const pixels = await this.bridge().image(this.lifetime.signal, key, index);
      this.pad.paintDigit(pixels);
      this.drawRunner.push();
    } catch (error) {
      this.fail('draw', error);
    }
  };

  // ---- Rendering ----------------------------------------------------------

  render() {
    const panels = PANELS.filter((p) => this.hooks.shown(p));
    if (!panels.length) return nothing;
    return html`<section class="play" aria-labelledby="play-title">
      <h2 id="play-title">Beyond the notebook</h2>
      <div class="play-figures">
        ${panels.includes('walk') ? this.renderWalk() : nothing}
        ${panels.includes('interpolate') ? this.renderInterpolate() : nothing}
        ${panels.includes('draw') ? this.renderDraw() : nothing}
      </div>
    </section>`;
  }

  /** A labelled number input for a test digit's index (0 .. the test set's size − 1). */
  private testDigitInput(
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
        max=${this.testCount - 1}
        step="1"
        data-control=${control}
        .value=${String(value)}
        ?disabled=${disabled}
        @change=${onChange}
    /></label>`;
  }
  private renderError(panel: Panel) {
    const text = this.errors[panel];
    return text
      ? html`<div class="error" role="alert" data-error=${panel}>
          <strong>Could not update this figure.</strong>${text}
        </div>`
      : nothing;
  }

  private renderWalk() {
    const model = this.walkModel();
    const { ae, vae } = this.hooks.models();
    const f = this.frame?.modelId === model?.modelId ? this.frame : undefined;
    const size = model?.latentSize ?? 0;
    const dims = Array.from({ length: size }, (_, i) => i);
    const option = (d: number, chosen: number) =>
      html`<option value=${d} ?selected=${d === chosen}>z${d + 1}</option>`;
    const title = model?.kind === 'ae' ? 'autoencoder' : 'VAE';
    return html`<figure part="figure" data-figure="walk" class="play-walk">
      <figcaption>Walk the ${title}'s latent space</figcaption>
      <div class="controls">
        <label
          >Model
          <select data-control="walk-model" @change=${this.onWalkModel}>
            <option value="vae" ?selected=${this.walkKind === 'vae'} ?disabled=${!vae}>
              ${vae?.label ?? 'VAE'}
            </option>
            <option value="ae" ?selected=${this.walkKind === 'ae'} ?disabled=${!ae}>
              ${ae?.label ?? 'Autoencoder'}
            </option>
          </select></label
        >
        <label
          >Across
          <select data-control="walk-x" ?disabled=${!size} @change=${this.onWalkDim('x')}>
            ${dims.map((d) => option(d, this.dimX))}
          </select></label
        >
        <label
          >Up
          <select data-control="walk-y" ?disabled=${!size} @change=${this.onWalkDim('y')}>
            ${dims.map((d) => option(d, this.dimY))}
          </select></label
        >
        <label
          >Hold the other dimensions at
          <select data-control="walk-anchor" @change=${this.onWalkAnchor}>
            <option value="mean" ?selected=${this.anchor === 'mean'}>
              ${model?.kind === 'ae' ? 'the mean code' : 'the prior mean (0)'}
            </option>
            <option value="digit" ?selected=${this.anchor === 'digit'}>a test digit's code</option>
          </select></label
        >
        ${this.testDigitInput('Test digit #', 'walk-digit', this.anchorIndex, this.onWalkDigit, this.anchor !== 'digit')}
      </div>
      ${this.renderError('walk')}
      ${f ? this.renderPlane(f) : html`<p class="summary" data-summary="walk">${this.waitText(model, 'walk')}</p>`}
    </figure>`;
  }

  private waitText(model: ActiveModel | undefined, panel: Panel): string {
    if (!model) return 'Waiting for the shipped models to load…';
    if (!this.seen.has(panel)) return 'Starts when it scrolls into view.';
    return model.kind === 'ae'
      ? 'Encoding the test digits to find where the autoencoder puts them…'
      : 'Decoding the grid…';
  }

  private renderPlane(f: WalkFrame) {
    const fx = this.fraction(this.point.x, f.x);
    const fy = 1 - this.fraction(this.point.y, f.y);
    const animate = this.byKey && !this.hooks.reducedMotion();
    const range = (r: [number, number]) => `${fixed(r[0])} to ${fixed(r[1])}`;
    const text = this.pointText(f);
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
            class="thumb ${animate ? 'animate' : ''}"
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
      <p class="summary" data-summary="walk">
        ${GRID} × ${GRID} digits decoded by ${f.kind === 'vae' ? 'the VAE' : 'the autoencoder'} from
        a grid of latent points: z${f.dimX + 1} runs across from ${range(f.x)} and z${f.dimY + 1} up
        from ${range(f.y)}${this.spanText(f)}. ${this.heldText(f)} Drag the point, or focus it and
        use the arrow keys, to decode any point in between.
      </p>`;
  }

  /** What the walk's axes span, in words. */
  private spanText(f: WalkFrame): string {
    if (f.kind === 'vae')
      return f.anchor
        ? ` (${VAE_SPAN} standard deviations of its prior either side of the digit's code)`
        : ' (standard deviations of its prior)';
    return f.anchor
      ? ` (as wide as the 1st to 99th percentile of the test digits' codes, centred on the digit's code)`
      : " (the 1st to 99th percentile of the test digits' codes)";
  }

  /** What the walk holds the other dimensions at, in words. */
  private heldText(f: WalkFrame): string {
    const others = f.latentSize - 2;
    const a = f.anchor;
    if (a) {
      const code = `the code of test digit #${a.index} (a ${a.label})${f.kind === 'vae' ? ', its means μ' : ''}`;
      return others > 0
        ? `The other ${plural(others, 'dimension')} stay at ${code}; the grid's middle decodes that digit.`
        : `The grid is centred on ${code}, so its middle decodes that digit.`;
    }
    if (others === 0) return '';
    return f.kind === 'vae'
      ? `The other ${plural(others, 'dimension')} stay at 0, the prior's mean.`
      : `The other ${plural(others, 'dimension')} stay at the test digits' mean code.`;
  }

  private renderInterpolate() {
    const i = this.interp;
    const name = (label: number, index: number) => `a ${label} (test digit #${index})`;
    return html`<figure part="figure" data-figure="interpolate">
      <figcaption>From one test digit to another</figcaption>
      <div class="controls interp-controls">
        ${this.testDigitInput('From test digit #', 'interp-a', this.interpA, this.onInterpIndex('a'))}
        <canvas data-digits="interp-a" role="img" aria-label="The first digit"></canvas>
        ${this.testDigitInput('to #', 'interp-b', this.interpB, this.onInterpIndex('b'))}
        <canvas data-digits="interp-b" role="img" aria-label="The second digit"></canvas>
        <button type="button" data-action="interp-random" @click=${this.onInterpRandom}>
          Pick two at random
        </button>
      </div>
      ${this.renderError('interpolate')}
      ${
        i
          ? html`<div class="digits interp-rows">
                <span>Pixels (crossfade)</span>
                <canvas
                  data-digits="interp-pixels"
                  role="img"
                  aria-label="The pixels of the two digits crossfaded in ${STEPS} steps"
                ></canvas>
                <span>Autoencoder</span>
                ${
                  i.ae
                    ? html`<canvas
                        data-digits="interp-ae"
                        role="img"
                        aria-label="The autoencoder's decodings of ${STEPS} points from one code to the other"
                      ></canvas>`
                    : html`<span>Waiting for the autoencoder…</span>`
                }
                <span>VAE</span>
                ${
                  i.vae
                    ? html`<canvas
                        data-digits="interp-vae"
                        role="img"
                        aria-label="The VAE's decodings of ${STEPS} points from one code to the other"
                      ></canvas>`
                    : html`<span>Waiting for the VAE…</span>`
                }
              </div>
              <p class="summary" data-summary="interpolate">
                From ${name(i.labelA, i.a)} to ${name(i.labelB, i.b)} in ${STEPS} even steps: the
                plain crossfade of their pixels, then the decodings of points on the straight line
                between their
                codes${
                  i.ae ? ` in ${i.aeLabel.replace(/^The /, 'the ')}` : ''
                }${i.vae ? ` and ${i.vaeLabel.replace(/^The /, 'the ')} (its means μ)` : ''}.
                The crossfade shows both digits at once half-way; a decoder draws one shape.
              </p>`
          : html`<p class="summary" data-summary="interpolate">
              ${
                this.seen.has('interpolate')
                  ? 'Waiting for the test digits…'
                  : 'Starts when it scrolls into view.'
              }
            </p>`
      }
    </figure>`;
  }

  private renderDraw() {
    const d = this.draw;
    const pca = this.hooks.pca();
    const ae = this.hooks.models().ae;
    const codes = ae && this.codesReady.get(ae.modelId);
    const mse = (r: Rebuilt | undefined) => (r ? `MSE ${r.mse.toFixed(4)}` : '…');
    return html`<figure part="figure" data-figure="draw">
      <figcaption>Draw a digit</figcaption>
      <div class="draw">
        <div class="pad-box">
          <canvas
            class="pad"
            data-pad
            width=${PAD_SIZE}
            height=${PAD_SIZE}
            role="img"
            aria-label="Drawing pad: draw a digit with a mouse, pen or finger, or put a test digit on it with the controls below"
          ></canvas>
          <div class="controls">
            <button type="button" data-action="clear" @click=${this.onClear}>Clear</button>
            ${this.testDigitInput('Test digit #', 'draw-index', this.drawIndex, this.onDrawIndex)}
            <button type="button" data-action="use-digit" @click=${this.onUseDigit}>
              Put it on the pad
            </button>
          </div>
        </div>
        <div class="where">
          <div>
            <span class="label">On PC1–PC2</span>
            <div
              class="mini"
              data-chart="draw-pca"
              role="img"
              aria-label="The digits on PC1 and PC2, yours marked with a ring"
            ></div>
          </div>
          <div>
            <span class="label">In the autoencoder's z1–z2</span>
            ${
              ae
                ? html`<div
                    class="mini"
                    data-chart="draw-latent"
                    role="img"
                    aria-label="The test digits' codes on z1 and z2, yours marked with a ring"
                  ></div>`
                : nothing
            }
            ${codes ? nothing : html`<span class="summary">${ae ? 'Encoding the test digits…' : 'Waiting for the autoencoder…'}</span>`}
          </div>
          <ul class="legend" aria-label="Colour per digit in both scatters">
            ${DIGIT_COLORS.map(
              (c, d) => html`<li><span ${cssProps({ background: c })}></span>${d}</li>`,
            )}
          </ul>
        </div>
      </div>
      ${this.renderError('draw')}
      ${
        d
          ? html`<ul class="rebuilt">
              <li>
                <canvas
                  data-digits="draw-input"
                  role="img"
                  aria-label="Your digit, centred like MNIST's"
                ></canvas>
                <span>Yours, centred<br />28 × 28</span>
              </li>
              <li>
                <canvas
                  data-digits="draw-pca"
                  role="img"
                  aria-label="PCA's reconstruction"
                ></canvas>
                <span>PCA, ${d.pca?.k ?? PCA_K} components<br />${mse(d.pca)}</span>
              </li>
              <li>
                <canvas
                  data-digits="draw-ae"
                  role="img"
                  aria-label="The autoencoder's reconstruction"
                ></canvas>
                <span>Autoencoder<br />${mse(d.ae)}</span>
              </li>
              <li>
                <canvas
                  data-digits="draw-vae"
                  role="img"
                  aria-label="The VAE's reconstruction"
                ></canvas>
                <span>VAE<br />${mse(d.vae)}</span>
              </li>
            </ul>`
          : nothing
      }
      <p class="summary" data-summary="draw" aria-live="polite">
        ${d ? this.drawSummary(d) : pca ? "Draw a digit on the pad, or put a test digit on it: it is centred the way MNIST's digits were, then placed among the test digits and rebuilt by PCA, the autoencoder and the VAE." : 'Waiting for the PCA…'}
      </p>
    </figure>`;
  }

  private drawSummary(d: DrawResult): string {
    const parts: string[] = [];
    const p = d.pca;
    if (p) {
      const m = majority(p.labels, p.near);
      const set = p.test ? 'test digits' : 'digits';
      const first = p.near[0];
      parts.push(
        `Your digit lands ${2 * m.count > p.near.length ? 'among' : 'mostly near'} the ${m.label}s on PC1–PC2: ${m.count} of its ${p.near.length} nearest ${set} there are ${m.label}s; the nearest is a ${p.labels[first]} (#${first}).`,
      );
    }
    const a = d.ae;
    if (a?.near !== undefined && d.testLabels) {
      parts.push(
        `With all ${a.latentSize} numbers of the autoencoder's code, its nearest test digit is a ${d.testLabels[a.near]} (#${a.near}).`,
      );
    }
    const scores = [
      p && `${p.mse.toFixed(4)} by PCA (${p.k} components)`,
      a && `${a.mse.toFixed(4)} by the autoencoder`,
      d.vae && `${d.vae.mse.toFixed(4)} by the VAE`,
    ].filter(Boolean);
    if (scores.length) parts.push(`Rebuilt with MSE ${scores.join(', ')}.`);
    return parts.join(' ');
  }
}
