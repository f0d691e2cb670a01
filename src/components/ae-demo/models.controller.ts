import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { AeError, throwIfAborted } from '../../core/errors.ts';
import {
  DIGIT_COLORS,
  SHIPPED_TRAIN_DIGITS,
  defaultSettings,
  type NumericSetting,
  type TrainMethod,
  type TrainSettings,
} from '../../core/settings.ts';
import { shortUrl } from '../../core/short-url.ts';
import type {
  BackendInfo,
  DatasetSummary,
  EpochReport,
  ModelInfo,
  ModelSource,
  RunPlan,
  StoredModel,
  TrainProgress,
  TrainSpec,
  TrainSummary,
  WorkerBridge,
} from '../../worker/bridge.ts';
import type { ChartTheme, LossChart } from '../charts/charts.ts';
import { chartsOr } from '../charts/load.ts';
import { paintSlot } from '../charts/paint-queue.ts';
import { themeSignature } from '../charts/theme.ts';
import { cssProps } from './css-props.ts';
import { bundledData, type BundledSplit } from './default-data.ts';
import { drawDigits } from './digits.ts';
import { readModelFiles } from './model-files.ts';
import { pretrainedModel } from './pretrained.ts';
import {
  METHOD_WORDS,
  SETTING_LABELS,
  SETTING_LIMITS,
  checkMethod,
  checkSetting,
} from './train-settings.ts';
import { PCA_VIEWS, VIEW_NAMES, type ViewName } from './views.ts';
import { errorDetail, inSentence, number, plural } from './words.ts';

/** What the training part of the element is doing. */
export type TrainPhase =
  'idle' | 'loading' | 'training' | 'paused' | 'evaluating' | 'done' | 'cancelled' | 'error';

/** `detail` of the `ae-train-epoch` event: one finished epoch. */
export type AeTrainEpochDetail = EpochReport;

/** `detail` of the `ae-trained` event. */
export interface AeTrainedDetail {
  /** What was trained: `ae` (an autoencoder) or `vae`. */
  kind: TrainMethod;
  /** Test MSE per pixel (autoencoder) or the VAE's loss per digit, over `testCount` test digits. */
  testScore: number;
  testCount: number;
  epochs: number;
  latentSize: number;
  seed: number;
  /** Digits it trained on. */
  trainCount: number;
  samplesPerSecond: number;
  backend: BackendInfo;
}

/** `detail` of the `ae-train-progress` event: at most one per animation frame while training. */
export interface AeTrainProgressDetail {
  kind: TrainMethod;
  /** The run's fraction done, 0..1. */
  fraction: number;
  /** The epoch running now (1-based) and how many the run has. */
  epoch: number;
  epochs: number;
  /** Training digits per second; null until it can be measured. */
  samplesPerSecond: number | null;
  /** Seconds left at this pace; null until it can be estimated. */
  etaSeconds: number | null;
  paused: boolean;
}

/** What the controller needs from its element. */
export interface ModelsHostHooks {
  bridge(): WorkerBridge | undefined;
  theme(): ChartTheme;
  emit<T>(type: string, detail: T): void;
  /** Shows in `box` that its chart could not be drawn, and fires `ae-error` (once per message). */
  chartFailed(box: HTMLElement, error: unknown): void;
  /** Whether the author's `views` attribute asks for a view. */
  shown(view: ViewName): boolean;
  /** The valid training settings of the author's attributes, and the preset. */
  trainSettings(): Partial<TrainSettings> & { preset: string };
  /** The author's own model (`model-src`, `model-weights-src`), as absolute URLs. */
  modelSource(): { url: string; weightsUrl?: string } | undefined;
  /** Whether to train once the shipped models are shown (`autostart`). */
  autostart(): boolean;
}

/** A model in the worker that the element's figures use, and words saying which one it is. */
export interface ActiveModel extends ModelInfo {
  label: string;
  /** Shipped with the element, trained on this page, opened from this browser's storage or files, or the author's `model-src`. */
  source: ReconSource;
}

/**
 * What the other figures draw with: the autoencoder and the VAE currently
 * shown (shipped, the author's, trained here or opened), and the key of the
 * loaded test set.
 */
export interface ActiveModels {
  testKey: string | undefined;
  ae: ActiveModel | undefined;
  vae: ActiveModel | undefined;
}

/**
 * Where a model the figures show comes from (the canvases' `data-source`):
 * shipped, trained here, saved in this browser, opened from files, or the
 * author's `model-src` URL.
 */
export type ReconSource = 'pretrained' | 'trained' | 'saved' | 'file' | 'url';

interface Samples {
  images: Float32Array;
  seed: number;
  /** The VAE they were drawn from. */
  model: ActiveModel;
}

interface Download {
  name: string;
  href: string;
  bytes: number;
}

const SAMPLE_COUNT = 16;
const SAMPLE_COLUMNS = 8;
const KINDS: readonly TrainMethod[] = ['ae', 'vae'];
/** Where "Save in this browser" keeps each kind; one of each. */
const INDEXED_DB_URL: Record<TrainMethod, string> = {
  ae: 'indexeddb://ae-demo-autoencoder',
  vae: 'indexeddb://ae-demo-vae',
};
const DOWNLOAD_NAME: Record<TrainMethod, string> = {
  ae: 'ae-demo-autoencoder',
  vae: 'ae-demo-vae',
};
/** Views that draw with the models; with none of them shown (and no autostart), TF.js never loads. */
const MODEL_VIEWS: readonly ViewName[] = VIEW_NAMES.filter(
  (view) => !(PCA_VIEWS as readonly string[]).includes(view),
);

