import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { codeLoadFailed } from '../../core/errors.ts';
import { WorkerBridge } from '../../worker/bridge.ts';
import type { ChartTheme } from '../charts/charts.ts';
import { storeContext } from '../store/context.ts';
import { startModels } from '../store/models.ts';
import { warmFonts } from '../shared/fonts.ts';
import { renderInTurn } from '../shared/render-slice.ts';
import { DemoStore, type StoreHost } from '../store/store.ts';
import { runSettings } from '../store/training.ts';
import { ViewState } from '../store/view-state.ts';
import '../mse/ae-mse.ts';
import '../pca-scatter/ae-pca-scatter.ts';
import '../variance/ae-variance.ts';
import { aeDemoStyles } from './ae-demo.styles.ts';
import {
  DATA_PROPERTIES,
  PCA_PROPERTIES,
  TRAIN_PROPERTIES,
  authorData,
  checkAttributes,
  dataSource,
  modelSource,
  viewShown,
  type TrainAttributes,
} from './attributes.ts';
import type { BundledSplit } from './default-data.ts';
import { Emitter, type AeErrorDetail } from './events.ts';
import { MODEL_SECTIONS, renderModelSections } from './sections.ts';
import { pcaFraction, pcaStatus } from './status.ts';
import { UrlLink } from './url-link.ts';
import { VIEW_NAMES, type ViewName } from './views.ts';
import { errorDetail } from './words.ts';

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
 * Each figure is a small internal element (src/components/<figure>/) that
 * reads one store per connection, shared through context; this class keeps
 * the attributes, the store, the worker bridge and the events.
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
 * @csspart link - The "Copy link" button and what it did (with `url-state`).
 * @csspart link-error - The box listing the settings of the page's link that were ignored (with `url-state`).
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
  static override styles = aeDemoStyles;

  static override properties = {
    split: {},
    dataSrc: { attribute: 'data-src' },
    labelsSrc: { attribute: 'labels-src' },
    testDataSrc: { attribute: 'test-data-src' },
    testLabelsSrc: { attribute: 'test-labels-src' },
    dataShape: { attribute: 'data-shape' },
    dataName: { attribute: 'data-name' },
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
    urlState: { attribute: 'url-state', type: Boolean },
    attributeErrors: { state: true },
    viewsError: { state: true },
    modelSections: { state: true },
  };

  /** Which bundled set to analyse: `test` (10,000 images) or `train` (the first 12,000). */
  declare split: BundledSplit;
  /**
   * URL of your own images, instead of the bundled MNIST digits, for the
   * whole lesson (PCA, and the autoencoder and VAE trained here), gzip or
   * plain, of any image size: an idx3 image file (its header gives the
   * shape; `labels-src` optional), or a CSV file whose rows are a label then
   * the pixels 0..255 (Kaggle's mnist_train.csv layout, with or without its
   * header row; square images, or `data-shape`), recognised by a `.csv`
   * path or its text. Without `test-data-src` the models train on the first
   * 80 % and are scored on the last 20 %, held out. The shipped models are
   * shown only for 28 × 28 images.
   */
  declare dataSrc: string | undefined;
  /** URL of the idx1 label file of an idx `data-src` (optional: without labels nothing is coloured by label). */
  declare labelsSrc: string | undefined;
  /** URL of test images for the models (idx3 or CSV, the shape of `data-src`'s); default: the last 20 % of `data-src`, held out. */
  declare testDataSrc: string | undefined;
  /** URL of the idx1 label file of an idx `test-data-src` (optional). */
  declare testLabelsSrc: string | undefined;
  /** The image shape of a CSV `data-src` whose images are not square, as ROWSxCOLS, e.g. `16x12`. */
  declare dataShape: string | undefined;
  /** What the heading calls your `data-src` ("PCA on …"); default its file name. */
  declare dataName: string | undefined;
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
   * reconstructions, samples, latent, compare, walk, interpolate, draw, plane-curve, denoise, train.
   * Empty or "all": every one.
   */
  declare views: string | undefined;
  /**
   * Keep the element's state in the page URL's fragment, so that a link
   * reopens the same view: the views, the training settings, the latent
   * view's and the walk's choices, the walk's point, the interpolation's
   * digits and the noise level, under keys `ae.…` (`ae.<id>.…` for an
   * element with an id). Read when the element connects and on
   * `hashchange`, written with `history.replaceState` as the reader changes
   * them; shows a "Copy link" button. Without it the URL is never read or
   * written.
   */
  declare urlState: boolean;

  declare private attributeErrors: AeErrorDetail[];
  declare private viewsError: AeErrorDetail | undefined;
  /**
   * How many of the model sections are shown: none until their code has
   * loaded, then one more per render (each render takes its own turn, so
   * connecting every part at once is not one long task). From then on they
   * stay, across a move or a new PCA: the parts keep the reader's choices
   * and compute again for the new store.
   */
  declare private modelSections: number;

  private readonly events = new Emitter(this);
  private readonly provider = new ContextProvider(this, { context: storeContext });
  /** The reader's choices a link restores: the element's, kept across its stores. */
  private readonly viewState = new ViewState();
  private readonly urlLink = new UrlLink(this, {
    urlState: () => this.urlState,
    id: () => this.id,
    view: this.viewState,
    shownViews: () => VIEW_NAMES.filter((v) => this.shown(v)),
    trainSettings: () => runSettings(this.train, this.viewState.value.train),
    viewsChanged: () => this.viewsChanged(),
    emit: (type, detail) => this.events.emit(type, detail),
  });
  private bridge: WorkerBridge | undefined;
  private store: DemoStore | undefined;
  /** The valid training settings of the attributes; a new object when the author changes one. */
  private train: TrainAttributes = { preset: 'quick' };
  private themeCache: ChartTheme | undefined;
  private colorScheme: MediaQueryList | undefined;
  private modelPartsCode: Promise<void> | undefined;

  /** What the store reads from the element, always as the attributes are now. */
  private readonly host: StoreHost = {
    shown: (view) => this.shown(view),
    theme: () => this.theme(),
    reducedMotion: () => matchMedia('(prefers-reduced-motion: reduce)').matches,
    trainAttributes: () => this.train,
    settled: () => this.updateComplete,
    modelSource: () => modelSource(this),
    autostart: () => this.autostart,
    authorData: () => {
      try {
        return authorData(this);
      } catch {
        // An invalid attribute: the PCA's run says so (dataSource throws the same error there).
        return undefined;
      }
    },
    emit: this.events.emit,
  };

  constructor() {
    super();
    this.components = 10;
    this.split = 'test';
    this.trainPreset = 'quick';
    this.autostart = false;
    this.urlState = false;
    this.attributeErrors = [];
    this.modelSections = 0;
    this.addEventListener('ae-chart-failed', (event) => {
      // A part's chart module could not load: the element's own event says so (once per message).
      event.stopPropagation();
      this.events.emit('ae-error', errorDetail((event as CustomEvent<unknown>).detail));
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.events.reset();
    this.bridge = WorkerBridge.acquire();
    this.colorScheme = matchMedia('(prefers-color-scheme: dark)');
    this.colorScheme.addEventListener('change', this.onColorScheme);
    this.newStore();
    // After the first render, so that properties set right after the element was
    // added (el.components = 20; el.dataSrc = …) are the ones the first run reads.
    void this.updateComplete.then(() => {
      void this.run();
      // While the data loads and the worker computes: the figures' first renders find their fonts.
      if (this.store) void warmFonts(this.renderRoot as ShadowRoot, this.store.signal);
    });
  }

  /** Takes its turn with the element's other renders (see renderInTurn): no long task. */
  protected override scheduleUpdate(): Promise<unknown> {
    return renderInTurn(() => super.scheduleUpdate());
  }

  protected override updated(): void {
    if (this.modelSections > 0 && this.modelSections < MODEL_SECTIONS) this.modelSections++;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.colorScheme?.removeEventListener('change', this.onColorScheme);
    this.colorScheme = undefined;
    this.themeCache = undefined;
    this.store?.drop();
    this.store = undefined;
    this.provider.setValue(undefined);
    if (this.bridge) WorkerBridge.release(this.bridge);
    this.bridge = undefined;
  }

  /** A new store for this connection (or a new `model-src`, or new images): nothing of the old one is kept. */
  private newStore(): void {
    this.store?.drop();
    this.store = this.bridge && new DemoStore(this.bridge, this.host, this.viewState);
    if (!this.store) return;
    // The status line, the errors and the sections follow the store, like the parts.
    this.store.subscribe(() => this.requestUpdate());
    this.provider.setValue(this.store);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const trainChanged = TRAIN_PROPERTIES.some((k) => changed.has(k));
    if (!this.hasUpdated || trainChanged || changed.has('views')) {
      const { train, errors } = checkAttributes(this);
      // A new object only when the author changed a setting: the training panel resets its form then.
      if (!this.hasUpdated || trainChanged) this.train = train;
      if (this.hasUpdated && trainChanged) this.store?.changed();
      this.attributeErrors = errors;
      for (const error of errors) this.events.emit('ae-error', error);
    }
    if (changed.has('urlState')) this.urlLink.sync();
    if (!this.hasUpdated || !this.store) return;
    const newData = DATA_PROPERTIES.some((k) => changed.has(k));
    if (changed.has('modelSrc') || changed.has('modelWeightsSrc') || newData) {
      this.newStore();
      void this.run();
    } else if (PCA_PROPERTIES.some((k) => changed.has(k))) {
      void this.run();
    } else if (changed.has('views')) {
      this.viewsChanged();
    }
  }

  /** The views shown changed (the attribute, or a link): a view that needs the models, shown only now, loads them (once per store). */
  private viewsChanged(): void {
    const store = this.store;
    if (!store) return;
    store.changed();
    if (store.pca) void this.startModels(store);
  }

  /** Whether the page's link (url-state), else the `views` attribute, asks for `view`. */
  private shown(view: ViewName): boolean {
    const linked = this.viewState.value.views;
    return linked ? linked.includes(view) : viewShown(this.views, view);
  }

  /** Loads the data and runs the PCA, then the models and the code of their figures. */
  private async run(): Promise<void> {
    const store = this.store;
    if (!store || !this.isConnected) return;
    await store.runPca(
      () => dataSource(this),
      this.components,
      !this.dataSrc && this.split === 'test',
    );
    if (!store.pca || store !== this.store) return;
    this.loadModelParts();
    await this.startModels(store);
  }

  /** The models come after the PCA figures, so TF.js never delays them. */
  private async startModels(store: DemoStore): Promise<void> {
    await startModels(store);
    if (store.modelsRun.error || store.signal.aborted || !this.autostart) return;
    store.training.autostart();
  }

  /**
   * The code of the model figures (side by side, latent, compare, samples,
   * training, walk, interpolate, draw, plane-curve, denoise) loads with the first PCA results, not
   * with the page: a smaller first script.
   */
  private loadModelParts(): void {
    this.modelPartsCode ??= import('./model-parts.ts').then(
      async (parts) => {
        // Their style sheets built in idle tasks first: the sections then connect them cheaply.
        await parts.prepareParts(this.store?.signal);
        this.modelSections = 1;
        this.viewsError = undefined;
      },
      (error: unknown) => {
        this.modelPartsCode = undefined;
        this.viewsError = errorDetail(codeLoadFailed('The figures of the models', error));
        this.events.emit('ae-error', this.viewsError);
      },
    );
  }

  /**
   * The charts' colours and font from the element's custom properties. Read
   * once (each read forces a style recalculation, and parts ask on every
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

  /** The colour scheme changed, and with it the custom properties: the parts draw in the new colours. */
  private onColorScheme = () => {
    this.themeCache = undefined;
    this.store?.changed();
  };

  override render() {
    const store = this.store;
    if (!store) return nothing;
    const { phase, progress, error } = store.pcaRun;
    const busy = phase === 'loading' || phase === 'computing';
    const status = pcaStatus(store);
    return html`
      <section part="base" class="base" aria-busy=${busy ? 'true' : 'false'}>
        <header>
          <h2 data-heading>PCA on ${this.dataTitle()}</h2>
          <p part="status" class="status" role="status" aria-live="polite">${status}</p>
          ${this.urlLink.render()}
          ${
            busy
              ? html`<progress
                  part="progress"
                  max="1"
                  .value=${pcaFraction(progress)}
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
        ${this.urlLink.renderErrors()}
        ${
          error
            ? html`<div part="error" class="error" role="alert">
                <strong>Could not show the analysis.</strong>${error.message}
              </div>`
            : nothing
        }
        ${this.renderPcaFigures(store)} ${this.renderModels(store)}
      </section>
    `;
  }

  /** What the heading calls the data: the author's `data-name` or file name, or MNIST. */
  private dataTitle(): string {
    return this.host.authorData()?.name ?? 'MNIST';
  }

  private renderPcaFigures(store: DemoStore) {
    if (!store.pca) return nothing;
    // A figure the author hides is not made (the scatter alone paints 10,000 points).
    const shown = (view: ViewName) => this.shown(view);
    return html`<div class="figures">
      ${shown('variance') ? html`<ae-variance exportparts="figure"></ae-variance>` : nothing}
      ${shown('scatter') ? html`<ae-pca-scatter exportparts="figure"></ae-pca-scatter>` : nothing}
      ${shown('mse') ? html`<ae-mse exportparts="figure"></ae-mse>` : nothing}
    </div>`;
  }

  private renderModels(store: DemoStore) {
    return html`${
      this.viewsError
        ? html`<div part="error" class="error" role="alert">${this.viewsError.message}</div>`
        : nothing
    }
    ${
      this.modelSections > 0
        ? renderModelSections(store, (view) => this.shown(view), this.modelSections)
        : nothing
    }`;
  }
}
