import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { AeError } from '../../core/errors.ts';
import type {
  BackendInfo,
  DatasetSummary,
  EpochReport,
  FloatImages,
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
import { DIGIT_COLORS } from '../charts/palette.ts';
import { cssProps } from './css-props.ts';
import { bundledData, type BundledSplit } from './default-data.ts';
import { drawDigits } from './digits.ts';
import { readModelFiles } from './model-files.ts';
import { pretrainedModel } from './pretrained.ts';

/** What the training part of the element is doing. */
export type TrainPhase =
  'idle' | 'loading' | 'training' | 'paused' | 'evaluating' | 'done' | 'cancelled' | 'error';

/** `detail` of the `ae-train-epoch` event: one finished epoch. */
export type AeTrainEpochDetail = EpochReport;

/** `detail` of the `ae-trained` event. */
export interface AeTrainedDetail {
  /** Test MSE per pixel of the trained autoencoder. */
  testScore: number;
  testCount: number;
  epochs: number;
  samplesPerSecond: number;
  backend: BackendInfo;
}

/** What the controller needs from its element. */
export interface ModelsHostHooks {
  bridge(): WorkerBridge | undefined;
  theme(): ChartTheme;
  emit<T>(type: string, detail: T): void;
  /** The element's `train-preset` and `train-epochs`. */
  trainSettings(): { preset: string; epochs: number | undefined };
}

/** A model in the worker that the element's figures use, and words saying which one it is. */
export interface ActiveModel extends ModelInfo {
  label: string;
  /** Shipped with the element, trained on this page, or opened from this browser's storage or files. */
  source: ReconSource;
}

/**
 * What the other figures draw with: the autoencoder and the VAE currently
 * shown (shipped, trained here or opened), and the key of the loaded test set.
 */
export interface ActiveModels {
  testKey: string | undefined;
  ae: ActiveModel | undefined;
  vae: ActiveModel | undefined;
}

/** PCA's figure to set the autoencoder's against, when it is on the same test digits. */
export interface PcaReference {
  components: number;
  mse: number;
}

/** Where the autoencoder of the reconstructions figure comes from (its canvas's `data-source`). */
export type ReconSource = 'pretrained' | 'trained' | 'saved' | 'file';

interface Reconstructions {
  source: ReconSource;
  /** Where a loaded model came from: its IndexedDB URL and save date, or its .json file's name. */
  from?: string;
  originals: Uint8Array;
  images: FloatImages;
  /** Undefined while it is being computed. */
  testMse: number | undefined;
  testCount: number;
  latentSize: number;
  epochs?: number;
}

interface Samples {
  images: Float32Array;
  seed: number;
}

interface Download {
  name: string;
  href: string;
  bytes: number;
}

/** The test digits shown with their reconstructions. */
const SHOWN = Array.from({ length: 10 }, (_, i) => i);
const SAMPLE_COUNT = 16;
const SAMPLE_COLUMNS = 8;
const INDEXED_DB_URL = 'indexeddb://ae-demo-autoencoder';
const DOWNLOAD_NAME = 'ae-demo-autoencoder';

const onOff = (on: boolean) => (on ? 'on' : 'off');
const number = (v: number) => Math.round(v).toLocaleString('en-US');

function errorDetail(error: unknown): { code: string; message: string } {
  return error instanceof AeError
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** The reconstructions figure's caption: which autoencoder rebuilt the digits. */
function reconTitle(r: Reconstructions | undefined): string {
  switch (r?.source) {
    case 'trained':
      return `Your autoencoder (${r.epochs} epoch${r.epochs === 1 ? '' : 's'}, trained here)`;
    case 'saved':
      return `The autoencoder saved in this browser (${r.from})`;
    case 'file':
      return `The autoencoder from ${r.from}`;
    default:
      return 'The shipped autoencoder';
  }
}

/** Time left in words. */
function timeLeft(s: number): string {
  if (s < 1) return 'under a second left';
  if (s < 90) return `about ${Math.round(s)} s left`;
  return `about ${Math.round(s / 60)} min left`;
}

/**
 * The models half of `<ae-demo>`: the shipped autoencoder's reconstructions
 * and the shipped VAE's samples, and an autoencoder trained in the worker
 * with a live loss curve, pause, resume and cancel, saved to IndexedDB or
 * downloaded, and loaded back from either. All TF.js work is in the worker;
 * this only draws.
 */
export class ModelsController implements ReactiveController {
  /** Whether {@link start} ran since the element was connected. */
  started = false;
  backend: BackendInfo | undefined;
  private pretrainedError: { code: string; message: string } | undefined;
  private recon: Reconstructions | undefined;
  private samples: Samples | undefined;
  private samplesBusy = false;

  phase: TrainPhase = 'idle';
  private plan: RunPlan | undefined;
  private epochs: EpochReport[] = [];
  private fraction = 0;
  private result: TrainSummary | undefined;
  private trainError: { code: string; message: string } | undefined;
  private note: string | undefined;
  private downloads: Download[] = [];
  /** The model "Save in this browser" left in IndexedDB, if there is one. */
  private stored: StoredModel | undefined;
  /** Set while a saved or downloaded model is being loaded. */
  private opening: 'saved' | 'file' | undefined;
  private openError: { code: string; message: string } | undefined;

  private lifetime = new AbortController();
  private trainAbort: AbortController | undefined;
  private taskId: number | undefined;
  private modelIds = { ae: undefined as string | undefined, vae: undefined as string | undefined };
  private trainedId: string | undefined;
  /** The model last loaded from IndexedDB or files. */
  private openedId: string | undefined;

  private lossChart: LossChart | undefined;
  private lossChartDrawn = -1;
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
    this.lifetime.abort();
    this.trainAbort?.abort();
    const ids = [this.modelIds.ae, this.modelIds.vae, this.trainedId, this.openedId].filter(
      (id): id is string => id !== undefined,
    );
    this.hooks.bridge()?.disposeModels(ids);
    this.destroyLossChart();
    for (const d of this.downloads) URL.revokeObjectURL(d.href);
    // Back to a fresh state: a reconnected element starts again, possibly in a new worker.
    this.lifetime = new AbortController();
    this.trainAbort = undefined;
    this.taskId = undefined;
    this.modelIds = { ae: undefined, vae: undefined };
    this.trainedId = undefined;
    this.openedId = undefined;
    this.started = false;
    this.backend = undefined;
    this.pretrainedError = undefined;
    this.recon = undefined;
    this.samples = undefined;
    this.samplesBusy = false;
    this.phase = 'idle';
    this.plan = undefined;
    this.epochs = [];
    this.fraction = 0;
    this.result = undefined;
    this.trainError = undefined;
    this.note = undefined;
    this.downloads = [];
    this.stored = undefined;
    this.opening = undefined;
    this.openError = undefined;
    this.current = { testKey: undefined, ae: undefined, vae: undefined };
  }

  hostUpdated(): void {
    this.drawCanvases();
    void this.syncLossChart();
  }

  private update(): void {
    this.host.requestUpdate();
  }

  private get busy(): boolean {
    return ['loading', 'training', 'paused', 'evaluating'].includes(this.phase);
  }

  private async dataset(split: BundledSplit, signal: AbortSignal): Promise<DatasetSummary> {
    const bridge = this.hooks.bridge();
    if (!bridge) throw new AeError('ABORTED', 'The element left the page.');
    return bridge.run(signal, (api, id) => api.loadDataset(bundledData(split), id));
  }

  /**
   * Loads the shipped models in the worker (TF.js loads there on first use)
   * and shows what they do. Called once the PCA figures are drawn, so it
   * never delays them.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.update();
    const { signal } = this.lifetime;
    const bridge = this.hooks.bridge();
    if (!bridge) return;
    try {
      this.backend = await bridge.run(signal, (api) => api.backend());
      this.update();
      void this.findStored();
      const test = await this.dataset('test', signal);
      this.setActive({ testKey: test.key });

      const ae = await bridge.run(signal, (api, id) => api.loadModel(pretrainedModel('ae'), id));
      this.modelIds.ae = ae.modelId;
      const [originals, images] = await Promise.all([
        bridge.run(signal, (api) => api.images(test.key, SHOWN)),
        bridge.run(signal, (api) => api.reconstruct(ae.modelId, test.key, SHOWN)),
      ]);
      // A model trained meanwhile has the stage already.
      if (!this.recon) {
        this.recon = {
          source: 'pretrained',
          originals,
          images,
          testMse: undefined,
          testCount: test.count,
          latentSize: ae.latentSize,
        };
        this.setActive({ ae: { ...ae, label: reconTitle(this.recon), source: 'pretrained' } });
        this.update();
      }

      const vae = await bridge.run(signal, (api, id) => api.loadModel(pretrainedModel('vae'), id));
      this.modelIds.vae = vae.modelId;
      this.setActive({ vae: { ...vae, label: 'The shipped VAE', source: 'pretrained' } });
      await this.newSamples(1);

      const testMse = await bridge.run(signal, (api) => api.evaluate(ae.modelId, test.key));
      if (this.recon?.source === 'pretrained') this.recon = { ...this.recon, testMse };
      this.update();
    } catch (error) {
      if (signal.aborted) return;
      this.pretrainedError = errorDetail(error);
      this.update();
      this.hooks.emit('ae-error', this.pretrainedError);
    }
  }

  /** Draws a fresh set of digits from the shipped VAE's prior. */
  private async newSamples(seed = (this.samples?.seed ?? 0) + 1): Promise<void> {
    const bridge = this.hooks.bridge();
    const id = this.modelIds.vae;
    if (!bridge || !id || this.samplesBusy) return;
    this.samplesBusy = true;
    this.update();
    try {
      const { images } = await bridge.run(this.lifetime.signal, (api) =>
        api.sample(id, SAMPLE_COUNT, seed),
      );
      this.samples = { images, seed };
    } finally {
      this.samplesBusy = false;
      this.update();
    }
  }

  private onNewSamples = () => {
    void this.newSamples().catch((error: unknown) => {
      if (this.lifetime.signal.aborted) return;
      this.pretrainedError = errorDetail(error);
      this.update();
    });
  };

  /** Looks for the model "Save in this browser" stored, for the "Load from this browser" button. */
  private async findStored(): Promise<void> {
    const bridge = this.hooks.bridge();
    const { signal } = this.lifetime;
    if (!bridge) return;
    try {
      const stored = await bridge.run(signal, (api) => api.storedModel(INDEXED_DB_URL));
      this.stored = stored ?? undefined;
    } catch {
      // No IndexedDB here (some private windows): nothing to load, so no button.
      this.stored = undefined;
    }
    if (!signal.aborted) this.update();
  }

  /**
   * Loads an autoencoder into the worker and shows its reconstructions of the
   * test digits, then its test MSE. `open` says what to load; its errors and
   * the worker's (wrong files, a foreign model) are shown and fired as `ae-error`.
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
    this.update();
    let made: string | undefined;
    try {
      const { source, from } = await open();
      const [model, test] = await Promise.all([
        bridge.run(signal, (api, id) => api.loadModel(source, id)),
        this.dataset('test', signal),
      ]);
      made = model.modelId;
      if (model.kind !== 'ae') {
        throw new AeError(
          'BAD_ARGUMENT',
          `${from} holds a VAE; open an autoencoder saved or downloaded from this section.`,
        );
      }
      const [originals, images] = await Promise.all([
        this.recon?.originals ?? bridge.run(signal, (api) => api.images(test.key, SHOWN)),
        bridge.run(signal, (api) => api.reconstruct(model.modelId, test.key, SHOWN)),
      ]);
      if (this.openedId) bridge.disposeModels([this.openedId]);
      this.openedId = made;
      made = undefined;
      const recon: Reconstructions = {
        source: kind,
        from,
        originals,
        images,
        testMse: undefined,
        testCount: test.count,
        latentSize: model.latentSize,
      };
      this.recon = recon;
      this.setActive({ ae: { ...model, label: reconTitle(recon), source: kind } });
      this.opening = undefined;
      this.update();
      const testMse = await bridge.run(signal, (api) => api.evaluate(model.modelId, test.key));
      if (this.recon === recon) this.recon = { ...recon, testMse };
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

  private onLoadSaved = () => {
    const stored = this.stored;
    if (!stored) return;
    const when = new Date(stored.savedAt).toLocaleString(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    void this.openModel('saved', async () => ({
      source: { indexedDb: stored.url },
      from: `${stored.url}, saved ${when}`,
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
      return { source: { modelJson, weights }, from: name };
    });
  };

  /** Trains an autoencoder in the worker with the element's preset; the newest run replaces the last. */
  private async train(): Promise<void> {
    const bridge = this.hooks.bridge();
    if (!bridge || this.busy || this.opening) return;
    const abort = new AbortController();
    this.trainAbort = abort;
    const { signal } = abort;
    const { preset, epochs } = this.hooks.trainSettings();
    this.phase = 'loading';
    this.plan = undefined;
    this.epochs = [];
    this.fraction = 0;
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
      const spec: TrainSpec = { kind: 'ae', preset, ...(epochs !== undefined ? { epochs } : {}) };
      const onProgress = (p: TrainProgress) => {
        if (this.trainAbort === abort && !signal.aborted) this.onTrainProgress(p);
      };
      const summary = await bridge.run<TrainSummary, TrainProgress>(
        signal,
        (api, id, progress) =>
          api.train(spec, { trainKey: trainSet.key, testKey: testSet.key }, id, progress),
        onProgress,
        (id) => (this.taskId = id),
      );
      made = summary.model.modelId;
      this.taskId = undefined;
      const [originals, images] = await Promise.all([
        this.recon?.originals ?? bridge.run(signal, (api) => api.images(testSet.key, SHOWN)),
        bridge.run(signal, (api) => api.reconstruct(summary.model.modelId, testSet.key, SHOWN)),
      ]);
      if (this.trainedId) bridge.disposeModels([this.trainedId]);
      this.trainedId = made;
      made = undefined;
      this.recon = {
        source: 'trained',
        originals,
        images,
        testMse: summary.testScore,
        testCount: summary.testCount,
        latentSize: summary.model.latentSize,
        epochs: summary.epochs,
      };
      this.setActive({
        ae: { ...summary.model, label: reconTitle(this.recon), source: 'trained' },
      });
      this.result = summary;
      this.backend = summary.backend;
      this.phase = 'done';
      this.update();
      this.hooks.emit<AeTrainedDetail>('ae-trained', {
        testScore: summary.testScore,
        testCount: summary.testCount,
        epochs: summary.epochs,
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
        break;
      case 'batch':
        this.fraction = p.fraction;
        break;
      case 'epoch':
        this.epochs = [...this.epochs, p];
        this.fraction = p.epoch / p.epochs;
        this.hooks.emit<AeTrainEpochDetail>('ae-train-epoch', p);
        break;
      case 'evaluate':
        this.phase = 'evaluating';
        this.fraction = 1;
        break;
    }
    this.update();
  }

  private onTrain = () => void this.train();

  private onPause = async () => {
    const bridge = this.hooks.bridge();
    if (this.phase !== 'training' || this.taskId === undefined || !bridge) return;
    this.phase = 'paused';
    this.update();
    await bridge.pause(this.taskId);
  };

  private onResume = async () => {
    const bridge = this.hooks.bridge();
    if (this.phase !== 'paused' || this.taskId === undefined || !bridge) return;
    this.phase = 'training';
    this.update();
    await bridge.resume(this.taskId);
  };

  private onCancel = () => this.trainAbort?.abort();

  private onSave = async () => {
    const bridge = this.hooks.bridge();
    const id = this.trainedId;
    if (!bridge || !id) return;
    this.note = 'Saving in this browser…';
    this.update();
    try {
      const saved = await bridge.run(this.lifetime.signal, (api) =>
        api.saveModel(id, INDEXED_DB_URL),
      );
      this.note = `Saved in this browser (IndexedDB) as ${saved.url}, ${(saved.bytes / 1e6).toFixed(1)} MB.`;
      this.stored = { url: saved.url, bytes: saved.bytes, savedAt: Date.now() };
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      this.note = `Could not save: ${errorDetail(error).message}`;
    }
    this.update();
  };

  private onDownload = async () => {
    const bridge = this.hooks.bridge();
    const id = this.trainedId;
    if (!bridge || !id) return;
    try {
      const weightsName = `${DOWNLOAD_NAME}.weights.bin`;
      const files = await bridge.run(this.lifetime.signal, (api) =>
        api.exportModel(id, weightsName),
      );
      for (const d of this.downloads) URL.revokeObjectURL(d.href);
      this.downloads = [
        {
          name: `${DOWNLOAD_NAME}.json`,
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
    const last = this.epochs[this.epochs.length - 1];
    const total = this.plan?.epochs ?? last?.epochs;
    const pct = `${Math.round(100 * this.fraction)} %`;
    switch (this.phase) {
      case 'idle':
        return this.started ? 'Ready to train.' : '';
      case 'loading':
        return 'Loading the training digits and starting TF.js…';
      case 'training':
        return last
          ? `Epoch ${last.epoch} of ${total} done (${pct}): loss ${last.loss.toFixed(4)}` +
              (last.valLoss !== null ? `, validation loss ${last.valLoss.toFixed(4)}.` : '.')
          : `Training epoch 1 of ${total ?? '…'} (${pct}).`;
      case 'paused':
        return `Paused after ${last ? `epoch ${last.epoch} of ${total}` : 'a few batches'} (${pct}).`;
      case 'evaluating':
        return `Trained; scoring on the ${number(this.recon?.testCount ?? 10_000)} test digits…`;
      case 'done': {
        const r = this.result!;
        return (
          `Trained ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} on ${number(r.plan.trainCount)} digits ` +
          `at ${number(r.samplesPerSecond)} samples/s; test MSE ${r.testScore.toFixed(4)}.`
        );
      }
      case 'cancelled':
        return 'Training cancelled.';
      case 'error':
        return 'Training failed; see the message below.';
    }
  }

  private speedText(last: EpochReport): string {
    const left = this.phase === 'paused' ? 'paused' : timeLeft(last.etaSeconds);
    return `${number(last.samplesPerSecond)} samples/s · ${left}`;
  }

  private backendText(): string {
    const b = this.backend;
    if (!b) return 'TF.js: starting in the worker…';
    return `TF.js ${b.name}, SIMD ${onOff(b.simd)}, threads ${onOff(b.threads)} (in a worker).`;
  }

  /** The models section of the element. */
  render(pca: PcaReference | undefined) {
    if (!this.started) return nothing;
    const { preset } = this.hooks.trainSettings();
    const busy = this.busy;
    const last = this.epochs[this.epochs.length - 1];
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
        <div class="figures">${this.renderReconstructions(pca)} ${this.renderSamples()}</div>
        <div class="train" part="train">
          <h3>Train an autoencoder here</h3>
          <p class="summary">
            Preset <code>${preset}</code>: trains in the worker on the digits this page ships, then
            shows its reconstructions above.
          </p>
          <div class="controls">
            <button
              type="button"
              data-action="train"
              ?disabled=${busy || !!this.opening}
              @click=${this.onTrain}
            >
              ${this.phase === 'done' ? 'Train again' : 'Train an autoencoder here'}
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
            ${
              this.trainedId && this.phase === 'done'
                ? html`<button type="button" data-action="save" @click=${this.onSave}>
                      Save in this browser
                    </button>
                    <button type="button" data-action="download" @click=${this.onDownload}>
                      Download model
                    </button>`
                : nothing
            }
          </div>
          <div class="controls" data-open>
            ${
              this.stored
                ? html`<button
                    type="button"
                    data-action="load-saved"
                    ?disabled=${busy || !!this.opening}
                    @click=${this.onLoadSaved}
                  >
                    Load from this browser
                  </button>`
                : nothing
            }
            <label class="file-button" ?data-disabled=${busy || !!this.opening}>
              Open a downloaded model…
              <input
                type="file"
                multiple
                accept=".json,.bin"
                data-action="open-files"
                ?disabled=${busy || !!this.opening}
                @change=${this.onOpenFiles}
              />
            </label>
          </div>
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
                ></progress>`
              : nothing
          }
          ${
            last && busy ? html`<p class="summary" data-speed>${this.speedText(last)}</p>` : nothing
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
          ${
            this.trainError
              ? html`<div part="train-error" class="error" role="alert">
                  <strong>Training failed.</strong>${this.trainError.message}
                </div>`
              : nothing
          }
          ${this.plan ? this.renderLossFigure() : nothing}
        </div>
      </section>
    `;
  }

  private renderReconstructions(pca: PcaReference | undefined) {
    const r = this.recon;
    const title = reconTitle(r);
    const columns = SHOWN.length;
    return html`<figure part="figure" data-figure="reconstructions">
      <figcaption>${title}: test digits and their reconstructions</figcaption>
      ${
        r
          ? html`<div class="digits">
                <span>Original</span>
                <canvas
                  data-digits="originals"
                  role="img"
                  aria-label="The first ${columns} test digits"
                ></canvas>
                <span>Rebuilt from ${r.latentSize} numbers</span>
                <canvas
                  data-digits="reconstructions"
                  data-source=${r.source}
                  role="img"
                  aria-label="Their reconstructions by the autoencoder"
                ></canvas>
              </div>
              <p class="summary" data-summary="reconstructions">
                ${
                  r.testMse === undefined
                    ? `Scoring it on the ${number(r.testCount)} test digits…`
                    : `Test MSE over ${number(r.testCount)} digits: autoencoder ${r.testMse.toFixed(4)}`
                }${
                  r.testMse !== undefined && pca
                    ? html`, PCA with ${pca.components} components ${pca.mse.toFixed(4)} (lower is
                      better).`
                    : r.testMse !== undefined
                      ? '.'
                      : nothing
                }
              </p>`
          : html`<p class="summary">Loading the shipped autoencoder…</p>`
      }
    </figure>`;
  }

  private renderSamples() {
    return html`<figure part="figure" data-figure="samples">
      <figcaption>Digits the shipped VAE dreams up</figcaption>
      ${
        this.samples
          ? html`<canvas
                data-digits="samples"
                role="img"
                aria-label="${SAMPLE_COUNT} digits decoded from random points of the VAE's latent space"
              ></canvas>
              <p class="summary">
                Each is decoded from a random point of the 10-dimensional latent space (seed
                ${this.samples.seed}).
                <button
                  type="button"
                  data-action="samples"
                  ?disabled=${this.samplesBusy}
                  @click=${this.onNewSamples}
                >
                  New samples
                </button>
              </p>`
          : html`<p class="summary">Loading the shipped VAE…</p>`
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
    const r = this.recon;
    if (r) {
      const grid = { count: SHOWN.length, rows: r.images.rows, cols: r.images.cols, columns: 10 };
      draw('originals', r.originals, (c) => drawDigits(c, r.originals, grid));
      draw('reconstructions', r.images, (c) => drawDigits(c, r.images.pixels, grid));
    }
    const s = this.samples;
    if (s) {
      const grid = { count: SAMPLE_COUNT, rows: 28, cols: 28, columns: SAMPLE_COLUMNS };
      draw('samples', s, (c) => drawDigits(c, s.images, grid));
    }
  }

  /** Creates the loss chart once the plan is known, and redraws it as epochs arrive. */
  private async syncLossChart(): Promise<void> {
    const box = this.host.renderRoot.querySelector<HTMLElement>('[data-figure=loss] .chart');
    if (!box || !this.plan) return;
    if (this.lossChart && !this.lossChart.chart.root.isConnected) this.destroyLossChart();
    if (!this.lossChart) {
      const generation = ++this.chartGeneration;
      const { lossChart } = await import('../charts/charts.ts');
      if (generation !== this.chartGeneration || !box.isConnected || !this.plan) return;
      const theme = this.hooks.theme();
      this.lossChart = lossChart(box, {
        epochs: this.plan.epochs,
        series: [
          { label: 'training loss', color: theme.accent },
          { label: 'validation loss', color: DIGIT_COLORS[1], dash: true },
        ],
        yLabel: 'MSE per pixel',
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
