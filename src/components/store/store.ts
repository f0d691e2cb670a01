import { HELD_OUT_FRACTION } from '../../core/data/images.ts';
import { fileNameOf } from '../../core/data/load.ts';
import { AeError, throwIfAborted } from '../../core/errors.ts';
import type {
  BackendInfo,
  DataSource,
  DatasetSummary,
  ModelInfo,
  PcaSummary,
  TaskProgress,
  WorkerBridge,
} from '../../worker/bridge.ts';
import type { ChartTheme } from '../charts/charts.ts';
import { bundledData } from '../ae-demo/default-data.ts';
import type { AeDemoPhase, AeErrorDetail, Emit } from '../ae-demo/events.ts';
import type { TrainSettings } from '../../core/settings.ts';
import type { ViewName } from '../ae-demo/views.ts';
import { errorDetail } from '../ae-demo/words.ts';
import { TrainingRun } from './training.ts';
import { ViewState } from './view-state.ts';

/** The PCA the element has drawn: its dataset (with labels) and the summary. */
export interface PcaState {
  dataset: DatasetSummary;
  result: PcaSummary;
  /** Whether it is the bundled test set, the digits the models are scored on. */
  isTestSet: boolean;
}

/**
 * Where a model the figures show comes from (the canvases' `data-source`):
 * shipped, trained here, saved in this browser, opened from files, or the
 * author's `model-src` URL.
 */
export type ModelOrigin = 'pretrained' | 'trained' | 'saved' | 'file' | 'url';

/** A model in the worker that the figures use, and words saying which one it is. */
export interface ActiveModel extends ModelInfo {
  label: string;
  source: ModelOrigin;
}

/** The autoencoder and the VAE the figures show now, and the key of the loaded test set. */
export interface ActiveModels {
  testKey?: string;
  ae?: ActiveModel;
  vae?: ActiveModel;
}

/** The latent codes of every test digit under one model (the VAE's μ): count × latentSize. */
export interface TestCodes {
  count: number;
  latentSize: number;
  codes: Float32Array;
}

/**
 * The author's own images as the lesson uses them (see attributes.ts's
 * authorData): `all` for the PCA, `train` and `test` for the models.
 */
export interface AuthorData {
  /** What the heading calls the data: `data-name`, or data-src's file name. */
  name: string;
  all: DataSource;
  train: DataSource;
  test: DataSource;
  /** Whether `test` is the last 20 % of `data-src`, held out from training (no `test-data-src`). */
  heldOut: boolean;
}

/**
 * PCA on the author's images as the models are scored: fitted on their
 * training images, its error on their test images at every k.
 */
export interface HeldOutPca {
  /** MSE per pixel on the test images at k = 1 … the PCA's components (index k − 1). */
  mse: Float64Array;
  /** Images PCA was fitted on (the models' training images) and scored on. */
  fitCount: number;
  testCount: number;
  trainKey: string;
  testKey: string;
}

/** The side of the images the shipped models take (MNIST's 28 × 28). */
export const SHIPPED_SIDE = 28;

/** The PCA run's state, for the element's status line and progress bar. */
export interface PcaRun {
  phase: AeDemoPhase;
  progress?: TaskProgress;
  error?: AeErrorDetail;
}

/**
 * What the element tells its store: the author's attributes as read now,
 * the page's preferences and the one event helper. Read on every use, so a
 * changed attribute is seen at once.
 */
export interface StoreHost {
  /** Whether the author's `views` attribute asks for this view. */
  shown(view: ViewName): boolean;
  /** The charts' colours and font, from the element's custom properties. */
  theme(): ChartTheme;
  /** Whether the reader asked for reduced motion. */
  reducedMotion(): boolean;
  /** The valid training settings of the author's attributes, and the preset. */
  trainAttributes(): Partial<TrainSettings> & { preset: string };
  /**
   * Resolves once the element has taken in its latest attributes: renders
   * wait their turn (shared/render-slice.ts), so an attribute set just before
   * a click may not have reached trainAttributes() yet.
   */
  settled(): Promise<unknown>;
  /** The author's own model (`model-src`, `model-weights-src`), as absolute URLs. */
  modelSource(): { url: string; weightsUrl?: string } | undefined;
  /** Whether to train as soon as the shipped models are shown (`autostart`). */
  autostart(): boolean;
  /** The author's own images (`data-src` …), or undefined for the bundled MNIST digits. */
  authorData(): AuthorData | undefined;
  emit: Emit;
}

type Listener = () => void;

