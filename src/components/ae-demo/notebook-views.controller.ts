import { paintSlot } from '../charts/paint-queue.ts';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type uPlot from 'uplot';
import { AeError } from '../../core/errors.ts';
import { DIGIT_COLORS } from '../../core/settings.ts';
import { shortUrl } from '../../core/short-url.ts';
import type { DatasetSummary, FloatImages, WorkerBridge } from '../../worker/bridge.ts';
import type { NearestPoint } from '../charts/charts.ts';
import { chartsOr, type Charts } from '../charts/load.ts';
import { themeSignature } from '../charts/theme.ts';
import {
  SCATTER_KEYS_HELP,
  describePoint,
  formatCoordinate,
  pointInBox,
  scatterKeyStep,
} from '../charts/scatter-keys.ts';
import { cssProps } from './css-props.ts';
import { bundledData } from './default-data.ts';
import { drawDigits } from './digits.ts';
import { compareSentence, type CompareTable } from '../compare/compare-table.ts';
import type { AeDemoHooks, TestCodes } from './host.ts';
import type { ActiveModel, ActiveModels } from './models.controller.ts';
import { errorDetail, inSentence, number, type ErrorDetail } from './words.ts';

/** What the latent scatter's selects choose. */
type LatentKind = 'ae' | 'vae';

/** One result fetched from the worker (or the network), shared by the figures that use it. */
interface Entry {
  value?: unknown;
  error?: ErrorDetail;
}

/** A point of a scatter under the pointer or chosen with the keyboard, placed in its figure. */
interface Pick {
  index: number;
  left: number;
  top: number;
  /** Chosen with the keyboard (announced, and marked on the plot). */
  keyed: boolean;
}

interface LatentPlot {
  chart: uPlot;
  nearest: NearestPoint;
  /** The plotted points, n × 2 interleaved, for the keyboard. */
  xy: Float32Array;
  /** What is drawn: model id and dimensions. */
  signature: string;
  /** The colours it was drawn in ({@link themeSignature}). */
  theme: string;
}

/** The test digits the side-by-side grid shows (the first ten, as in the notebook). */
const SHOWN = Array.from({ length: 10 }, (_, i) => i);
const HOVER_RADIUS = 12;
const CHART_HEIGHT = 260;

/**
 * The notebook's model figures beyond training: PCA, AE and VAE
 * reconstructions side by side, the latent scatter and AE vs PCA by latent
 * size. Everything it computes runs in the worker (through the hooks'
 * bridge); it only creates results there, never models, so it disposes
 * nothing but its charts.
 */
export class NotebookViewsController implements ReactiveController {
  private lifetime = new AbortController();
  /** Results by what they are ("mse:<modelId>", "codes:<modelId>", …), started once each. */
  private cache = new Map<string, Entry>();
  private models: ActiveModels | undefined;
  private reported = new WeakSet<Entry>();

