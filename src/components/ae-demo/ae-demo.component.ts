import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type uPlot from 'uplot';
import { AeError, codeLoadFailed, throwIfAborted } from '../../core/errors.ts';
import { DIGIT_COLORS, type NumericSetting, type TrainSettings } from '../../core/settings.ts';
import {
  WorkerBridge,
  type DataSource,
  type DatasetSummary,
  type PcaSummary,
  type TaskProgress,
} from '../../worker/bridge.ts';
import type { ChartTheme, NearestPoint } from '../charts/charts.ts';
import { chartsOr, showChartError } from '../charts/load.ts';
import { paintSlot } from '../charts/paint-queue.ts';
import { themeSignature } from '../charts/theme.ts';
import {
  SCATTER_KEYS_HELP,
  describePoint,
  pointInBox,
  scatterKeyStep,
} from '../charts/scatter-keys.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { aeDemoStyles } from './ae-demo.styles.ts';
import { cssProps } from './css-props.ts';
import { bundledData, type BundledSplit } from './default-data.ts';
import type { AeDemoHooks, TestCodes } from './host.ts';
import { ModelsController } from './models.controller.ts';
import type { NotebookViewsController } from './notebook-views.controller.ts';
import { notebookViewsStyles } from './notebook-views.styles.ts';
import type { PlayController } from './play.controller.ts';
import { playStyles } from './play.styles.ts';
import { SETTING_ATTRIBUTES, checkMethod, checkPreset, checkSetting } from './train-settings.ts';
import { parseViews, type ViewName } from './views.ts';
import { errorDetail } from './words.ts';

/** What the element is doing, shown in words. */
export type AeDemoPhase = 'idle' | 'loading' | 'computing' | 'ready' | 'cancelled' | 'error';

/** `detail` of the `ae-progress` event. */
export interface AeProgressDetail {
  phase: AeDemoPhase;
  stage: TaskProgress['stage'];
  fraction: number;
}

/** `detail` of the `ae-error` event. */
export interface AeErrorDetail {
  code: string;
  message: string;
}

/** `detail` of the `ae-ready` event. */
export interface AeReadyDetail {
  samples: number;
  componentsFor90: number;
  varianceAt90: number;
  timingsMs: PcaSummary['timingsMs'];
  kernel: PcaSummary['kernel'];
}

const STAGE_WORDS: Record<TaskProgress['stage'], string> = {
  download: 'Loading the digits',
  gram: 'Computing the covariance matrix',
  spectrum: 'Computing all eigenvalues',
  eigenvectors: 'Finding the leading components (power iteration)',
  projection: 'Projecting the digits',
};

const SCATTER_HOVER_RADIUS = 12;

/** The PCA figures' charts, in the order they are drawn. */
const CHART_NAMES = ['variance', 'scatter', 'mse'] as const;
type ChartName = (typeof CHART_NAMES)[number];

const percent = (v: number, digits = 2) => `${(100 * v).toFixed(digits)} %`;

/**
 * PCA vs autoencoders on MNIST, computed live in a web worker (WebAssembly).
 * Shows the cumulative variance curve, the PC1–PC2 scatter of the test digits
 * (hover a point to see its digit) and PCA reconstruction error against the
 * number of components. Then, without holding those up, the shipped (or the
 * author's) autoencoder's reconstructions and VAE's samples, and a panel that
 * trains an autoencoder or a VAE in the worker with the reader's settings
 * (method, latent size, epochs, training digits, seed), a progress bar and a
 * live loss curve, saves the model shown in this browser or downloads it, and
 * loads either back.
 *
 * An attribute with an invalid value is an error in words naming the valid
 * values (code BAD_ARGUMENT), shown in the element and fired as `ae-error`;
 * its setting keeps its default.
 *
 * @fires ae-progress - Loading or computing the PCA progressed. `detail`: AeProgressDetail.
 * @fires ae-ready - The PCA figures are drawn. `detail`: AeReadyDetail.
 * @fires ae-error - An attribute is invalid, or loading, computing, training or opening a model failed. `detail`: AeErrorDetail.
 * @fires ae-train-progress - Training progressed; at most once per animation frame. `detail`: AeTrainProgressDetail.
 * @fires ae-train-epoch - A training epoch finished. `detail`: AeTrainEpochDetail.
 * @fires ae-trained - Training finished and the model is scored; says which kind. `detail`: AeTrainedDetail.
 *
 * @csspart base - The element's box.
 * @csspart status - The line of text saying what the PCA is doing.
 * @csspart progress - The progress bars.
 * @csspart error - The PCA's error box.
 * @csspart settings-error - The box listing invalid attributes.
 * @csspart figure - Each figure (chart, caption and summary).
 * @csspart models - The autoencoder section.
 * @csspart models-error - The error box of the shipped models.
 * @csspart train - The training controls, status and loss curve.
 * @csspart train-status - The line of text saying what training is doing.
 * @csspart train-settings - The training settings: method, latent size, epochs, training digits, seed.
 * @csspart train-error - The training error box.
 * @csspart open-error - The error box of a saved or downloaded model that could not be opened.
 *
 * @cssproperty --ae-demo-fg - Text and axis colour.
 * @cssproperty --ae-demo-muted - Secondary text colour.
 * @cssproperty --ae-demo-bg - Background colour.
 * @cssproperty --ae-demo-grid - Grid line colour.
 * @cssproperty --ae-demo-accent - Line and highlight colour.
 * @cssproperty --ae-demo-error - Error colour.
 * @cssproperty --ae-demo-font - Font family.
 */