/**
 * The state of one `<ae-demo>` while it is on the page, shared with its
 * parts through context: the PCA, the models the figures show, the
 * results several figures need (computed once, cached by the values they
 * depend on) and the bridge to the worker. Created when the element is
 * connected and dropped when it leaves: dropping aborts all its work and
 * frees its models, and a connected element starts with a new store, so
 * nothing is reset field by field.
 */
export class DemoStore {
  /** Aborted when the store is dropped: every task of the store and its parts uses it. */
  readonly signal: AbortSignal;
  pca: PcaState | undefined;
  pcaRun: PcaRun = { phase: 'idle' };
  models: ActiveModels = {};
  backend: BackendInfo | undefined;
  /** Whether the models were asked for, and why the shipped or the author's could not load. */
  modelsRun: { started: boolean; error?: AeErrorDetail; authorError?: AeErrorDetail } = {
    started: false,
  };
  readonly training = new TrainingRun(this);

  private readonly lifetime = new AbortController();
  private readonly listeners = new Set<Listener>();
  private notifying = false;
  private pcaAbort: AbortController | undefined;
  private shapeOf: { for?: DatasetSummary; shape: { rows: number; cols: number } } = {
    shape: { rows: SHIPPED_SIDE, cols: SHIPPED_SIDE },
  };
  private testSet: Promise<DatasetSummary> | undefined;
  private codes = new WeakMap<ModelInfo, Promise<TestCodes>>();
  private mses = new WeakMap<ModelInfo, Promise<number>>();
  private heldOut = new WeakMap<PcaState, Promise<HeldOutPca>>();
  /** Models the store made in the worker (freed when it is dropped or they are replaced). */
  private owned = new Set<string>();
  /** Each model's lifetime in the worker, by its id there (unique per worker): aborted when it is freed. */
  private lives = new Map<string, AbortController>();

  private readonly unwatchView: () => void;

  /**
   * `view` is the element's: the reader's choices that a link restores
   * (views, training settings, each figure's choices), kept across stores.
   */
  constructor(
    readonly bridge: WorkerBridge,
    readonly host: StoreHost,
    readonly view: ViewState = new ViewState(),
  ) {
    this.signal = this.lifetime.signal;
    // A choice changed (by the reader, or by a link): the parts render it.
    this.unwatchView = view.subscribe(() => this.changed());
  }