const onOff = (on: boolean) => (on ? 'on' : 'off');

/** Words for a model the figures show: which kind, and where it comes from. */
function modelLabel(
  kind: TrainMethod,
  source: ReconSource,
  from?: string,
  epochs?: number,
): string {
  const name = METHOD_WORDS[kind].short;
  switch (source) {
    case 'trained':
      return `Your ${name} (${plural(epochs ?? 0, 'epoch')}, trained here)`;
    case 'saved':
      return `The ${name} saved in this browser (${from})`;
    case 'file':
    case 'url':
      return `The ${name} from ${from}`;
    default:
      return `The shipped ${name}`;
  }
}

/** Time left in words. */
function timeLeft(s: number): string {
  if (s < 1) return 'under a second left';
  if (s < 90) return `about ${Math.round(s)} s left`;
  return `about ${Math.round(s / 60)} min left`;
}

/** The entries of `o` whose value is defined (so that spreading them overrides nothing with undefined). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The models half of `<ae-demo>`: the shipped (or the author's) autoencoder's
 * reconstructions and VAE's samples, and an autoencoder or VAE trained in the
 * worker with the reader's settings, a live loss curve, pause, resume and
 * cancel, saved to IndexedDB or downloaded, and loaded back from either. All
 * TF.js work is in the worker; this only draws.
 */
export class ModelsController implements ReactiveController {
  /** Whether {@link start} began loading the models since the element was connected. */
  started = false;
  backend: BackendInfo | undefined;
  private pretrainedError: { code: string; message: string } | undefined;
  /** Why the author's `model-src` could not be loaded (the shipped model stands in). */
  private authorError: { code: string; message: string } | undefined;
  private samples: Samples | undefined;
  private samplesBusy = false;
  private samplesTask: Promise<void> = Promise.resolve();

  phase: TrainPhase = 'idle';
  private plan: RunPlan | undefined;
  /** The settings of the run in progress, or of the last one. */
  private running: TrainSettings | undefined;
  private epochs: EpochReport[] = [];
  private fraction = 0;
  private result: TrainSummary | undefined;
  private trainError: { code: string; message: string } | undefined;
  /** What the reader chose in the training panel; it overrides the attributes until they change. */
  private form: Partial<TrainSettings> = {};
  private formError: { setting: string; message: string } | undefined;
  /** Training time so far, without pauses, for samples/s and the time left. */
  private clock = { accumulated: 0, since: undefined as number | undefined };
  private frame = 0;
  private note: string | undefined;
  private downloads: Download[] = [];
  /** The models "Save in this browser" left in IndexedDB, by kind. */
  private stored: Partial<Record<TrainMethod, StoredModel>> = {};
  /** Set while a saved or downloaded model is being loaded. */
  private opening: 'saved' | 'file' | undefined;
  private openError: { code: string; message: string } | undefined;

  private lifetime = new AbortController();
  private trainAbort: AbortController | undefined;
  private taskId: number | undefined;
  /** The shipped models, or the author's `model-src` in place of the one of its kind. */
  private modelIds = { ae: undefined as string | undefined, vae: undefined as string | undefined };
  /** The models trained or opened here that the figures show, by kind; each replaces the last. */
  private owned: Record<TrainMethod, string | undefined> = { ae: undefined, vae: undefined };
  /** What "Save in this browser" and "Download" act on: the model last trained or opened here. */
  private keep: { modelId: string; kind: TrainMethod; label: string } | undefined;

  private lossChart: LossChart | undefined;
  private lossChartDrawn = -1;
  /** The colours the loss chart was drawn in ({@link themeSignature}). */
  private lossTheme = '';
  private restyling = false;
  private chartGeneration = 0;
  private resizeObserver: ResizeObserver | undefined;
  private drawn = new WeakMap<HTMLCanvasElement, unknown>();
  private current: ActiveModels = { testKey: undefined, ae: undefined, vae: undefined };

  /** The models the figures use now; a new object whenever one of them changes. */
  get active(): ActiveModels {
    return this.current;
  }

