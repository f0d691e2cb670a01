import { throwIfAborted } from '../../core/errors.ts';
import type {
  EpochReport,
  RunPlan,
  TrainProgress,
  TrainSpec,
  TrainSummary,
} from '../../worker/bridge.ts';
import type { AeErrorDetail } from '../ae-demo/events.ts';
import { defaultSettings, type TrainSettings } from '../../core/settings.ts';
import { modelLabel } from './models.ts';
import type { DemoStore } from './store.ts';

/** What the training of the element is doing. */
export type TrainPhase =
  'idle' | 'loading' | 'training' | 'paused' | 'evaluating' | 'done' | 'cancelled' | 'error';

/** Digits per second and seconds left; null until they can be told. */
export interface TrainPace {
  samplesPerSecond: number | null;
  etaSeconds: number | null;
}

/** The entries of `o` whose value is defined (so that spreading them overrides nothing with undefined). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The settings a run uses: the preset's, then the author's attributes
 * (`store.host.trainAttributes()`), then what the reader chose in the panel.
 */
export function runSettings(
  attributes: Partial<TrainSettings> & { preset: string },
  chosen: Partial<TrainSettings> = {},
): TrainSettings {
  const author = defined(attributes);
  const method = chosen.method ?? author.method ?? 'ae';
  return {
    ...defaultSettings(author.preset ?? 'quick', method),
    ...author,
    ...defined(chosen),
    method,
  };
}

/**
 * The element's training run: an autoencoder or a VAE trained in the worker
 * on the bundled training digits, with pause, resume and cancel, a clock
 * that leaves pauses out, and the events of training (`ae-train-epoch` for
 * every epoch, `ae-train-progress` at most once per animation frame,
 * `ae-trained`, `ae-error`). The trained model becomes the one of its kind
 * the figures show. One per store: dropping the store cancels the run.
 */
export class TrainingRun {
  phase: TrainPhase = 'idle';
  /** The settings of the run under way, or of the last one. */
  settings: TrainSettings | undefined;
  /** Known once the worker has chosen the digits: the run's epochs and digits. */
  plan: RunPlan | undefined;
  /** Every epoch finished so far, in order; a new array per epoch. */
  epochs: readonly EpochReport[] = [];
  /** The run's fraction done, 0..1. */
  fraction = 0;
  /** The last run that finished. */
  result: TrainSummary | undefined;
  error: AeErrorDetail | undefined;
  /** The worker's id of the training task, for pause and resume; set while it runs. */
  taskId: number | undefined;
  /** How many runs have started: tells one run's figures from the next. */
  count = 0;

  /** Training time so far, without pauses, for samples/s and the time left. */
  private clock = { accumulated: 0, since: undefined as number | undefined };
  private abort: AbortController | undefined;
  private frame = 0;

  // Made while the store is constructed: it reads nothing of the store until a run starts.
  constructor(private readonly store: DemoStore) {}

  /** Whether a run is under way (Train is off, Cancel is on). */
  get busy(): boolean {
    return ['loading', 'training', 'paused', 'evaluating'].includes(this.phase);
  }

  /** Whether Pause can hold the run now. */
  get pausable(): boolean {
    return this.phase === 'training' && this.taskId !== undefined;
  }