  /** Calls `listener` after any change (once per microtask); returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the parts that something changed: they render again. */
  changed(): void {
    if (this.notifying || this.signal.aborted) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      if (this.signal.aborted) return;
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** Ends all work of this connection and frees its models in the worker. */
  drop(): void {
    this.lifetime.abort();
    this.unwatchView();
    this.dispose([...this.owned]);
    this.owned.clear();
    this.listeners.clear();
  }

  /** Shows an error in the place it belongs and fires it (once per message, see Emitter). */
  report(error: unknown): AeErrorDetail {
    const detail = errorDetail(error);
    this.host.emit('ae-error', detail);
    return detail;
  }

  /**
   * Loads `source` and runs PCA with `components` in the worker; a new call
   * cancels the one before. Fires `ae-progress`, then `ae-ready` or `ae-error`.
   */
  async runPca(source: () => DataSource, components: number, isTestSet: boolean): Promise<void> {
    this.pcaAbort?.abort();
    const abort = new AbortController();
    this.pcaAbort = abort;
    const signal = anySignal(abort.signal, this.signal);
    const current = () => this.pcaAbort === abort && !signal.aborted;
    const onProgress = (p: TaskProgress) => {
      // A run that a newer one replaced may still report on its way out.
      if (!current()) return;
      this.pcaRun = { phase: this.pcaRun.phase, progress: p };
      this.host.emit('ae-progress', { phase: this.pcaRun.phase, ...p });
      this.changed();
    };
    this.pca = undefined;
    this.pcaRun = { phase: 'loading', progress: { stage: 'download', fraction: 0 } };
    this.changed();
    try {
      if (!Number.isInteger(components) || components < 1 || components > 50) {
        throw new AeError(
          'BAD_ARGUMENT',
          `components="${components}" must be a whole number from 1 to 50.`,
        );
      }
      const dataset = await this.bridge.loadDataset(signal, source(), { onProgress });
      throwIfAborted(signal);
      this.pcaRun = { phase: 'computing', progress: { stage: 'gram', fraction: 0 } };
      this.changed();
      const result = await this.bridge.pca(signal, dataset.key, { components }, { onProgress });
      throwIfAborted(signal);
      this.pca = { dataset, result, isTestSet };
      this.pcaRun = { phase: 'ready' };
      this.changed();
      this.host.emit('ae-ready', {
        samples: result.samples,
        componentsFor90: result.componentsFor90,
        varianceAt90: result.cumulativeVariance[result.componentsFor90 - 1],
        timingsMs: result.timingsMs,
        kernel: result.kernel,
      });
    } catch (error) {
      if (this.pcaAbort !== abort || this.signal.aborted) return;
      this.pcaRun = signal.aborted
        ? { phase: 'cancelled' }
        : { phase: 'error', error: this.report(error) };
      this.changed();
    }
  }

  /**
   * The test set's summary (labels included, if it has any), loaded once per
   * store: the bundled test digits, or the author's test images.
   */
  testDigits(): Promise<DatasetSummary> {
    const pca = this.pca;
    if (pca?.isTestSet) return Promise.resolve(pca.dataset);
    const source = this.host.authorData()?.test ?? bundledData('test');
    const made = (this.testSet ??= this.bridge.loadDataset(this.signal, source));
    // A failure is not kept: the next figure that asks tries again.
    made.catch(() => {
      if (this.testSet === made) this.testSet = undefined;
    });
    return made;
  }

  /** Where the models' training images come from: the author's, or the bundled 12,000. */
  trainSource(): DataSource {
    return this.host.authorData()?.train ?? bundledData('train');
  }

  /**
   * The images' shape: the analysed set's, or MNIST's before it has loaded.
   * The same object until the PCA changes, so parts given it do not render again.
   */
  shape(): { rows: number; cols: number } {
    const d = this.pca?.dataset;
    if (this.shapeOf.for !== d) {
      this.shapeOf = {
        for: d,
        shape: d ? { rows: d.rows, cols: d.cols } : { rows: SHIPPED_SIDE, cols: SHIPPED_SIDE },
      };
    }
    return this.shapeOf.shape;
  }

  /** Whether the shipped models (and the figures made for MNIST's digits) fit the images' shape. */
  mnistShaped(): boolean {
    const { rows, cols } = this.shape();
    return rows === SHIPPED_SIDE && cols === SHIPPED_SIDE;
  }

  /**
   * Why a figure has no model of `kind` to draw with, in words, when the
   * shipped ones do not fit the author's images; undefined otherwise.
   * `either`: a figure that draws with whichever kind there is.
   */
  modelMissing(kind: 'ae' | 'vae' | 'either'): string | undefined {
    if (this.mnistShaped()) return undefined;
    if (kind === 'either' ? this.models.ae || this.models.vae : this.models[kind]) return undefined;
    const { rows, cols } = this.shape();
    const what = { ae: 'an autoencoder', vae: 'a VAE', either: 'an autoencoder or a VAE' }[kind];
    const method = { ae: '"Autoencoder"', vae: '"VAE"', either: '"Autoencoder" or "VAE"' }[kind];
    return (
      `The shipped models take 28 × 28 digits, but these images are ${rows} × ${cols}: ` +
      `this figure needs ${what} of that shape. Train one here (the training panel below, ` +
      `method ${method}).`
    );
  }

  /**
   * The models' test set in a sentence, `count` (already in words) of them:
   * "the 10,000 test digits", or which of the author's images they are.
   */
  testSetWords(count: string): string {
    const author = this.host.authorData();
    if (!author) return `the ${count} test digits`;
    if (author.heldOut) {
      return `the ${count} test images held out from ${author.name} (its last ${HELD_OUT_FRACTION * 100} %, not trained on)`;
    }
    return `the ${count} test images of ${fileNameOf(author.test.images)}`;
  }

  /**
   * Why a figure drawn for MNIST's 28 × 28 digits (the walk, the
   * interpolation, the draw pad) cannot show these images; undefined when it can.
   */
  mnistOnly(): string | undefined {
    if (this.mnistShaped()) return undefined;
    const { rows, cols } = this.shape();
    return `This figure is made for 28 × 28 digits; these images are ${rows} × ${cols}.`;
  }

  /**
   * The test digits' codes under `model`, encoded once in the worker and
   * shared by every figure that needs them (the latent scatter, the walk,
   * the draw pad). Kept as long as the model object is: a model replaced in
   * {@link models} takes its codes with it.
   */
  testCodes(model: ModelInfo): Promise<TestCodes> {
    return oncePer(this.codes, model, async () => {
      const test = await this.testDigits();
      return this.bridge.encode(this.signalFor(model), model.modelId, test.key);
    });
  }

  /**
   * The test MSE per pixel of `model` (a VAE's from μ, on PCA's scale) over
   * the test set `testKey`, computed once per model object in the worker and
   * shared by the figures that show it (the reconstructions, AE vs PCA); it
   * runs for as long as the model does, so one figure letting go does not
   * cancel it for another.
   */
  testMse(model: ModelInfo, testKey: string): Promise<number> {
    return oncePer(this.mses, model, () =>
      this.bridge.mse(this.signalFor(model), model.modelId, testKey),
    );
  }

  /**
   * On the author's images (undefined on MNIST or before the PCA): PCA with
   * the page's components fitted on the models' training images (the page's
   * own PCA when that is all of data-src) and scored on their test images,
   * once per PCA in the worker, so that its error stands beside the models'.
   */
  heldOutPca(): Promise<HeldOutPca> | undefined {
    const pca = this.pca;
    if (!pca || !this.host.authorData()) return undefined;
    return oncePer(this.heldOut, pca, async () => {
      const [train, test] = await Promise.all([
        this.bridge.loadDataset(this.signal, this.trainSource()),
        this.testDigits(),
      ]);
      const components = pca.result.components;
      const mse = await this.bridge.pcaTest(this.signal, train.key, test.key, components);
      return {
        mse,
        fitCount: train.count,
        testCount: test.count,
        trainKey: train.key,
        testKey: test.key,
      };
    });
  }

  /**
   * Makes `model` (made in the worker for this store) the one the figures
   * of its kind show; the one it replaces is freed if the store made it.
   */
  show(model: ActiveModel): void {
    const previous = this.models[model.kind];
    if (previous && previous.modelId !== model.modelId && this.owned.has(previous.modelId)) {
      this.owned.delete(previous.modelId);
      this.dispose([previous.modelId]);
    }
    this.owned.add(model.modelId);
    this.models = { ...this.models, [model.kind]: model };
    this.changed();
  }

  /** Records a model made in the worker for this store, so that dropping the store frees it. */
  own(modelId: string): void {
    if (this.signal.aborted) this.dispose([modelId]);
    else this.owned.add(modelId);
  }

  /** Frees a model the store made, unless a figure shows it. */
  free(modelId: string): void {
    const shown = [this.models.ae?.modelId, this.models.vae?.modelId];
    if (shown.includes(modelId) || !this.owned.delete(modelId)) return;
    this.dispose([modelId]);
  }

  /**
   * A signal for work with `model`: aborted when the model is freed (a new
   * one took its place) or the store is dropped. Work for a replaced model
   * then ends as cancelled, not as a failure of a model no longer there.
   */
  signalFor(model: Pick<ModelInfo, 'modelId'>): AbortSignal {
    let life = this.lives.get(model.modelId);
    if (!life) {
      life = new AbortController();
      this.lives.set(model.modelId, life);
      const end = life;
      this.signal.addEventListener('abort', () => end.abort(), { once: true });
    }
    return life.signal;
  }

  /** Ends the work with these models, then frees them in the worker. */
  private dispose(modelIds: string[]): void {
    // Kept, aborted: work asked for afterwards with a model already freed ends at once too.
    for (const id of modelIds) {
      const life = this.lives.get(id) ?? new AbortController();
      life.abort();
      this.lives.set(id, life);
    }
    this.bridge.disposeModels(modelIds);
  }
}

/**
 * The labels of a loaded set, for figures that name digits by them; an
 * author's set without labels is an error in words saying what to give.
 */
export function labelsOf(set: DatasetSummary): Uint8Array {
  if (set.labels) return set.labels;
  throw new AeError(
    'BAD_ARGUMENT',
    'These images have no labels (labels-src), and this figure names each digit by its label.',
  );
}

/** `make()` once per `key` object, shared; a failure is not kept, so the next caller tries again. */
function oncePer<K extends object, V>(
  cache: WeakMap<K, Promise<V>>,
  key: K,
  make: () => Promise<V>,
): Promise<V> {
  const known = cache.get(key);
  if (known) return known;
  const made = make();
  cache.set(key, made);
  made.catch(() => {
    if (cache.get(key) === made) cache.delete(key);
  });
  return made;
}

/** An AbortSignal that aborts when either does (AbortSignal.any is Safari 17.4+). */
export function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (a.aborted) return a;
  if (b.aborted) return b;
  const both = new AbortController();
  const abort = () => both.abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return both.signal;
}