  private setActive(change: Partial<ActiveModels>): void {
    this.current = { ...this.current, ...change };
  }

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly hooks: ModelsHostHooks,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.reset();
  }

  /** Ends all work and frees the models: a reconnected element starts again, possibly in a new worker. */
  private reset(): void {
    this.lifetime.abort();
    this.trainAbort?.abort();
    cancelAnimationFrame(this.frame);
    const ids = [this.modelIds.ae, this.modelIds.vae, this.owned.ae, this.owned.vae].filter(
      (id): id is string => id !== undefined,
    );
    this.hooks.bridge()?.disposeModels(ids);
    this.destroyLossChart();
    for (const d of this.downloads) URL.revokeObjectURL(d.href);
    this.lifetime = new AbortController();
    this.trainAbort = undefined;
    this.taskId = undefined;
    this.frame = 0;
    this.modelIds = { ae: undefined, vae: undefined };
    this.owned = { ae: undefined, vae: undefined };
    this.keep = undefined;
    this.started = false;
    this.backend = undefined;
    this.pretrainedError = undefined;
    this.authorError = undefined;
    this.samples = undefined;
    this.samplesBusy = false;
    this.samplesTask = Promise.resolve();
    this.phase = 'idle';
    this.plan = undefined;
    this.running = undefined;
    this.epochs = [];
    this.fraction = 0;
    this.result = undefined;
    this.trainError = undefined;
    this.note = undefined;
    this.downloads = [];
    this.stored = {};
    this.opening = undefined;
    this.openError = undefined;
    this.current = { testKey: undefined, ae: undefined, vae: undefined };
  }

  /** Starts over, e.g. with another `model-src`; does nothing before the first {@link start}. */
  restart(): void {
    if (!this.started) return;
    this.reset();
    this.update();
    void this.start();
  }

  /** Forgets the reader's choices in the training panel: the author's attributes changed. */
  resetForm(): void {
    this.form = {};
    this.formError = undefined;
    this.update();
  }

  hostUpdated(): void {
    this.drawCanvases();
    void this.syncLossChart();
  }

  private update(): void {
    this.host.requestUpdate();
  }

  /** One render, and one `ae-train-progress` event, per animation frame however often reports come. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
      this.emitProgress();
    });
  }

  private get busy(): boolean {
    return ['loading', 'training', 'paused', 'evaluating'].includes(this.phase);
  }

  /** The settings the next run uses: the preset's, then the author's attributes, then the reader's. */
  settings(): TrainSettings {
    const attributes = defined(this.hooks.trainSettings());
    const method = this.form.method ?? attributes.method ?? 'ae';
    return {
      ...defaultSettings(attributes.preset ?? 'quick', method),
      ...attributes,
      ...this.form,
      method,
    };
  }

  private async dataset(split: BundledSplit, signal: AbortSignal): Promise<DatasetSummary> {
    const bridge = this.hooks.bridge();
    if (!bridge) throw new AeError('ABORTED', 'The element left the page.');
    return bridge.loadDataset(signal, bundledData(split));
  }

  /**
   * Loads the shipped models (or the author's `model-src` in place of the one
   * of its kind) in the worker, where TF.js loads on first use, and shows what
   * they do; then trains if the author asked for `autostart`. Called once the
   * PCA figures are drawn, so it never delays them. With no view that uses
   * the models, it does nothing.
   */
  async start(): Promise<void> {
    if (this.started) return;
    const shown = (view: ViewName) => this.hooks.shown(view);
    const autostart = this.hooks.autostart();
    // Not started: showing such a view later starts it (the element calls start again).
    if (!autostart && !MODEL_VIEWS.some(shown)) return;
    this.started = true;
    this.update();
    const { signal } = this.lifetime;
    const bridge = this.hooks.bridge();
    if (!bridge) return;
    try {
      this.backend = await bridge.backend(signal);
      this.update();
      void this.findStored();
      const test = await this.dataset('test', signal);
      this.setActive({ testKey: test.key });

      // The author's model first: its kind says which shipped model it stands in for.
      const author = await this.loadAuthorModel(signal);
      // Named short: an author's model-src may be a data: URL that a bundler inlined.
      const authorUrl = this.hooks.modelSource()?.url;
      const from = authorUrl && shortUrl(authorUrl);
      const ae =
        author?.kind === 'ae'
          ? author
          : await this.loadModel(bridge, signal, pretrainedModel('ae'));
      const aeSource: ReconSource = author?.kind === 'ae' ? 'url' : 'pretrained';
      this.modelIds.ae = ae.modelId;
      // A model trained or opened meanwhile has the stage already.
      if (!this.owned.ae) {
        this.setActive({
          ae: { ...ae, label: modelLabel('ae', aeSource, from), source: aeSource },
        });
        this.update();
      }

      const vae =
        author?.kind === 'vae'
          ? author
          : await this.loadModel(bridge, signal, pretrainedModel('vae'));
      const vaeSource: ReconSource = author?.kind === 'vae' ? 'url' : 'pretrained';
      this.modelIds.vae = vae.modelId;
      if (!this.owned.vae) {
        this.setActive({
          vae: { ...vae, label: modelLabel('vae', vaeSource, from), source: vaeSource },
        });
        if (shown('samples')) await this.newSamples(1);
      }
      this.update();
    } catch (error) {
      if (signal.aborted) return;
      this.pretrainedError = errorDetail(error);
      this.update();
      this.hooks.emit('ae-error', this.pretrainedError);
    }
    if (autostart && !signal.aborted && this.phase === 'idle') void this.train();
  }

  /** Loads a model in the worker; one that arrives after `signal` aborted is freed there. */
  private loadModel(
    bridge: WorkerBridge,
    signal: AbortSignal,
    source: ModelSource,
  ): Promise<ModelInfo> {
    return bridge.loadModel(signal, source, {
      discard: (late) => bridge.disposeModels([late.modelId]),
    });
  }

  /** Loads the author's `model-src`; a failure is shown and fired, and the shipped model stands in. */
  private async loadAuthorModel(signal: AbortSignal): Promise<ModelInfo | undefined> {
    const bridge = this.hooks.bridge();
    const source = this.hooks.modelSource();
    if (!bridge || !source) return undefined;
    try {
      return await this.loadModel(bridge, signal, source);
    } catch (error) {
      if (signal.aborted) throw error;
      const { code, message } = errorDetail(error);
      this.authorError = {
        code,
        message: `model-src="${shortUrl(source.url)}": ${message} The shipped model is shown instead.`,
      };
      this.update();
      this.hooks.emit('ae-error', this.authorError);
      return undefined;
    }
  }

  /**
   * Draws a fresh set of digits from the VAE the figures show now. Calls run
   * one after another, so the last one asked for is the one shown.
   */
  private newSamples(seed?: number): Promise<void> {
    const run = async () => {
      const bridge = this.hooks.bridge();
      const model = this.current.vae;
      if (!bridge || !model) return;
      const next = seed ?? (this.samples?.seed ?? 0) + 1;
      this.samplesBusy = true;
      this.update();
      try {
        const { images } = await bridge.sample(
          this.lifetime.signal,
          model.modelId,
          SAMPLE_COUNT,
          next,
        );
        this.samples = { images, seed: next, model };
      } finally {
        this.samplesBusy = false;
        this.update();
      }
    };
    const task = this.samplesTask.catch(() => {}).then(run);
    this.samplesTask = task;
    return task;
  }

  private onNewSamples = () => {
    if (this.samplesBusy) return;
    void this.newSamples().catch((error: unknown) => {
      if (this.lifetime.signal.aborted) return;
      this.pretrainedError = errorDetail(error);
      this.update();
    });
  };

  /** Looks for the models "Save in this browser" stored, for the "Load … from this browser" buttons. */
  private async findStored(): Promise<void> {
    const bridge = this.hooks.bridge();
    const { signal } = this.lifetime;
    if (!bridge) return;
    const found = await Promise.all(
      KINDS.map((kind) =>
        bridge
          .storedModel(signal, INDEXED_DB_URL[kind])
          // No IndexedDB here (some private windows): nothing to load, so no button.
          .catch(() => null),
      ),
    );
    if (signal.aborted) return;
    this.stored = defined({ ae: found[0] ?? undefined, vae: found[1] ?? undefined });
    this.update();
  }

  /**
   * Makes a model trained or opened here the one the figures of its kind
   * show, and the one "Save in this browser" and "Download" act on; the
   * previous one of its kind is freed.
   */
  private adopt(model: ModelInfo, source: ReconSource, label: string): void {
    const previous = this.owned[model.kind];
    if (previous && previous !== model.modelId) this.hooks.bridge()?.disposeModels([previous]);
    this.owned[model.kind] = model.modelId;
    this.keep = { modelId: model.modelId, kind: model.kind, label };
    this.setActive({ [model.kind]: { ...model, label, source } });
  }

  /**
   * Loads an autoencoder or a VAE into the worker and shows what it does: an
   * autoencoder's reconstructions of the test digits, then its test MSE; a
   * VAE's samples. `open` says what to load; its errors and the worker's
   * (wrong files, a foreign model) are shown and fired as `ae-error`.
   */
  private async openModel(
    kind: 'saved' | 'file',
    open: () => Promise<{ source: ModelSource; from: string }>,
  ): Promise<void> {
    const bridge = this.hooks.bridge();
    if (!bridge || this.opening || this.busy) return;
    const { signal } = this.lifetime;
    this.opening = kind;
    this.openError = undefined;
    this.note = undefined;
    this.update();
    let made: string | undefined;
    try {
      const { source, from } = await open();
      const model = await this.loadModel(bridge, signal, source);
      made = model.modelId;
      const label = modelLabel(model.kind, kind, from);
      this.adopt(model, kind, label);
      made = undefined;
      if (model.kind === 'vae' && this.hooks.shown('samples')) await this.newSamples(1);
      this.opening = undefined;
      this.update();
    } catch (error) {
      if (made) bridge.disposeModels([made]);
      if (signal.aborted) return;
      this.opening = undefined;
      this.openError = errorDetail(error);
      this.update();
      this.hooks.emit('ae-error', this.openError);
    }
  }

  private onLoadSaved = (event: Event) => {
    const kind = (event.currentTarget as HTMLElement).dataset.kind as TrainMethod;
    const stored = this.stored[kind];
    if (!stored) return;
    const when = new Date(stored.savedAt).toLocaleString(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    void this.openModel('saved', async () => ({
      source: { indexedDb: stored.url },
      from: `${shortUrl(stored.url)}, saved ${when}`,
    }));
  };

  private onOpenFiles = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // Cleared, so that choosing the same files again is a change too.
    input.value = '';
    if (!files.length) return;
    void this.openModel('file', async () => {
      const { name, modelJson, weights } = await readModelFiles(files);
      return { source: { modelJson, weights }, from: shortUrl(name) };
    });
  };

  /** Trains an autoencoder or a VAE in the worker with the current settings; the newest run replaces the last. */
  private async train(): Promise<void> {
    const bridge = this.hooks.bridge();
    if (!bridge || this.busy || this.opening || this.formError) return;
    const abort = new AbortController();
    this.trainAbort = abort;
    const { signal } = abort;
    const settings = this.settings();
    const kind = settings.method;
    this.running = settings;
    this.phase = 'loading';
    this.plan = undefined;
    this.epochs = [];
    this.fraction = 0;
    this.clock = { accumulated: 0, since: undefined };
    this.trainError = undefined;
    this.note = undefined;
    this.destroyLossChart();
    this.update();
    let made: string | undefined;
    try {
      const [trainSet, testSet] = await Promise.all([
        this.dataset('train', signal),
        this.dataset('test', signal),
      ]);
      const spec: TrainSpec = {
        kind,
        preset: settings.preset,
        epochs: settings.epochs,
        latent: settings.latent,
        seed: settings.seed,
        trainSize: settings.trainSize,
      };
      const onProgress = (p: TrainProgress) => {
        if (this.trainAbort === abort && !signal.aborted) this.onTrainProgress(p);
      };
      const summary = await bridge.train(
        signal,
        spec,
        { trainKey: trainSet.key, testKey: testSet.key },
        {
          onProgress,
          onStart: (id) => (this.taskId = id),
          // Cancelled while it was being scored: the model the worker made anyway.
          discard: (late) => bridge.disposeModels([late.model.modelId]),
        },
      );
      made = summary.model.modelId;
      this.taskId = undefined;
      throwIfAborted(signal);
      const label = modelLabel(kind, 'trained', undefined, summary.epochs);
      this.adopt(summary.model, 'trained', label);
      made = undefined;
      if (kind === 'vae' && this.hooks.shown('samples')) await this.newSamples(1);
      this.result = summary;
      this.backend = summary.backend;
      this.phase = 'done';
      this.update();
      this.hooks.emit<AeTrainedDetail>('ae-trained', {
        kind,
        testScore: summary.testScore,
        testCount: summary.testCount,
        epochs: summary.epochs,
        latentSize: summary.model.latentSize,
        seed: settings.seed,
        trainCount: summary.plan.trainCount,
        samplesPerSecond: summary.samplesPerSecond,
        backend: summary.backend,
      });
    } catch (error) {
      if (made) bridge.disposeModels([made]);
      this.taskId = undefined;
      if (this.lifetime.signal.aborted || this.trainAbort !== abort) return;
      if (signal.aborted) {
        // Cancelled: back to where it was before, with nothing half-drawn.
        this.phase = 'cancelled';
        this.plan = undefined;
        this.epochs = [];
        this.fraction = 0;
        this.destroyLossChart();
      } else {
        this.phase = 'error';
        this.trainError = errorDetail(error);
        this.hooks.emit('ae-error', this.trainError);
      }
      this.update();
    }
  }

  private onTrainProgress(p: TrainProgress): void {
    switch (p.stage) {
      case 'plan':
        this.plan = p.plan;
        this.backend = p.backend;
        if (this.phase === 'loading') this.phase = 'training';
        this.clock = { accumulated: 0, since: performance.now() };
        break;
      case 'batch':
        this.fraction = p.fraction;
        break;
      case 'epoch':
        this.epochs = [...this.epochs, p];
        this.fraction = p.epoch / p.epochs;
        // Every epoch is an event, unthrottled (the worker never drops one).
        this.hooks.emit<AeTrainEpochDetail>('ae-train-epoch', p);
        break;
      case 'evaluate':
        this.phase = 'evaluating';
        this.fraction = 1;
        this.stopClock();
        break;
    }
    this.schedule();
  }

  private stopClock(): void {
    const { since } = this.clock;
    if (since !== undefined) {
      this.clock = {
        accumulated: this.clock.accumulated + performance.now() - since,
        since: undefined,
      };
    }
  }

  /** Digits per second (the last epoch's, or so far) and the time left at the pace so far. */
  private pace(): { samplesPerSecond: number | null; etaSeconds: number | null } {
    const plan = this.plan;
    if (!plan) return { samplesPerSecond: null, etaSeconds: null };
    const { accumulated, since } = this.clock;
    const seconds = (accumulated + (since !== undefined ? performance.now() - since : 0)) / 1000;
    const last = this.epochs.at(-1);
    const done = this.fraction * plan.epochs * plan.trainCount;
    // Under half a second, the first batches (TF.js warming up) say little about the pace.
    const measured = seconds > 0.5 && this.fraction > 0;
    return {
      samplesPerSecond: last ? last.samplesPerSecond : measured ? done / seconds : null,
      etaSeconds: measured
        ? (seconds * (1 - this.fraction)) / this.fraction
        : (last?.etaSeconds ?? null),
    };
  }

  /** The epoch running now (1-based), or the last one once all have run. */
  private currentEpoch(): number {
    const total = this.plan?.epochs ?? 1;
    return Math.min(total, (this.epochs.at(-1)?.epoch ?? 0) + 1);
  }

  private emitProgress(): void {
    if ((this.phase !== 'training' && this.phase !== 'paused') || !this.plan || !this.running) {
      return;
    }
    this.hooks.emit<AeTrainProgressDetail>('ae-train-progress', {
      kind: this.running.method,
      fraction: this.fraction,
      epoch: this.currentEpoch(),
      epochs: this.plan.epochs,
      ...this.pace(),
      paused: this.phase === 'paused',
    });
  }

  private onTrain = () => void this.train();

  private onPause = async () => {
    const bridge = this.hooks.bridge();
    if (this.phase !== 'training' || this.taskId === undefined || !bridge) return;
    this.phase = 'paused';
    this.stopClock();
    this.update();
    this.emitProgress();
    // A task that has just ended has nothing to pause; its end sets the phase.
    await bridge.pause(this.taskId).catch(() => false);
  };

  private onResume = async () => {
    const bridge = this.hooks.bridge();
    if (this.phase !== 'paused' || this.taskId === undefined || !bridge) return;
    this.phase = 'training';
    this.clock = { ...this.clock, since: performance.now() };
    this.update();
    this.emitProgress();
    // A task that has just ended has nothing to resume; its end sets the phase.
    await bridge.resume(this.taskId).catch(() => false);
  };

  private onCancel = () => this.trainAbort?.abort();

  /** A setting changed in the training panel: kept if valid, else said what is valid. */
  private onSetting = (event: Event) => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    const name = input.dataset.setting as NumericSetting | 'method';
    try {
      const value =
        name === 'method'
          ? checkMethod(input.value)
          : checkSetting(name, input.value, SETTING_LABELS[name]);
      this.form = { ...this.form, [name]: value };
      if (this.formError?.setting === name) this.formError = undefined;
    } catch (error) {
      this.formError = { setting: name, message: errorDetail(error).message };
    }
    this.update();
  };

  private onSave = async () => {
    const bridge = this.hooks.bridge();
    const keep = this.keep;
    if (!bridge || !keep) return;
    this.note = 'Saving in this browser…';
    this.update();
    try {
      const saved = await bridge.saveModel(
        this.lifetime.signal,
        keep.modelId,
        INDEXED_DB_URL[keep.kind],
      );
      this.note = `Saved in this browser (IndexedDB) as ${saved.url}, ${(saved.bytes / 1e6).toFixed(1)} MB.`;
      this.stored = {
        ...this.stored,
        [keep.kind]: { url: saved.url, bytes: saved.bytes, savedAt: Date.now() },
      };
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      this.note = `Could not save: ${errorDetail(error).message}`;
    }
    this.update();
  };

  private onDownload = async () => {
    const bridge = this.hooks.bridge();
    const keep = this.keep;
    if (!bridge || !keep) return;
    try {
      const name = DOWNLOAD_NAME[keep.kind];
      const weightsName = `${name}.weights.bin`;
      const files = await bridge.exportModel(this.lifetime.signal, keep.modelId, weightsName);
      for (const d of this.downloads) URL.revokeObjectURL(d.href);
      this.downloads = [
        {
          name: `${name}.json`,
          href: URL.createObjectURL(new Blob([files.modelJson], { type: 'application/json' })),
          bytes: files.modelJson.length,
        },
        {
          name: weightsName,
          href: URL.createObjectURL(
            new Blob([files.weights], { type: 'application/octet-stream' }),
          ),
          bytes: files.weights.byteLength,
        },
      ];
      this.note = 'Keep both files in one folder; tf.loadLayersModel reads the .json.';
      this.update();
      await this.host.updateComplete;
      // The same two downloads tf.io.browserDownloads makes; the links stay for a second try.
      for (const link of this.host.renderRoot.querySelectorAll<HTMLAnchorElement>('a[download]')) {
        link.click();
      }
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      this.note = `Could not export the model: ${errorDetail(error).message}`;
      this.update();
    }
  };

  private statusText(): string {
    const last = this.epochs.at(-1);
    const total = this.plan?.epochs ?? last?.epochs;
    const pct = `${Math.round(100 * this.fraction)} %`;
    const run = this.running;
    switch (this.phase) {
      case 'idle':
        return this.started ? 'Ready to train.' : '';
      case 'loading':
        return 'Loading the training digits and starting TF.js…';
      case 'training':
        return (
          `Training, epoch ${this.currentEpoch()} of ${total ?? '…'} (${pct}).` +
          (last
            ? ` Epoch ${last.epoch}: loss ${last.loss.toFixed(4)}` +
              (last.valLoss !== null ? `, validation loss ${last.valLoss.toFixed(4)}.` : '.')
            : '')
        );
      case 'paused':
        return `Paused after ${last ? `epoch ${last.epoch} of ${total}` : 'a few batches'} (${pct}).`;
      case 'evaluating':
        return 'Trained; scoring it on the test digits…';
      case 'done': {
        const r = this.result!;
        const kind = r.model.kind;
        const score =
          kind === 'ae'
            ? `test MSE ${r.testScore.toFixed(4)}`
            : `test loss ${r.testScore.toFixed(2)} per digit`;
        return (
          `Done: ${METHOD_WORDS[kind].a} with latent size ${r.model.latentSize} (seed ${run?.seed}). ` +
          `Trained ${plural(r.epochs, 'epoch')} on ${number(r.plan.trainCount)} digits ` +
          `at ${number(r.samplesPerSecond)} samples/s; ${score}.`
        );
      }
      case 'cancelled':
        return 'Training cancelled.';
      case 'error':
        return 'Training failed; see the message below.';
    }
  }

  /** The line under the progress bar: epoch, speed and time left. */
  private speedText(): string {
    if (this.phase === 'loading' || !this.plan) return 'Starting…';
    if (this.phase === 'evaluating') return 'Scoring on the test digits…';
    const { samplesPerSecond, etaSeconds } = this.pace();
    const epoch = `Epoch ${this.currentEpoch()} of ${this.plan.epochs}`;
    const speed =
      samplesPerSecond === null ? 'measuring speed' : `${number(samplesPerSecond)} samples/s`;
    const left =
      this.phase === 'paused'
        ? 'paused'
        : etaSeconds === null
          ? 'time left unknown'
          : timeLeft(etaSeconds);
    return `${epoch} · ${speed} · ${left}`;
  }

  private backendText(): string {
    const b = this.backend;
    if (!b) return 'TF.js: starting in the worker…';
    return `TF.js ${b.name}, SIMD ${onOff(b.simd)}, threads ${onOff(b.threads)} (in a worker).`;
  }

  /** The models section of the element: the figures the views ask for and the training panel. */
  render() {
    const shown = (view: ViewName) => this.hooks.shown(view);
    // Errors of the models show even when only other sections' views use them.
    const errors = this.pretrainedError || this.authorError;
    if (!this.started || !(errors || (['samples', 'train'] as const).some(shown))) {
      return nothing;
    }
    return html`
      <section class="models" part="models" aria-labelledby="models-title">
        <h2 id="models-title">Autoencoders</h2>
        <p class="backend" data-backend>${this.backendText()}</p>
        ${
          this.backend?.threadsOff
            ? html`<p class="backend" data-threads-off>Threads off: ${this.backend.threadsOff}.</p>`
            : nothing
        }
        ${
          this.pretrainedError
            ? html`<div part="models-error" class="error" role="alert">
                <strong>Could not show the shipped models.</strong>${this.pretrainedError.message}
              </div>`
            : nothing
        }
        ${
          this.authorError
            ? html`<div part="models-error" class="error" role="alert" data-author-error>
                <strong>Could not load the author's model.</strong>${this.authorError.message}
              </div>`
            : nothing
        }
        <div class="figures">${shown('samples') ? this.renderSamples() : nothing}</div>
        ${shown('train') ? this.renderTrain() : nothing}
      </section>
    `;
  }

  private numberField(name: NumericSetting, value: number) {
    const [min, max] = SETTING_LIMITS[name];
    return html`<label>
      ${SETTING_LABELS[name]}
      <input
        type="number"
        inputmode="numeric"
        min=${min}
        max=${max}
        step="1"
        data-setting=${name}
        aria-invalid=${this.formError?.setting === name ? 'true' : 'false'}
        .value=${String(value)}
        @change=${this.onSetting}
      />
    </label>`;
  }

  /** The training panel: settings, start, pause, resume, cancel, progress, save, download and open. */
  private renderTrain() {
    const settings = this.settings();
    const words = METHOD_WORDS[settings.method];
    const busy = this.busy;
    const locked = busy || !!this.opening;
    const keep = this.keep;
    return html`<div class="train" part="train">
      <h3>Train ${words.a} here</h3>
      <p class="summary">
        Trains in the worker on the first ${number(settings.trainSize)} of the
        ${number(SHIPPED_TRAIN_DIGITS)} training digits this page ships (preset
        <code>${settings.preset}</code>), then shows
        ${settings.method === 'ae' ? 'its reconstructions' : 'its samples'} above.
      </p>
      <fieldset class="settings" part="train-settings" ?disabled=${locked}>
        <legend>Settings</legend>
        <label>
          Method
          <select data-setting="method" .value=${settings.method} @change=${this.onSetting}>
            <option value="ae">Autoencoder</option>
            <option value="vae">VAE (variational)</option>
          </select>
        </label>
        ${this.numberField('latent', settings.latent)}
        ${this.numberField('epochs', settings.epochs)}
        ${this.numberField('trainSize', settings.trainSize)}
        ${this.numberField('seed', settings.seed)}
      </fieldset>
      ${
        this.formError
          ? html`<p class="field-error" role="alert" data-form-error>${this.formError.message}</p>`
          : nothing
      }
      <div class="controls">
        <button
          type="button"
          data-action="train"
          ?disabled=${locked || !!this.formError}
          @click=${this.onTrain}
        >
          Train ${words.a} here
        </button>
        ${
          this.phase === 'paused'
            ? html`<button type="button" data-action="resume" @click=${this.onResume}>
                Resume
              </button>`
            : html`<button
                type="button"
                data-action="pause"
                ?disabled=${this.phase !== 'training' || this.taskId === undefined}
                @click=${this.onPause}
              >
                Pause
              </button>`
        }
        <button type="button" data-action="cancel" ?disabled=${!busy} @click=${this.onCancel}>
          Cancel
        </button>
      </div>
      <p part="train-status" class="status" role="status" aria-live="polite">
        ${this.statusText()}
      </p>
      ${
        busy
          ? html`<progress
                part="progress"
                max="1"
                .value=${this.fraction}
                aria-label="Training progress"
              ></progress>
              <p class="summary" data-speed>${this.speedText()}</p>`
          : nothing
      }
      ${
        this.trainError
          ? html`<div part="train-error" class="error" role="alert">
              <strong>Training failed.</strong>${this.trainError.message}
            </div>`
          : nothing
      }
      ${this.plan ? this.renderLossFigure() : nothing}
      <div class="controls" data-keep-actions>
        ${
          keep && !locked
            ? html`<button type="button" data-action="save" @click=${this.onSave}>
                  Save in this browser
                </button>
                <button type="button" data-action="download" @click=${this.onDownload}>
                  Download model
                </button>`
            : nothing
        }
        ${KINDS.map((kind) =>
          this.stored[kind]
            ? html`<button
                type="button"
                data-action="load-saved"
                data-kind=${kind}
                ?disabled=${locked}
                @click=${this.onLoadSaved}
              >
                Load your ${METHOD_WORDS[kind].short} from this browser
              </button>`
            : nothing,
        )}
        <label class="file-button" ?data-disabled=${locked}>
          Open a downloaded model…
          <input
            type="file"
            multiple
            accept=".json,.bin"
            data-action="open-files"
            ?disabled=${locked}
            @change=${this.onOpenFiles}
          />
        </label>
      </div>
      ${
        keep && !locked
          ? html`<p class="summary" data-keep>
              Save and Download act on ${inSentence(keep.label)}.
            </p>`
          : nothing
      }
      ${
        this.opening
          ? html`<p class="summary" data-opening>
              ${
                this.opening === 'saved'
                  ? 'Loading the model saved in this browser…'
                  : 'Loading the downloaded model…'
              }
            </p>`
          : nothing
      }
      ${
        this.openError
          ? html`<div part="open-error" class="error" role="alert">
              <strong>Could not open the model.</strong>${this.openError.message}
            </div>`
          : nothing
      }
      ${this.note ? html`<p class="summary" data-note>${this.note}</p>` : nothing}
      ${
        this.downloads.length
          ? html`<p class="summary downloads">
              ${this.downloads.map(
                (d) =>
                  html`<a href=${d.href} download=${d.name}
                    >${d.name} (${(d.bytes / 1e6).toFixed(2)} MB)</a
                  > `,
              )}
            </p>`
          : nothing
      }
    </div>`;
  }

  private renderSamples() {
    const s = this.samples;
    const label = inSentence(s?.model.label ?? this.current.vae?.label ?? 'The shipped VAE');
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
                <button
                  type="button"
                  data-action="samples"
                  ?disabled=${this.samplesBusy}
                  @click=${this.onNewSamples}
                >
                  New samples
                </button>
              </p>`
          : html`<p class="summary">Loading ${label}…</p>`
      }
    </figure>`;
  }

  private renderLossFigure() {
    return html`<figure part="figure" data-figure="loss" data-epochs=${this.epochs.length}>
      <figcaption>Loss per epoch</figcaption>
      <div class="chart" role="img" aria-label="Training and validation loss per epoch"></div>
      <ul class="legend" aria-label="Lines">
        <li><span ${cssProps({ background: 'var(--ae-demo-accent)' })}></span>training loss</li>
        <li><span ${cssProps({ background: DIGIT_COLORS[1] })}></span>validation loss (dashed)</li>
      </ul>
    </figure>`;
  }

  private drawCanvases(): void {
    const root = this.host.renderRoot;
    const draw = (name: string, data: unknown, paint: (c: HTMLCanvasElement) => void) => {
      const canvas = root.querySelector<HTMLCanvasElement>(`canvas[data-digits=${name}]`);
      if (!canvas || this.drawn.get(canvas) === data) return;
      paint(canvas);
      this.drawn.set(canvas, data);
    };
    const s = this.samples;
    if (s) {
      const grid = { count: SAMPLE_COUNT, rows: 28, cols: 28, columns: SAMPLE_COLUMNS };
      draw('samples', s, (c) => drawDigits(c, s.images, grid));
    }
  }

  /**
   * Creates the loss chart once the plan is known, redraws it as epochs arrive,
   * and draws it anew, on a frame of its own, when the colour scheme changes.
   */
  private async syncLossChart(): Promise<void> {
    const box = this.host.renderRoot.querySelector<HTMLElement>('[data-figure=loss] .chart');
    if (!box || !this.plan) return;
    if (this.lossChart && !this.lossChart.chart.root.isConnected) this.destroyLossChart();
    if (this.lossChart && this.lossTheme !== themeSignature(this.hooks.theme())) {
      // One restyle at a time: renders come every frame while training.
      if (this.restyling) return;
      this.restyling = true;
      const generation = this.chartGeneration;
      try {
        await paintSlot();
      } finally {
        this.restyling = false;
      }
      if (generation !== this.chartGeneration || !box.isConnected || !this.plan) return;
      this.destroyLossChart();
    }
    if (!this.lossChart) {
      const generation = ++this.chartGeneration;
      const charts = await chartsOr((error) => {
        if (generation === this.chartGeneration) this.hooks.chartFailed(box, error);
      });
      if (!charts || generation !== this.chartGeneration || !box.isConnected || !this.plan) return;
      const { lossChart } = charts;
      const theme = this.hooks.theme();
      this.lossTheme = themeSignature(theme);
      box.dataset.theme = this.lossTheme;
      this.lossChart = lossChart(box, {
        epochs: this.plan.epochs,
        series: [
          { label: 'training loss', color: theme.accent },
          { label: 'validation loss', color: DIGIT_COLORS[1], dash: true },
        ],
        yLabel: this.running?.method === 'vae' ? 'Loss per digit' : 'MSE per pixel',
        width: Math.max(200, box.clientWidth),
        height: 220,
        theme,
      });
      this.lossChartDrawn = -1;
      this.resizeObserver = new ResizeObserver(() => {
        const chart = this.lossChart?.chart;
        if (chart && box.clientWidth > 0 && Math.abs(box.clientWidth - chart.width) > 1) {
          chart.setSize({ width: Math.max(200, box.clientWidth), height: chart.height });
        }
      });
      this.resizeObserver.observe(box);
    }
    if (this.lossChartDrawn !== this.epochs.length) {
      this.lossChartDrawn = this.epochs.length;
      this.lossChart.update([this.epochs.map((e) => e.loss), this.epochs.map((e) => e.valLoss)]);
      // How many epochs the curve holds, for tests and tools: one point per epoch.
      box.dataset.points = String(this.lossChart.chart.data[0].length);
    }
  }

  private destroyLossChart(): void {
    this.chartGeneration++;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.lossChart?.chart.destroy();
    this.lossChart = undefined;
    this.lossChartDrawn = -1;
  }
}