export class AeDemo extends LitElement {
  static override styles = [uplotStyles, aeDemoStyles, notebookViewsStyles, playStyles];

  static override properties = {
    split: {},
    dataSrc: { attribute: 'data-src' },
    labelsSrc: { attribute: 'labels-src' },
    components: { type: Number },
    trainPreset: { attribute: 'train-preset' },
    trainEpochs: { attribute: 'train-epochs', type: Number },
    method: {},
    latent: { type: Number },
    epochs: { type: Number },
    trainSize: { attribute: 'train-size', type: Number },
    seed: { type: Number },
    autostart: { type: Boolean },
    modelSrc: { attribute: 'model-src' },
    modelWeightsSrc: { attribute: 'model-weights-src' },
    views: {},
    attributeErrors: { state: true },
    phase: { state: true },
    progress: { state: true },
    errorInfo: { state: true },
    digits: { state: true },
    result: { state: true },
    hover: { state: true },
    viewsError: { state: true },
  };

  /** Which bundled set to analyse: `test` (10,000 images) or `train` (the first 12,000). */
  declare split: BundledSplit;
  /**
   * URL of the digits to analyse instead of the bundled MNIST test set, gzip
   * or plain: an idx3 image file (with `labels-src`), or a CSV file whose rows
   * are a label then 784 pixels 0..255 (Kaggle's mnist_train.csv layout, with
   * or without its header row), recognised by a `.csv` path or a text
   * Content-Type, which needs no `labels-src`.
   */
  declare dataSrc: string | undefined;
  /** URL of the idx1 label file that goes with an idx `data-src`. */
  declare labelsSrc: string | undefined;
  /** How many principal components the reconstruction-error figure goes up to (1..50). */
  declare components: number;
  /**
   * The training preset the settings start from: `quick` (default: 2,000
   * digits, 5 epochs, seconds), `web` (12,000 digits, 10 epochs) or
   * `notebook` (the notebook's: 50 epochs for the autoencoder, 20 for the VAE).
   */
  declare trainPreset: string;
  /** @deprecated Use `epochs`; read only when `epochs` is not set. */
  declare trainEpochs: number | undefined;
  /** What the training panel trains at first: `ae` (an autoencoder, default) or `vae`. */
  declare method: string | undefined;
  /** Latent size (bottleneck) of the model to train, 1..32; default the preset's (10). */
  declare latent: number | undefined;
  /** Epochs to train, 1..100; default the preset's. */
  declare epochs: number | undefined;
  /** Training digits, from the start of the 12,000 the element ships, 1..12000; default the preset's. */
  declare trainSize: number | undefined;
  /** Seed of the weights, the shuffling and the VAE's noise, 0..2147483647; default 1. */
  declare seed: number | undefined;
  /** Start training with the settings above as soon as the shipped models are shown. */
  declare autostart: boolean;
  /**
   * URL of the author's own model.json (a TF.js layers model saved by ae-demo:
   * its CLI, or "Download model"), shown instead of the shipped model of its
   * kind (autoencoder or VAE, read from the model's metadata).
   */
  declare modelSrc: string | undefined;
  /** URL of the weights file of `model-src`, when a bundler renamed the one its manifest names. */
  declare modelWeightsSrc: string | undefined;
  /**
   * Which views to show, separated by spaces: variance, scatter, mse,
   * reconstructions, samples, latent, compare, walk, interpolate, draw, train.
   * Empty or "all": every one.
   */
  declare views: string | undefined;