  /**
   * Trains with `settings` in the worker (nothing while a run is under way)
   * and shows the trained model; resolves when the run has ended, however
   * it ended (its failure is in {@link error} and fired as `ae-error`).
   */
  async start(settings: TrainSettings): Promise<void> {
    const { store } = this;
    if (this.busy || store.signal.aborted) return;
    const abort = new AbortController();
    this.abort = abort;
    const { signal } = abort;
    // Dropping the store ends the run.
    const drop = () => abort.abort();
    store.signal.addEventListener('abort', drop, { once: true });
    const kind = settings.method;
    this.settings = settings;
    this.phase = 'loading';
    this.plan = undefined;
    this.epochs = [];
    this.fraction = 0;
    this.clock = { accumulated: 0, since: undefined };
    this.error = undefined;
    this.count++;
    store.changed();
    let made: string | undefined;
    try {
      const [trainSet, testSet] = await Promise.all([
        store.bridge.loadDataset(signal, store.trainSource()),
        store.testDigits(),
      ]);
      const spec: TrainSpec = {
        kind,
        preset: settings.preset,
        epochs: settings.epochs,
        latent: settings.latent,
        seed: settings.seed,
        trainSize: settings.trainSize,
      };
      const summary = await store.bridge.train(
        signal,
        spec,
        { trainKey: trainSet.key, testKey: testSet.key },
        {
          onProgress: (p: TrainProgress) => {
            if (this.abort === abort && !signal.aborted) this.progress(p);
          },
          onStart: (id: number) => (this.taskId = id),
          // Cancelled while it was being scored: the model the worker made anyway.
          discard: (late: TrainSummary) => store.bridge.disposeModels([late.model.modelId]),
        },
      );
      made = summary.model.modelId;
      this.taskId = undefined;
      throwIfAborted(signal);
      store.show({
        ...summary.model,
        label: modelLabel(kind, 'trained', undefined, summary.epochs),
        source: 'trained',
      });
      made = undefined;
      this.result = summary;
      store.backend = summary.backend;
      this.phase = 'done';
      store.changed();
      store.host.emit('ae-trained', {
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
      if (made) store.bridge.disposeModels([made]);
      this.taskId = undefined;
      if (store.signal.aborted || this.abort !== abort) return;
      if (signal.aborted) {
        // Cancelled: back to where it was before, with nothing half-drawn.
        this.phase = 'cancelled';
        this.plan = undefined;
        this.epochs = [];
        this.fraction = 0;
      } else {
        this.phase = 'error';
        this.error = store.report(error);
      }
      store.changed();
    } finally {
      store.signal.removeEventListener('abort', drop);
    }
  }

  /**
   * The author's `autostart`: trains with the author's settings
   * (`store.host.trainAttributes()` over the preset's, under the reader's
   * of `store.view`, which a link may have set), once, if nothing
   * has run yet. `<ae-demo>` calls it after the shipped models are shown.
   */
  autostart(): Promise<void> {
    if (this.phase !== 'idle') return Promise.resolve();
    return this.start(runSettings(this.store.host.trainAttributes(), this.store.view.value.train));
  }

  /** Holds the run between batches; the worker takes the pause at its next batch. */
  async pause(): Promise<void> {
    const id = this.taskId;
    if (!this.pausable || id === undefined) return;
    this.phase = 'paused';
    this.stopClock();
    this.store.changed();
    this.emitProgress();
    // A task that has just ended has nothing to pause; its end sets the phase.
    await this.store.bridge.pause(id).catch(() => false);
  }

  /** Lets a paused run go on. */
  async resume(): Promise<void> {
    const id = this.taskId;
    if (this.phase !== 'paused' || id === undefined) return;
    this.phase = 'training';
    this.clock = { ...this.clock, since: performance.now() };
    this.store.changed();
    this.emitProgress();
    // A task that has just ended has nothing to resume; its end sets the phase.
    await this.store.bridge.resume(id).catch(() => false);
  }

  /** Cancels the run under way; it ends as `cancelled`. */
  cancel(): void {
    this.abort?.abort();
  }

  /** The epoch running now (1-based), or the last one once all have run. */
  currentEpoch(): number {
    const total = this.plan?.epochs ?? 1;
    return Math.min(total, (this.epochs.at(-1)?.epoch ?? 0) + 1);
  }

  /** Digits per second (the last epoch's, or so far) and the time left at the pace so far. */
  pace(): TrainPace {
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

  private progress(p: TrainProgress): void {
    switch (p.stage) {
      case 'plan':
        this.plan = p.plan;
        this.store.backend = p.backend;
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
        this.store.host.emit('ae-train-epoch', p);
        break;
      case 'evaluate':
        this.phase = 'evaluating';
        this.fraction = 1;
        this.stopClock();
        break;
    }
    this.schedule();
  }

  /** One render, and one `ae-train-progress` event, per animation frame however often reports come. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.store.signal.aborted) return;
      this.store.changed();
      this.emitProgress();
    });
  }

  private stopClock(): void {
    const { since } = this.clock;
    if (since === undefined) return;
    this.clock = {
      accumulated: this.clock.accumulated + performance.now() - since,
      since: undefined,
    };
  }

  private emitProgress(): void {
    const { plan, settings } = this;
    if ((this.phase !== 'training' && this.phase !== 'paused') || !plan || !settings) return;
    this.store.host.emit('ae-train-progress', {
      kind: settings.method,
      fraction: this.fraction,
      epoch: this.currentEpoch(),
      epochs: plan.epochs,
      ...this.pace(),
      paused: this.phase === 'paused',
    });
  }
}