  private latentKind: LatentKind = 'vae';
  private latentDims: [number, number] = [0, 1];
  /** Whether the latent figure came into view: encoding 10,000 digits waits for it. */
  private latentSeen = false;
  private latentPlot: LatentPlot | undefined;
  private latentPick: Pick | undefined;
  private latentDigitDrawn = -1;
  private spans = new WeakMap<TestCodes, Map<number, string>>();
  private compareChart: { chart: uPlot; signature: string; theme: string } | undefined;
  private chartGeneration = 0;
  private drawing = new Set<string>();
  private drawn = new WeakMap<HTMLCanvasElement, unknown>();
  private intersection: IntersectionObserver | undefined;
  /** The box the intersection observer watches (the figure is re-created when views change). */
  private watched: Element | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private hoverFrame = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly hooks: AeDemoHooks,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    this.intersection?.disconnect();
    this.intersection = undefined;
    this.watched = undefined;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    cancelAnimationFrame(this.hoverFrame);
    this.chartGeneration++;
    this.drawing.clear();
    this.latentPlot?.chart.destroy();
    this.latentPlot = undefined;
    this.compareChart?.chart.destroy();
    this.compareChart = undefined;
    // A reconnected element may get a new worker: nothing fetched from this one holds.
    this.cache.clear();
    this.models = undefined;
    this.latentSeen = false;
    this.latentPick = undefined;
    this.latentDigitDrawn = -1;
  }

  /** Before each render: start what the shown figures need. */
  hostUpdate(): void {
    const models = this.hooks.models();
    if (models !== this.models) this.onModelsChanged(models);
    if (!this.active()) return;
    const { testKey, ae, vae } = models;
    if (this.hooks.shown('compare')) {
      this.fetch('compare', async () => {
        const url = new URL('../../../pretrained/compare.json', import.meta.url);
        const response = await fetch(url, { signal: this.lifetime.signal });
        if (!response.ok) {
          throw new AeError(
            'DATA_FETCH_FAILED',
            `Could not load ${shortUrl(url)}: HTTP ${response.status}.`,
          );
        }
        return (await response.json()) as CompareTable;
      });
      if (testKey && ae && ae.source !== 'pretrained') this.fetchMse(ae.modelId, testKey);
    }
    if (!testKey) return;
    this.fetch('test', (signal) =>
      this.run((bridge) => bridge.loadDataset(signal, bundledData('test'))),
    );
    if (this.hooks.shown('reconstructions')) {
      this.fetch(`originals:${testKey}`, (signal) =>
        this.run((bridge) => bridge.images(signal, testKey, SHOWN)),
      );
      const pcaGrid = this.pcaGrid();
      if (pcaGrid) {
        const originals = this.value<Uint8Array>(`originals:${testKey}`);
        if (originals) {
          this.fetch(pcaGrid.key, (signal) =>
            this.run((bridge) => bridge.pcaImages(signal, pcaGrid.pcaKey, originals, pcaGrid.k)),
          );
        }
      }
      for (const model of [ae, vae]) {
        if (!model) continue;
        this.fetch(`recon:${model.modelId}`, (signal) =>
          this.run((bridge) => bridge.reconstruct(signal, model.modelId, testKey, SHOWN)),
        );
        this.fetchMse(model.modelId, testKey);
      }
    }
    if (this.hooks.shown('latent') && this.latentSeen) {
      const model = this.latentModel();
      if (model) {
        this.fetch(`codes:${model.modelId}`, () => this.hooks.testCodes(model.modelId));
      }
    }
  }

  /** After each render: paint the digit grids, and create or redraw the charts. */
  hostUpdated(): void {
    this.drawGrids();
    this.observe();
    void this.syncLatentChart();
    void this.syncCompareChart();
    void this.drawLatentDigit();
  }

  private onModelsChanged(models: ActiveModels): void {
    this.models = models;
    // Results of models no longer shown go: a retrained AE replaces the last one.
    const ids = new Set([models.ae?.modelId, models.vae?.modelId]);
    for (const key of [...this.cache.keys()]) {
      const [kind, id] = key.split(/:(.*)/s);
      if (['recon', 'mse', 'codes'].includes(kind) && !ids.has(id)) this.cache.delete(key);
    }
  }

  /** Whether to show the section: once the PCA or the models are under way. */
  private active(): boolean {
    return this.hooks.pca() !== undefined || this.hooks.models().testKey !== undefined;
  }

  private run<T>(task: (bridge: WorkerBridge) => Promise<T>): Promise<T> {
    const bridge = this.hooks.bridge();
    if (!bridge) return Promise.reject(new AeError('ABORTED', 'The element left the page.'));
    return task(bridge);
  }

  /** Starts `work` once under `key`; the host re-renders when it settles. */
  private fetch<T>(key: string, work: (signal: AbortSignal) => Promise<T>): void {
    if (this.cache.has(key)) return;
    const entry: Entry = {};
    this.cache.set(key, entry);
    const { signal } = this.lifetime;
    work(signal).then(
      (value) => {
        if (this.cache.get(key) !== entry) return;
        entry.value = value;
        this.host.requestUpdate();
      },
      (error: unknown) => {
        if (signal.aborted || this.cache.get(key) !== entry) return;
        entry.error = errorDetail(error);
        this.host.requestUpdate();
      },
    );
  }

  private fetchMse(modelId: string, testKey: string): void {
    this.fetch(`mse:${modelId}`, (signal) =>
      this.run((bridge) => bridge.mse(signal, modelId, testKey)),
    );
  }

  private value<T>(key: string): T | undefined {
    return this.cache.get(key)?.value as T | undefined;
  }

  /** The first error among `keys`, fired once as `ae-error`. */
  private errorOf(...keys: string[]): ErrorDetail | undefined {
    for (const key of keys) {
      const entry = this.cache.get(key);
      if (!entry?.error) continue;
      if (!this.reported.has(entry)) {
        this.reported.add(entry);
        const detail = entry.error;
        queueMicrotask(() => this.hooks.emit('ae-error', detail));
      }
      return entry.error;
    }
    return undefined;
  }

  /** PCA's grid: k = the AE's latent size, capped at the components the PCA has. */
  private pcaGrid(): { key: string; pcaKey: string; k: number } | undefined {
    const pca = this.hooks.pca();
    const ae = this.hooks.models().ae;
    if (!pca || !ae) return undefined;
    const k = Math.max(1, Math.min(ae.latentSize, pca.result.components));
    const pcaKey = pca.dataset.key;
    return { key: `pca:${pcaKey}:${k}`, pcaKey, k };
  }

  private latentModel(): ActiveModel | undefined {
    const { ae, vae } = this.hooks.models();
    return this.latentKind === 'vae' ? (vae ?? ae) : (ae ?? vae);
  }

  private testSummary(): DatasetSummary | undefined {
    return this.value<DatasetSummary>('test');
  }

  render() {
    if (!this.active()) return nothing;
    const views = (['reconstructions', 'latent', 'compare'] as const).filter((v) =>
      this.hooks.shown(v),
    );
    if (views.length === 0) return nothing;
    return html`<section class="notebook" data-notebook aria-labelledby="notebook-title">
      <h2 id="notebook-title">PCA, autoencoder and VAE side by side</h2>
      <div class="figures">
        ${views.includes('reconstructions') ? this.renderReconstructions() : nothing}
        ${views.includes('latent') ? this.renderLatent() : nothing}
        ${views.includes('compare') ? this.renderCompare() : nothing}
      </div>
    </section>`;
  }

  private errorBox(error: ErrorDetail | undefined) {
    return error
      ? html`<div class="error" role="alert">
          <strong>Could not draw this figure.</strong>${error.message}
        </div>`
      : nothing;
  }

  private renderReconstructions() {
    const { testKey, ae, vae } = this.hooks.models();
    const pca = this.hooks.pca();
    const grid = this.pcaGrid();
    const originals = testKey ? this.value<Uint8Array>(`originals:${testKey}`) : undefined;
    const test = this.testSummary();
    const error = this.errorOf(
      'test',
      `originals:${testKey}`,
      grid?.key ?? '',
      `recon:${ae?.modelId}`,
      `recon:${vae?.modelId}`,
      `mse:${ae?.modelId}`,
      `mse:${vae?.modelId}`,
    );
    const mseText = (model: ActiveModel | undefined) => {
      const mse = model && this.value<number>(`mse:${model.modelId}`);
      return mse === undefined ? 'scoring…' : mse.toFixed(4);
    };
    const pcaMse =
      grid && pca
        ? pca.isTestSet
          ? pca.result.reconstructionMse[grid.k - 1].toFixed(4)
          : 'not scored (fitted on other digits)'
        : '…';
    const row = (name: string, label: string, attrs: { source?: string }, ready: boolean) =>
      html`<span>${label}</span> ${
          ready
            ? html`<canvas
                data-digits=${name}
                data-source=${attrs.source ?? nothing}
                role="img"
                aria-label="${label}: the first ${SHOWN.length} test digits"
              ></canvas>`
            : html`<span class="pending">Loading…</span>`
        }`;
    const count = test ? number(test.count) : '…';
    return html`<figure part="figure" data-figure="reconstructions">
      <figcaption>
        The same ${SHOWN.length} test digits rebuilt by PCA, the autoencoder and the VAE
      </figcaption>
      ${
        testKey
          ? html`<div class="digits">
              ${row('originals', 'Original', {}, !!originals)}
              ${grid ? row('pca', `PCA, ${grid.k} components`, {}, !!this.value(grid.key)) : nothing}
              ${ae ? row('ae', ae.label, { source: ae.source }, !!this.value(`recon:${ae.modelId}`)) : nothing}
              ${vae ? row('vae', `${vae.label} (from μ)`, { source: vae.source }, !!this.value(`recon:${vae.modelId}`)) : nothing}
            </div>`
          : html`<p class="pending">Loading the shipped models…</p>`
      }
      ${this.errorBox(error)}
      <p class="summary" data-summary="reconstructions">
        Test MSE per pixel over the ${count} test digits: PCA with ${grid?.k ?? '…'} components
        ${pcaMse}, ${ae ? inSentence(ae.label) : 'the autoencoder'} ${mseText(ae)},
        ${vae ? inSentence(vae.label) : 'the VAE'} (from μ) ${mseText(vae)}; lower is better.
      </p>
    </figure>`;
  }

  private drawGrids(): void {
    const root = this.host.renderRoot.querySelector('[data-notebook]');
    const { testKey, ae, vae } = this.hooks.models();
    if (!root || !testKey) return;
    const rows = 28;
    const cols = 28;
    const grid = { count: SHOWN.length, rows, cols, columns: SHOWN.length };
    const draw = (name: string, data: Uint8Array | Float32Array | undefined) => {
      const canvas = root.querySelector<HTMLCanvasElement>(`canvas[data-digits="${name}"]`);
      if (!canvas || !data || this.drawn.get(canvas) === data) return;
      drawDigits(canvas, data, grid);
      this.drawn.set(canvas, data);
    };
    draw('originals', this.value<Uint8Array>(`originals:${testKey}`));
    const pcaGrid = this.pcaGrid();
    if (pcaGrid) {
      draw('pca', this.value<{ reconstructions: Float32Array }>(pcaGrid.key)?.reconstructions);
    }
    if (ae) draw('ae', this.value<FloatImages>(`recon:${ae.modelId}`)?.pixels);
    if (vae) draw('vae', this.value<FloatImages>(`recon:${vae.modelId}`)?.pixels);
  }

  private renderLatent() {
    const { ae, vae } = this.hooks.models();
    const model = this.latentModel();
    const codes = model ? this.value<TestCodes>(`codes:${model.modelId}`) : undefined;
    const size = model?.latentSize ?? 0;
    const [dx, dy] = this.latentDims.map((d) => Math.min(d, Math.max(0, size - 1)));
    const error = this.errorOf('test', model ? `codes:${model.modelId}` : '');
    const dims = Array.from({ length: size }, (_, i) => i);
    const pick = this.latentPick;
    const test = this.testSummary();
    const axis = (d: number) => `z${d + 1}`;
    const range = (d: number) => (codes ? `${axis(d)} spans ${this.spanOf(codes, d)}` : '');
    const select = (name: string, label: string, value: number, onChange: (v: number) => void) =>
      html`<label
        >${label}
        <select
          data-control=${name}
          .value=${String(value)}
          @change=${(e: Event) => onChange(Number((e.target as HTMLSelectElement).value))}
        >
          ${dims.map((d) => html`<option value=${d} ?selected=${d === value}>${axis(d)}</option>`)}
        </select></label
      >`;
    return html`<figure part="figure" data-figure="latent">
      <figcaption>Latent space of the test digits</figcaption>
      <div class="controls">
        <label
          >Model
          <select data-control="latent-model" @change=${this.onLatentModel}>
            ${ae ? html`<option value="ae" ?selected=${model === ae}>Autoencoder</option>` : nothing}
            ${vae ? html`<option value="vae" ?selected=${model === vae}>VAE (μ)</option>` : nothing}
          </select></label
        >
        ${select('latent-x', 'Horizontal', dx, (v) => this.setDims([v, dy]))}
        ${select('latent-y', 'Vertical', dy, (v) => this.setDims([dx, v]))}
      </div>
      <div
        class="chart"
        data-scatter="latent"
        tabindex="0"
        role="application"
        aria-roledescription="scatter plot"
        aria-label="Test digits on latent dimensions ${axis(dx)} and ${axis(dy)}, coloured by label. ${SCATTER_KEYS_HELP}"
        @pointermove=${this.onLatentMove}
        @pointerleave=${this.onLatentLeave}
        @keydown=${this.onLatentKey}
        @blur=${this.onLatentBlur}
      ></div>
      ${
        pick
          ? html`<span
                class="scatter-mark"
                ?hidden=${!pick.keyed}
                ${cssProps({ left: `${pick.left}px`, top: `${pick.top}px` })}
              ></span>
              <div
                class="tooltip"
                data-latent-tooltip
                ${cssProps({ left: `${pick.left + 14}px`, top: `${pick.top + 14}px` })}
              >
                <canvas width="28" height="28" aria-hidden="true"></canvas>
                <span>digit ${test?.labels[pick.index]} · #${pick.index}</span>
              </div>`
          : nothing
      }
      <p class="selection" data-live="latent" aria-live="polite">
        ${
          pick?.keyed && codes && test
            ? describePoint(
                test.labels[pick.index],
                pick.index,
                [axis(dx), axis(dy)],
                codes.codes[pick.index * codes.latentSize + dx],
                codes.codes[pick.index * codes.latentSize + dy],
              )
            : 'Focus the plot and use the arrow keys to step through the digits.'
        }
      </p>
      <ul class="legend" aria-label="Colour per digit">
        ${DIGIT_COLORS.map((c, d) => html`<li><span ${cssProps({ background: c })}></span>${d}</li>`)}
      </ul>
      ${this.errorBox(error)}
      <p class="summary" data-summary="latent">
        ${
          model && codes && test
            ? `${number(codes.count)} test digits on dimensions ${dx + 1} and ${dy + 1} of ` +
              `${inSentence(model.label)}'s ${size}-D latent space${model.kind === 'vae' ? ' (μ)' : ''}: ` +
              `${range(dx)}, ${range(dy)}.`
            : model
              ? this.latentSeen
                ? `Encoding the test digits with ${inSentence(model.label)}…`
                : 'The digits are encoded when this figure comes into view.'
              : 'Loading the shipped models…'
        }
      </p>
    </figure>`;
  }

  /** "−3.64 to 3.69": the range of latent dimension `d` over the test digits (computed once). */
  private spanOf(codes: TestCodes, d: number): string {
    let spans = this.spans.get(codes);
    if (!spans) this.spans.set(codes, (spans = new Map()));
    let span = spans.get(d);
    if (span === undefined) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < codes.count; i++) {
        const v = codes.codes[i * codes.latentSize + d];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      span = `${formatCoordinate(lo)} to ${formatCoordinate(hi)}`;
      spans.set(d, span);
    }
    return span;
  }

  private onLatentModel = (event: Event) => {
    this.latentKind = (event.target as HTMLSelectElement).value as LatentKind;
    this.latentPick = undefined;
    this.host.requestUpdate();
  };

  private setDims(dims: [number, number]): void {
    this.latentDims = dims;
    this.latentPick = undefined;
    this.host.requestUpdate();
  }

  /** The latent points of the chosen model and dimensions, n × 2, once encoded. */
  private latentPoints(): { xy: Float32Array; signature: string } | undefined {
    const model = this.latentModel();
    if (!model) return undefined;
    const codes = this.value<TestCodes>(`codes:${model.modelId}`);
    if (!codes) return undefined;
    const size = codes.latentSize;
    const [dx, dy] = this.latentDims.map((d) => Math.min(d, size - 1));
    const signature = `${model.modelId}:${dx}:${dy}`;
    if (this.latentPlot?.signature === signature) return { xy: this.latentPlot.xy, signature };
    const xy = new Float32Array(2 * codes.count);
    for (let i = 0; i < codes.count; i++) {
      xy[2 * i] = codes.codes[i * size + dx];
      xy[2 * i + 1] = codes.codes[i * size + dy];
    }
    return { xy, signature };
  }

  private chartBox(figure: string): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(
      `[data-notebook] [data-figure="${figure}"] .chart`,
    );
  }

  /** Watches the latent figure: it is encoded once seen; charts follow their box's width. */
  private observe(): void {
    const latent = this.chartBox('latent');
    if (latent && !this.latentSeen && this.watched !== latent) {
      this.intersection?.disconnect();
      this.watched = latent;
      this.intersection = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.latentSeen = true;
        this.intersection?.disconnect();
        this.intersection = undefined;
        this.host.requestUpdate();
      });
      this.intersection.observe(latent);
    }
    this.resizeObserver ??= new ResizeObserver(() => {
      for (const chart of [this.latentPlot?.chart, this.compareChart?.chart]) {
        const box = chart?.root.parentElement;
        if (chart && box && box.clientWidth > 0 && Math.abs(box.clientWidth - chart.width) > 1) {
          chart.setSize({ width: Math.max(200, box.clientWidth), height: chart.height });
        }
      }
    });
  }

  /** Creates one chart in its box, on an animation frame, unless a newer draw took over. */
  private async draw<T extends { chart: uPlot }>(
    name: string,
    box: HTMLElement,
    make: (charts: Charts, width: number) => T,
    keep: (made: T) => void,
  ): Promise<void> {
    if (this.drawing.has(name)) return;
    this.drawing.add(name);
    const generation = this.chartGeneration;
    try {
      // uPlot loads with the first figure, not with the page.
      const charts = await chartsOr((error) => {
        if (generation === this.chartGeneration) this.hooks.chartFailed(box, error);
      });
      if (!charts) return;
      await paintSlot();
      if (generation !== this.chartGeneration || !box.isConnected) return;
      keep(make(charts, Math.max(200, box.clientWidth)));
      this.resizeObserver?.observe(box);
    } finally {
      this.drawing.delete(name);
    }
    // What changed while it was drawing gets drawn next.
    this.host.requestUpdate();
  }

  private async syncLatentChart(): Promise<void> {
    const box = this.chartBox('latent');
    const plot = this.latentPlot;
    if (plot && (!box || plot.chart.root.parentElement !== box)) {
      plot.chart.destroy();
      this.latentPlot = undefined;
    }
    const test = this.testSummary();
    const points = this.latentPoints();
    if (!box || !points || !test) return;
    // The same points in the same colours: nothing to draw (a new colour scheme draws again).
    const drawn = this.latentPlot;
    if (drawn?.signature === points.signature && drawn.theme === themeSignature(this.hooks.theme()))
      return;
    const [dx, dy] = points.signature.split(':').slice(-2).map(Number);
    await this.draw(
      'latent',
      box,
      (charts, width) => {
        const theme = this.hooks.theme();
        const { chart, nearest } = charts.scatterChart(box, {
          xy: points.xy,
          labels: test.labels,
          xLabel: `z${dx + 1}`,
          yLabel: `z${dy + 1}`,
          width,
          height: CHART_HEIGHT,
          theme,
        });
        const look = themeSignature(theme);
        return { chart, nearest, xy: points.xy, signature: points.signature, theme: look };
      },
      (made) => {
        this.latentPlot?.chart.destroy();
        this.latentPlot = made;
        box.dataset.drawn = made.signature;
        box.dataset.theme = made.theme;
      },
    );
  }

  private onLatentMove = (event: PointerEvent) => {
    const x = event.clientX;
    const y = event.clientY;
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      const plot = this.latentPlot;
      if (!plot) return;
      const over = plot.chart.over.getBoundingClientRect();
      const index = plot.nearest(plot.chart, x - over.left, y - over.top, HOVER_RADIUS);
      if (index < 0) {
        if (this.latentPick && !this.latentPick.keyed) this.setLatentPick(undefined);
        return;
      }
      if (this.latentPick?.index === index && !this.latentPick.keyed) return;
      const figure = plot.chart.root.closest('figure')!.getBoundingClientRect();
      this.setLatentPick({ index, left: x - figure.left, top: y - figure.top, keyed: false });
    });
  };

  private onLatentLeave = () => {
    cancelAnimationFrame(this.hoverFrame);
    if (this.latentPick && !this.latentPick.keyed) this.setLatentPick(undefined);
  };

  private onLatentKey = (event: KeyboardEvent) => {
    const plot = this.latentPlot;
    if (!plot) return;
    const current = this.latentPick?.keyed ? this.latentPick.index : -1;
    const next = scatterKeyStep(plot.xy, current, event.key, event.shiftKey);
    if (next === undefined) return;
    event.preventDefault();
    if (next === null || next < 0) {
      this.setLatentPick(undefined);
      return;
    }
    const figure = plot.chart.root.closest('figure')!;
    const at = pointInBox(plot.chart, plot.xy[2 * next], plot.xy[2 * next + 1], figure);
    this.setLatentPick({ index: next, ...at, keyed: true });
  };

  private onLatentBlur = () => {
    if (this.latentPick?.keyed) this.setLatentPick(undefined);
  };

  private setLatentPick(pick: Pick | undefined): void {
    this.latentPick = pick;
    this.latentDigitDrawn = -1;
    this.host.requestUpdate();
  }

  /** The picked digit's pixels, from the worker, into the tooltip. */
  private async drawLatentDigit(): Promise<void> {
    const pick = this.latentPick;
    const testKey = this.hooks.models().testKey;
    if (!pick || !testKey || this.latentDigitDrawn === pick.index) return;
    this.latentDigitDrawn = pick.index;
    try {
      const pixels = await this.run((bridge) =>
        bridge.image(this.lifetime.signal, testKey, pick.index),
      );
      if (this.latentPick?.index !== pick.index) return;
      const canvas = this.host.renderRoot.querySelector<HTMLCanvasElement>(
        '[data-latent-tooltip] canvas',
      );
      if (!canvas) return;
      drawDigits(canvas, pixels, { count: 1, rows: 28, cols: 28, columns: 1 });
      canvas.dataset.drawn = String(pick.index);
    } catch {
      // The element left the page or the digit went stale: nothing to show.
    }
  }

  private renderCompare() {
    const table = this.value<CompareTable>('compare');
    const { ae } = this.hooks.models();
    const pca = this.hooks.pca();
    const error = this.errorOf(
      'compare',
      ae && ae.source !== 'pretrained' ? `mse:${ae.modelId}` : '',
    );
    const sentences: string[] = [];
    if (table) {
      sentences.push(compareSentence(table));
      const live = pca?.isTestSet ? pca.result.reconstructionMse : undefined;
      const last = table.rows.filter((r) => live && r.k <= live.length).pop();
      if (live && last) {
        sentences.push(
          `This page's PCA of the test digits (rings) gives ${live[last.k - 1].toFixed(4)} at ` +
            `k = ${last.k}; the table has ${last.pcaMse.toFixed(4)}.`,
        );
      }
      const mine = this.readerPoint();
      if (ae && mine) {
        const row = table.rows.find((r) => r.k === mine.k);
        sentences.push(
          `${ae.label} (k = ${mine.k}, the filled point): test MSE ${mine.mse.toFixed(4)}` +
            (row
              ? `, against ${row.aeMse.toFixed(4)} for the table's autoencoder and ${row.pcaMse.toFixed(4)} for PCA.`
              : '.'),
        );
      } else if (ae && ae.source !== 'pretrained') {
        sentences.push(`Scoring ${inSentence(ae.label)} on the test digits…`);
      }
    }
    return html`<figure part="figure" data-figure="compare">
      <figcaption>Autoencoder vs PCA: test error by latent size</figcaption>
      <div
        class="chart"
        role="img"
        aria-label="Test mean squared error of the autoencoder and of PCA against latent size k"
      ></div>
      <ul class="legend" aria-label="Lines">
        <li><span ${cssProps({ background: 'var(--ae-demo-accent)' })}></span>autoencoder</li>
        <li><span ${cssProps({ background: DIGIT_COLORS[1] })}></span>PCA (dashed)</li>
        ${
          pca?.isTestSet
            ? html`<li>
                <span class="ring" ${cssProps({ 'border-color': DIGIT_COLORS[1] })}></span>this
                page's PCA
              </li>`
            : nothing
        }
        ${
          this.readerPoint()
            ? html`<li>
                <span ${cssProps({ background: DIGIT_COLORS[2] })}></span>your autoencoder
              </li>`
            : nothing
        }
      </ul>
      ${this.errorBox(error)}
      <p class="summary" data-summary="compare">
        ${table ? sentences.join(' ') : 'Loading the measured table…'}
      </p>
    </figure>`;
  }

  /** The reader's own autoencoder (trained or opened here) at its latent size, once scored. */
  private readerPoint(): { k: number; mse: number } | undefined {
    const ae = this.hooks.models().ae;
    if (!ae || ae.source === 'pretrained') return undefined;
    const mse = this.value<number>(`mse:${ae.modelId}`);
    return mse === undefined ? undefined : { k: ae.latentSize, mse };
  }

  private async syncCompareChart(): Promise<void> {
    const box = this.chartBox('compare');
    const current = this.compareChart;
    if (current && (!box || current.chart.root.parentElement !== box)) {
      current.chart.destroy();
      this.compareChart = undefined;
    }
    const table = this.value<CompareTable>('compare');
    if (!box || !table) return;
    const pca = this.hooks.pca();
    const live = pca?.isTestSet ? pca.result.reconstructionMse : undefined;
    const mine = this.readerPoint();
    const signature = `${live ? live.length : 0}|${mine ? `${mine.k}:${mine.mse}` : ''}`;
    const drawn = this.compareChart;
    if (drawn?.signature === signature && drawn.theme === themeSignature(this.hooks.theme()))
      return;
    const ae = this.hooks.models().ae;
    await this.draw(
      'compare',
      box,
      (charts, width) => {
        const theme = this.hooks.theme();
        const ks = table.rows.map((r) => r.k);
        const chart = charts.linesChart(box, {
          x: ks,
          series: [
            { label: 'autoencoder', color: theme.accent, y: table.rows.map((r) => r.aeMse) },
            {
              label: 'PCA',
              color: DIGIT_COLORS[1],
              y: table.rows.map((r) => r.pcaMse),
              dash: true,
            },
            ...(live
              ? [
                  {
                    label: "this page's PCA",
                    color: DIGIT_COLORS[1],
                    y: ks.map((k) => (k <= live.length ? live[k - 1] : null)),
                    line: false,
                  },
                ]
              : []),
          ],
          xLabel: 'Latent size k',
          yLabel: 'Test MSE',
          yFormat: (v) => v.toFixed(3),
          highlight:
            mine && ae
              ? {
                  x: mine.k,
                  y: mine.mse,
                  label: `yours ${mine.mse.toFixed(4)}`,
                  color: DIGIT_COLORS[2],
                }
              : undefined,
          width,
          height: CHART_HEIGHT,
          theme,
        });
        return { chart, signature, theme: themeSignature(theme) };
      },
      (made) => {
        this.compareChart?.chart.destroy();
        this.compareChart = made;
        box.dataset.drawn = signature;
        box.dataset.theme = made.theme;
      },
    );
  }
}