  declare private phase: AeDemoPhase;
  declare private attributeErrors: AeErrorDetail[];
  declare private progress: TaskProgress | undefined;
  declare private errorInfo: AeErrorDetail | undefined;
  declare private digits: DatasetSummary | undefined;
  declare private result: PcaSummary | undefined;
  declare private hover: { index: number; left: number; top: number } | undefined;

  private bridge: WorkerBridge | undefined;
  private controller: AbortController | undefined;
  private charts = new Map<ChartName, uPlot>();
  private chartGeneration = 0;
  private nearest: NearestPoint | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private hoverFrame = 0;
  private themeCache: ChartTheme | undefined;
  /** {@link testCodes} by model id, for as long as the element is on the page. */
  private codes = new Map<string, Promise<TestCodes>>();
  private codesLifetime = new AbortController();
  /** The reader's colour scheme: the charts read colours once, so a change draws them again. */
  private colorScheme: MediaQueryList | undefined;
  /** Whether `hover` was chosen with the keyboard (announced and ringed) rather than the pointer. */
  private scatterKeyed = false;
  /** What the figure controllers read from the element. */
  private readonly hooks: AeDemoHooks = {
    bridge: () => this.bridge,
    theme: () => this.theme(),
    emit: (type, detail) => this.emit(type, detail),
    chartFailed: (box, error) => this.chartFailed(box, error),
    shown: (view) => this.shown(view),
    pca: () =>
      this.result && this.digits
        ? {
            dataset: this.digits,
            result: this.result,
            isTestSet: !this.dataSrc && this.split === 'test',
          }
        : undefined,
    models: () => this.models.active,
    testCodes: (modelId) => this.testCodes(modelId),
    reducedMotion: () => matchMedia('(prefers-reduced-motion: reduce)').matches,
  };
  /** The valid training settings of the attributes (see checkAttributes). */
  private trainAttributes: Partial<TrainSettings> & { preset: string } = { preset: 'quick' };
  /** Messages of chart failures already fired, so each fires once per element. */
  private firedChartErrors = new Set<string>();
  /** Messages of attribute errors already fired, so each fires once. */
  private firedAttributeErrors = new Set<string>();
  private models = new ModelsController(this, {
    bridge: () => this.bridge,
    theme: () => this.theme(),
    emit: (type, detail) => this.emit(type, detail),
    chartFailed: (box, error) => this.chartFailed(box, error),
    shown: (view) => this.shown(view),
    trainSettings: () => this.trainAttributes,
    modelSource: () => {
      if (!this.modelSrc) return undefined;
      const base = document.baseURI;
      return {
        url: new URL(this.modelSrc, base).href,
        ...(this.modelWeightsSrc ? { weightsUrl: new URL(this.modelWeightsSrc, base).href } : {}),
      };
    },
    autostart: () => this.autostart,
  });
  private notebookViews: NotebookViewsController | undefined;
  private play: PlayController | undefined;
  private viewsCode: Promise<void> | undefined;
  declare private viewsError: AeErrorDetail | undefined;

  constructor() {
    super();
    this.components = 10;
    this.split = 'test';
    this.phase = 'idle';
    this.trainPreset = 'quick';
    this.autostart = false;
    this.attributeErrors = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.bridge = WorkerBridge.acquire();
    this.colorScheme = matchMedia('(prefers-color-scheme: dark)');
    this.colorScheme.addEventListener('change', this.onColorScheme);
    // After the first render, so that properties set right after the element was
    // added (el.components = 20; el.dataSrc = …) are the ones the first run reads.
    void this.updateComplete.then(() => {
      if (this.isConnected && !this.controller) void this.run();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.colorScheme?.removeEventListener('change', this.onColorScheme);
    this.colorScheme = undefined;
    this.themeCache = undefined;
    this.codesLifetime.abort();
    this.codesLifetime = new AbortController();
    this.codes.clear();
    cancelAnimationFrame(this.hoverFrame);
    this.scatterKeyed = false;
    this.controller?.abort();
    this.controller = undefined;
    this.destroyCharts();
    if (this.bridge) WorkerBridge.release(this.bridge);
    this.bridge = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const training = [
      'trainPreset',
      'trainEpochs',
      'method',
      'latent',
      'epochs',
      'trainSize',
      'seed',
    ] as const;
    if (!this.hasUpdated || training.some((k) => changed.has(k)) || changed.has('views')) {
      this.checkAttributes();
      // The author's new values win over what the reader chose before.
      if (this.hasUpdated && training.some((k) => changed.has(k))) this.models.resetForm();
    }
    if (this.hasUpdated && (changed.has('modelSrc') || changed.has('modelWeightsSrc'))) {
      this.models.restart();
    }
    // A view that needs the models, shown only now, loads them (start() does nothing twice).
    if (this.hasUpdated && changed.has('views') && this.phase === 'ready') void this.models.start();
    const inputs = ['split', 'dataSrc', 'labelsSrc', 'components'] as const;
    if (this.hasUpdated && this.bridge && inputs.some((k) => changed.has(k))) void this.run();
  }

  /**
   * Reads the training attributes and `views`: the valid values become the
   * settings; each invalid one is an error in words naming the valid values,
   * shown and fired once as `ae-error` (BAD_ARGUMENT), and its setting keeps
   * its default.
   */
  private checkAttributes(): void {
    const errors: AeErrorDetail[] = [];
    const attempt = <T>(check: () => T): T | undefined => {
      try {
        return check();
      } catch (error) {
        if (!(error instanceof AeError)) throw error;
        errors.push({ code: error.code, message: error.message });
        return undefined;
      }
    };
    attempt(() => parseViews(this.views));
    const settings: Partial<TrainSettings> & { preset: string } = {
      preset: attempt(() => checkPreset(this.trainPreset || 'quick')) ?? 'quick',
    };
    if (this.method !== undefined && this.method !== null) {
      settings.method = attempt(() => checkMethod(this.method));
    }
    // `train-epochs` is the old name of `epochs`.
    const epochs = this.epochs ?? this.trainEpochs;
    const numbers: [NumericSetting, unknown][] = [
      ['latent', this.latent],
      ['epochs', epochs],
      ['trainSize', this.trainSize],
      ['seed', this.seed],
    ];
    for (const [name, value] of numbers) {
      if (value === undefined || value === null) continue;
      const attribute =
        name === 'epochs' && this.epochs == null ? 'train-epochs' : SETTING_ATTRIBUTES[name];
      // The attribute as the author wrote it, not as the Number converter read it ("abc" → NaN).
      const raw = this.getAttribute(attribute) ?? String(value);
      const subject = `${attribute}="${raw}"`;
      settings[name] = attempt(() => checkSetting(name, value, subject));
    }
    this.trainAttributes = settings;
    this.attributeErrors = errors;
    for (const error of errors) {
      if (this.firedAttributeErrors.has(error.message)) continue;
      this.firedAttributeErrors.add(error.message);
      this.emit<AeErrorDetail>('ae-error', error);
    }
  }

  /** Whether the `views` attribute asks for `view` (an unknown name shows every view and an error). */
  private shown(view: ViewName): boolean {
    try {
      return parseViews(this.views).has(view);
    } catch {
      return true;
    }
  }

  /**
   * The code of the model views (side by side, latent, compare, walk,
   * interpolate, draw) loads with the first PCA results, not with the page:
   * a smaller first script. Once per element; the controllers reset
   * themselves when it leaves the page.
   */
  private loadViews(): void {
    this.viewsCode ??= Promise.all([
      import('./notebook-views.controller.ts'),
      import('./play.controller.ts'),
    ]).then(
      ([notebook, play]) => {
        this.notebookViews = new notebook.NotebookViewsController(this, this.hooks);
        this.play = new play.PlayController(this, this.hooks);
        this.viewsError = undefined;
      },
      (error: unknown) => {
        this.viewsCode = undefined;
        // errorDetail names the chunk's URL short ("Failed to fetch dynamically imported module: …").
        this.viewsError = errorDetail(codeLoadFailed('The figures of the models', error));
        this.emit<AeErrorDetail>('ae-error', this.viewsError);
      },
    );
  }

  /** One encode of the test digits per model, shared by the figures (see AeDemoHooks). */
  private testCodes(modelId: string): Promise<TestCodes> {
    const { testKey, ae, vae } = this.models.active;
    // Codes of models no longer shown go, so a retrained model's are not kept.
    for (const id of [...this.codes.keys()]) {
      if (id !== ae?.modelId && id !== vae?.modelId) this.codes.delete(id);
    }
    let codes = this.codes.get(modelId);
    if (!codes) {
      const bridge = this.bridge;
      if (!bridge || !testKey) {
        return Promise.reject(new AeError('NOT_LOADED', 'The test digits are not loaded yet.'));
      }
      const made = bridge.encode(this.codesLifetime.signal, modelId, testKey);
      codes = made;
      this.codes.set(modelId, made);
      // A failure is not kept: the next figure that asks tries again.
      made.catch(() => {
        if (this.codes.get(modelId) === made) this.codes.delete(modelId);
      });
    }
    return codes;
  }

  private source(): DataSource {
    if (!this.dataSrc) {
      if (this.split !== 'test' && this.split !== 'train') {
        throw new AeError('BAD_ARGUMENT', `split="${this.split}" must be "test" or "train".`);
      }
      return bundledData(this.split);
    }
    const base = document.baseURI;
    const images = new URL(this.dataSrc, base).href;
    // Without labels-src, the worker reads data-src as CSV, or says an idx file needs its labels.
    if (!this.labelsSrc) return { images };
    return { images, labels: new URL(this.labelsSrc, base).href };
  }

  /** Loads the data and runs PCA in the worker; a new call cancels the previous one. */
  private async run(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    const bridge = this.bridge;
    if (!bridge) return;
    const onProgress = (p: TaskProgress) => {
      // A run that a newer one replaced may still report on its way out.
      if (signal.aborted) return;
      this.progress = p;
      this.emit<AeProgressDetail>('ae-progress', { phase: this.phase, ...p });
    };
    this.errorInfo = undefined;
    this.result = undefined;
    this.destroyCharts();
    try {
      this.phase = 'loading';
      this.progress = { stage: 'download', fraction: 0 };
      const components = this.components;
      if (!Number.isInteger(components) || components < 1 || components > 50) {
        throw new AeError(
          'BAD_ARGUMENT',
          `components="${components}" must be a whole number from 1 to 50.`,
        );
      }
      const source = this.source();
      const dataset = await bridge.loadDataset(signal, source, { onProgress });
      throwIfAborted(signal);
      this.digits = dataset;
      this.phase = 'computing';
      this.progress = { stage: 'gram', fraction: 0 };
      const result = await bridge.pca(signal, dataset.key, { components }, { onProgress });
      throwIfAborted(signal);
      this.result = result;
      this.phase = 'ready';
      this.emit<AeReadyDetail>('ae-ready', {
        samples: result.samples,
        componentsFor90: result.componentsFor90,
        varianceAt90: result.cumulativeVariance[result.componentsFor90 - 1],
        timingsMs: result.timingsMs,
        kernel: result.kernel,
      });
      // The models come after the figures, so TF.js never delays them.
      void this.models.start();
      this.loadViews();
    } catch (error) {
      // A newer run() took over: its state is the one to show.
      if (this.controller !== controller && this.controller !== undefined) return;
      if (signal.aborted) {
        this.phase = 'cancelled';
        return;
      }
      const detail: AeErrorDetail = errorDetail(error);
      this.errorInfo = detail;
      this.phase = 'error';
      this.emit<AeErrorDetail>('ae-error', detail);
    }
  }

  /** Shows in `box` that its chart could not be drawn; fires `ae-error` once per message. */
  private chartFailed(box: HTMLElement, error: unknown): void {
    showChartError(box, error);
    const detail = errorDetail(error);
    if (this.firedChartErrors.has(detail.message)) return;
    this.firedChartErrors.add(detail.message);
    this.emit<AeErrorDetail>('ae-error', detail);
  }

  private emit<T>(type: string, detail: T): void {
    /** @ignore The events are the class's `@fires`; the analyzer would list one named `type`. */
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private statusText(): string {
    const p = this.progress;
    switch (this.phase) {
      case 'idle':
        return 'Waiting to start.';
      case 'loading':
      case 'computing':
        return p ? `${STAGE_WORDS[p.stage]}… ${Math.round(100 * p.fraction)} %` : 'Working…';
      case 'cancelled':
        return 'Cancelled.';
      case 'error':
        return 'Something went wrong; see the message below.';
      case 'ready': {
        const r = this.result!;
        const engine = r.kernel.simd ? 'WebAssembly SIMD' : 'WebAssembly (no SIMD)';
        return `PCA of ${r.samples.toLocaleString('en-US')} digits in ${(r.timingsMs.total / 1000).toFixed(2)} s (${engine}, in a worker).`;
      }
    }
  }

  /** Overall progress 0..1 over the stages, for the progress bar. */
  private overallFraction(): number {
    const order: TaskProgress['stage'][] = [
      'download',
      'gram',
      'spectrum',
      'eigenvectors',
      'projection',
    ];
    const p = this.progress;
    if (!p) return 0;
    return (order.indexOf(p.stage) + p.fraction) / order.length;
  }

  override render() {
    const busy = this.phase === 'loading' || this.phase === 'computing';
    return html`
      <section part="base" class="base" aria-busy=${busy ? 'true' : 'false'}>
        <header>
          <h2>PCA on MNIST</h2>
          <p part="status" class="status" role="status" aria-live="polite">${this.statusText()}</p>
          ${
            busy
              ? html`<progress
                  part="progress"
                  max="1"
                  .value=${this.overallFraction()}
                  aria-label="Progress"
                ></progress>`
              : nothing
          }
        </header>
        ${
          this.attributeErrors.length
            ? html`<div part="settings-error" class="error" role="alert" data-attribute-errors>
                <strong>Check the attributes of &lt;ae-demo&gt;.</strong>
                ${this.attributeErrors.map((e) => html`<span class="line">${e.message}</span>`)}
              </div>`
            : nothing
        }
        ${
          this.errorInfo
            ? html`<div part="error" class="error" role="alert">
                <strong>Could not show the analysis.</strong>${this.errorInfo.message}
              </div>`
            : nothing
        }
        ${this.result ? this.renderFigures(this.result) : nothing}
        ${
          this.viewsError
            ? html`<div part="error" class="error" role="alert">${this.viewsError.message}</div>`
            : nothing
        }
        ${this.notebookViews?.render()} ${this.models.render()} ${this.play?.render()}
      </section>
    `;
  }

  private renderFigures(r: PcaSummary) {
    const k90 = r.componentsFor90;
    const at90 = r.cumulativeVariance[k90 - 1];
    const pc12 = r.cumulativeVariance[1];
    const mse = r.reconstructionMse;
    const n = r.samples.toLocaleString('en-US');
    return html`
      <div class="figures">
        <figure part="figure" data-figure="variance" ?hidden=${!this.shown('variance')}>
          <figcaption>Cumulative variance explained</figcaption>
          <div
            class="chart"
            role="img"
            aria-label="Cumulative proportion of variance against number of principal components"
          ></div>
          <p class="summary" data-summary="variance">
            ${k90} components explain ${percent(at90)} of the variance.
          </p>
        </figure>
        <figure part="figure" data-figure="scatter" ?hidden=${!this.shown('scatter')}>
          <figcaption>First two principal components</figcaption>
          <div
            class="chart"
            data-scatter="pca"
            tabindex="0"
            role="application"
            aria-roledescription="scatter plot"
            aria-label="Scatter of the digits on PC1 and PC2, coloured by label. ${SCATTER_KEYS_HELP}"
            @pointermove=${this.onScatterMove}
            @pointerleave=${this.onScatterLeave}
            @keydown=${this.onScatterKey}
            @blur=${this.onScatterBlur}
          ></div>
          ${this.hover ? this.renderTooltip(this.hover) : nothing}
          <p class="selection" data-live="scatter" aria-live="polite">
            ${this.scatterSelection(r)}
          </p>
          <ul class="legend" aria-label="Colour per digit">
            ${DIGIT_COLORS.map((c, d) => html`<li><span ${cssProps({ background: c })}></span>${d}</li>`)}
          </ul>
          <p class="summary" data-summary="scatter">
            All ${n} digits on PC1 and PC2, which together explain ${percent(pc12, 1)} of the
            variance. Hover a point to see its digit.
          </p>
        </figure>
        <figure part="figure" data-figure="mse" ?hidden=${!this.shown('mse')}>
          <figcaption>PCA reconstruction error</figcaption>
          <div
            class="chart"
            role="img"
            aria-label="Reconstruction mean squared error against number of components"
          ></div>
          <p class="summary" data-summary="mse">
            Mean squared reconstruction error falls from ${mse[0].toFixed(4)} with 1 component to
            ${mse[mse.length - 1].toFixed(4)} with ${mse.length}.
          </p>
        </figure>
      </div>
    `;
  }

  /** The keyboard selection of the PC1–PC2 scatter in words, or how to make one. */
  private scatterSelection(r: PcaSummary): string {
    const h = this.hover;
    if (!h || !this.scatterKeyed || !this.digits) {
      return 'Focus the plot and use the arrow keys to step through the digits.';
    }
    const [x, y] = [r.scores[2 * h.index], r.scores[2 * h.index + 1]];
    return describePoint(this.digits.labels[h.index], h.index, ['PC1', 'PC2'], x, y);
  }

  private renderTooltip(h: { index: number; left: number; top: number }) {
    const label = this.digits?.labels[h.index];
    return html`${
        this.scatterKeyed
          ? html`<span
              class="scatter-mark"
              ${cssProps({ left: `${h.left}px`, top: `${h.top}px` })}
            ></span>`
          : nothing
      }
      <div
        class="tooltip"
        data-tooltip
        ${cssProps({ left: `${h.left + 14}px`, top: `${h.top + 14}px` })}
      >
        <canvas width="28" height="28" aria-hidden="true"></canvas>
        <span>digit ${label} · #${h.index}</span>
      </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    // A view the author shows only now needs its chart: draw them again.
    if ((changed.has('result') || changed.has('views')) && this.result && this.digits)
      void this.drawCharts(this.result, this.digits);
    if (changed.has('hover') && this.hover) {
      // A failed digit leaves the tooltip's label; the worker's failure shows where it runs tasks.
      this.drawHoverDigit(this.hover.index).catch(() => {});
    }
  }

  /**
   * The colour scheme changed, and with it the custom properties the charts
   * read: every figure renders again (the controllers redraw the charts whose
   * theme changed) and the PCA charts are drawn anew, one per frame.
   */
  private onColorScheme = async () => {
    this.themeCache = undefined;
    this.requestUpdate();
    // After the render, so every shown figure has its box (a draw under way is taken over).
    await this.updateComplete;
    if (this.isConnected && this.result && this.digits) {
      void this.drawCharts(this.result, this.digits, true);
    }
  };

  /**
   * The charts' colours and font from the element's custom properties. Read
   * once (each read forces a style recalculation, and controllers ask on every
   * render), again after the colour scheme changes.
   */
  private theme(): ChartTheme {
    if (this.themeCache) return this.themeCache;
    const style = getComputedStyle(this);
    const get = (name: string) => style.getPropertyValue(name).trim();
    const theme = {
      fg: get('--ae-demo-fg'),
      grid: get('--ae-demo-grid'),
      accent: get('--ae-demo-accent'),
      font: `12px ${get('--ae-demo-font') || 'system-ui, sans-serif'}`,
    };
    // Not styled yet (not on a page): read again next time.
    if (this.isConnected && theme.fg) this.themeCache = theme;
    return theme;
  }

  /**
   * Draws the three charts, one per animation frame, so that no single task on
   * the page's main thread grows long (the scatter alone paints 10,000 points).
   * `restyle` draws the same results in new colours: each chart is replaced
   * where it stands, so none goes blank and the reader's selection stays.
   */
  private async drawCharts(r: PcaSummary, data: DatasetSummary, restyle = false): Promise<void> {
    if (!restyle) this.destroyCharts();
    const generation = ++this.chartGeneration;
    const root = this.renderRoot;
    const box = (name: string) =>
      root.querySelector<HTMLElement>(`[data-figure="${name}"] .chart`)!;
    // Hidden figures draw nothing (the scatter alone paints 10,000 points).
    const names = CHART_NAMES.filter((name) => this.shown(name));
    // uPlot loads with the first results, not with the page: a smaller first script.
    const charts = await chartsOr((error) => {
      if (generation !== this.chartGeneration) return;
      for (const name of names) this.chartFailed(box(name), error);
    });
    if (!charts || generation !== this.chartGeneration) return;
    const { lineChart, scatterChart } = charts;
    const theme = this.theme();
    const size = (el: HTMLElement) => ({ width: Math.max(200, el.clientWidth), height: 260 });
    const k90 = r.componentsFor90;
    const steps: Record<ChartName, (el: HTMLElement) => uPlot> = {
      variance: (el) =>
        lineChart(el, {
          x: Array.from({ length: r.features }, (_, i) => i + 1),
          y: r.cumulativeVariance,
          xLabel: 'Principal components',
          yLabel: 'Cumulative variance',
          yRange: [0, 1],
          mark: {
            x: k90,
            y: r.cumulativeVariance[k90 - 1],
            label: `${k90} → ${percent(r.cumulativeVariance[k90 - 1])}`,
          },
          ...size(el),
          theme,
        }),
      scatter: (el) => {
        const scatter = scatterChart(el, {
          xy: r.scores,
          labels: data.labels,
          xLabel: 'PC1',
          yLabel: 'PC2',
          ...size(el),
          theme,
        });
        this.nearest = scatter.nearest;
        return scatter.chart;
      },
      mse: (el) =>
        lineChart(el, {
          x: Array.from({ length: r.reconstructionMse.length }, (_, i) => i + 1),
          y: r.reconstructionMse,
          xLabel: 'Components k',
          yLabel: 'Reconstruction MSE',
          points: true,
          yFormat: (v) => v.toFixed(3),
          ...size(el),
          theme,
        }),
    };
    const resizeObserver = (this.resizeObserver ??= new ResizeObserver(() => {
      for (const chart of this.charts.values()) {
        const host = chart.root.parentElement;
        if (host && host.clientWidth > 0 && Math.abs(host.clientWidth - chart.width) > 1) {
          chart.setSize({ width: Math.max(200, host.clientWidth), height: chart.height });
        }
      }
    }));
    for (const name of names) {
      await paintSlot();
      if (generation !== this.chartGeneration) return;
      const el = box(name);
      const old = this.charts.get(name);
      this.charts.set(name, steps[name](el));
      old?.destroy();
      el.dataset.theme = themeSignature(theme);
      resizeObserver.observe(el);
    }
  }

  private destroyCharts(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.chartGeneration++;
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.nearest = undefined;
    this.hover = undefined;
  }

  private onScatterMove = (event: PointerEvent) => {
    const x = event.clientX;
    const y = event.clientY;
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      const chart = this.charts.get('scatter');
      if (!chart || !this.nearest) return;
      const over = chart.over.getBoundingClientRect();
      const left = x - over.left;
      const top = y - over.top;
      const index = this.nearest(chart, left, top, SCATTER_HOVER_RADIUS);
      if (index < 0) {
        this.hover = undefined;
        return;
      }
      const figure = chart.root.closest('figure')!.getBoundingClientRect();
      if (this.hover?.index === index && !this.scatterKeyed) return;
      this.scatterKeyed = false;
      this.hover = { index, left: x - figure.left, top: y - figure.top };
    });
  };

  private onScatterLeave = () => {
    cancelAnimationFrame(this.hoverFrame);
    // A point chosen with the keyboard stays until Escape or blur.
    if (!this.scatterKeyed) this.hover = undefined;
  };

  /** Arrow keys, Home, End and Escape move the same selection the pointer makes (scatter-keys.ts). */
  private onScatterKey = (event: KeyboardEvent) => {
    const chart = this.charts.get('scatter');
    const scores = this.result?.scores;
    if (!chart || !scores) return;
    const current = this.scatterKeyed && this.hover ? this.hover.index : -1;
    const next = scatterKeyStep(scores, current, event.key, event.shiftKey);
    if (next === undefined) return;
    event.preventDefault();
    cancelAnimationFrame(this.hoverFrame);
    if (next === null || next < 0) {
      this.scatterKeyed = false;
      this.hover = undefined;
      return;
    }
    const figure = chart.root.closest('figure')!;
    this.scatterKeyed = true;
    this.hover = {
      index: next,
      ...pointInBox(chart, scores[2 * next], scores[2 * next + 1], figure),
    };
  };

  private onScatterBlur = () => {
    if (!this.scatterKeyed) return;
    this.scatterKeyed = false;
    this.hover = undefined;
  };

  private async drawHoverDigit(index: number): Promise<void> {
    const dataset = this.digits;
    if (!dataset || !this.bridge) return;
    const pixels = await this.bridge.image(undefined, dataset.key, index);
    if (this.hover?.index !== index) return;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('[data-tooltip] canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const image = ctx.createImageData(dataset.cols, dataset.rows);
    for (let i = 0; i < pixels.length; i++) {
      const v = 255 - pixels[i];
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    canvas.dataset.drawn = String(index);
  }
}
