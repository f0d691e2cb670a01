import { html, nothing, type PropertyValues } from 'lit';
import { formatNoise, type Noise } from '../../core/noise.ts';
import type {
  DenoiseComparison,
  DenoiseRequest,
  ModelInfo,
  TrainProgress,
  TrainSpec,
  TrainSummary,
} from '../../worker/bridge.ts';
import { bundledData } from '../ae-demo/default-data.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import { pretrainedModel } from '../ae-demo/pretrained.ts';
import { number, plural } from '../ae-demo/words.ts';
import { PlayPart } from '../shared/play-part.ts';
import { partStyles } from '../shared/part.styles.ts';
import { loadModel } from '../store/models.ts';
import { anySignal, type DemoStore } from '../store/store.ts';
import { denoiseStyles } from './ae-denoise.styles.ts';
import { denoiseSummary, levelWords, noiseWords } from './denoise-words.ts';

const CAPTION =
  'Denoising: noisy test digits rebuilt by a denoising autoencoder, the plain one and PCA';
/** The caption on an author's images of another shape than MNIST's. */
const IMAGES_CAPTION =
  'Denoising: noisy test images rebuilt by a denoising autoencoder, the plain one and PCA';
/** The test digits shown in each row: the first eight. */
const SHOWN = 8;
/** The noise's seed: the same digits get the same noise on every visit, in every engine. */
const SEED = 1;
/** After the slider stops moving this long, the digits are noised and denoised again. */
const SETTLE_MS = 120;

/** Each noise kind's slider: its range and where it starts (the shipped denoiser's σ = 0.3). */
const LEVELS = {
  gaussian: { min: 0.05, max: 1, step: 0.05, start: 0.3, label: 'Standard deviation σ' },
  mask: { min: 0.05, max: 0.95, step: 0.05, start: 0.5, label: 'Fraction of pixels masked' },
} as const;

type Kind = Noise['kind'];

/**
 * "Train one here": the notebook autoencoder trained as a denoiser on the
 * 12,000 shipped training digits for 3 epochs (batch 64, the quick preset's
 * set-up otherwise). Measured with the CLI at σ = 0.3 (`ae-demo train ae
 * --preset quick --train-size 12000 --epochs 3 --denoise gaussian:0.3`), it
 * beats the noisy input; 2,000 digits for 5 epochs did not.
 */
export const DENOISE_TRAINING = { preset: 'quick', trainSize: 12_000, epochs: 3 } as const;

/** Images a denoiser trained here sees in all: 12,000 digits × 3 epochs. */
const DENOISE_SAMPLES = DENOISE_TRAINING.trainSize * DENOISE_TRAINING.epochs;
/** The most epochs a denoiser of an author's (smaller) set is trained for. */
const MAX_EPOCHS = 30;

/**
 * Epochs for a denoiser trained on `count` of an author's images: as many
 * images seen as on MNIST (DENOISE_SAMPLES), at least MNIST's 3, at most 30.
 */
export function denoiseEpochs(count: number): number {
  const epochs = Math.ceil(DENOISE_SAMPLES / Math.max(1, count));
  return Math.min(MAX_EPOCHS, Math.max(DENOISE_TRAINING.epochs, epochs));
}

/** The denoiser the figure uses: the shipped one, or one trained here. */
interface Denoiser {
  model: ModelInfo;
  label: string;
  source: 'pretrained' | 'trained';
}

/** What the figure shows: one worker answer and the words for it. */
interface Shown {
  /** What it was asked with, so that asking again for the same is a no-op. */
  key: string;
  noise: Noise;
  out: DenoiseComparison;
  denoiser: Denoiser;
  /**
   * The plain autoencoder compared; none on an author's shape until one is
   * trained here (then `out`'s `ae` is the denoiser's, and not shown).
   */
  aeLabel: string | undefined;
  aeSource: string | undefined;
  pcaOnTest: boolean;
  /** The images' shape, and what they are called (digits on MNIST's shape, images on another). */
  rows: number;
  cols: number;
  noun: 'digits' | 'images';
}

/** A training run of the figure's own denoiser. */
interface Training {
  abort: AbortController;
  noise: Noise;
  epoch: number;
  epochs: number;
  fraction: number;
}

/**
 * Denoising, the first use of autoencoders the reference text names: the
 * first eight test digits, their seeded noisy copies, and what a denoising
 * autoencoder (shipped, trained with σ = 0.3, or trained here), the plain
 * autoencoder the other figures show and PCA (as many components as the
 * denoiser's latent size) rebuild from the noisy copies, with each one's
 * MSE against the clean digits over the whole test set. The noise's kind
 * and level are the reader's; every change noises and denoises again in the
 * worker, cancelling the run before. Loads the shipped denoiser when it
 * first scrolls into view.
 *
 * The figure carries its numbers as data attributes once they are here:
 * `data-noise` (gaussian:0.3, mask:0.5), `data-count`, `data-k`,
 * `data-mse-noisy`, `data-mse-dae`, `data-mse-ae`, `data-mse-pca` and
 * `data-denoiser` (pretrained or trained).
 *
 * On an author's images of another shape than MNIST's there is no shipped
 * denoiser: the figure says so and offers to train one here on the author's
 * training images (the network sized to their pixels), then compares it
 * with the noisy images, the plain autoencoder of that shape (once one is
 * trained here) and PCA, on the author's test (or held-out) images.
 *
 * @csspart figure - The figure.
 */
export class AeDenoise extends PlayPart {
  static override styles = [partStyles, denoiseStyles];

  private kind: Kind = 'gaussian';
  private levels: Record<Kind, number> = {
    gaussian: LEVELS.gaussian.start,
    mask: LEVELS.mask.start,
  };
  private shows: Shown | undefined;
  /** The shipped denoiser of each store, loaded once. */
  private readonly shipped = new WeakMap<DemoStore, Promise<ModelInfo>>();
  /** A denoiser trained here, for the store it was trained in. */
  private trained: { store: DemoStore; denoiser: Denoiser } | undefined;
  /** Whether the reader went back to the shipped denoiser after training one. */
  private useShipped = false;
  private running: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private training: Training | undefined;
  /** The view state's noise this part last took in. */
  private seenNoise: Noise | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.running?.abort();
    this.training?.abort.abort();
  }

  protected start(): void {
    this.schedule(0);
  }

  /** Any shape: on an author's other shape the figure says itself what it needs (a denoiser trained here). */
  protected override shapeBlock(): string | undefined {
    return undefined;
  }

  /** Whether the images are MNIST's 28 × 28 (the shipped denoiser fits them). */
  private get mnist(): boolean {
    return this.store?.mnistShaped() ?? true;
  }

  /** The denoiser trained here for `store`, if there is one. */
  private trainedFor(store: DemoStore): Denoiser | undefined {
    return this.trained?.store === store ? this.trained.denoiser : undefined;
  }

  /**
   * The noise of the store's view state (a link's, or the reader's in another
   * store of this element) becomes the controls' when it changes; the view
   * state holds it so that links carry it (url-state).
   */
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const noise = this.store?.view.value.noise;
    if (noise === this.seenNoise) return;
    this.seenNoise = noise;
    if (!noise) return;
    this.kind = noise.kind;
    this.levels = {
      ...this.levels,
      [noise.kind]: noise.kind === 'gaussian' ? noise.sigma : noise.fraction,
    };
    if (this.seen) this.schedule(0);
  }

  /** Records the reader's noise in the view state, so that a link carries it. */
  private share(): void {
    const view = this.store?.view;
    if (!view) return;
    view.update({ noise: this.noise() });
    this.seenNoise = view.value.noise;
  }

  /** The noise the controls describe now. */
  private noise(): Noise {
    const level = this.levels[this.kind];
    return this.kind === 'gaussian'
      ? { kind: 'gaussian', sigma: level }
      : { kind: 'mask', fraction: level };
  }

  /** Noises and denoises again after `ms`, cancelling the run under way at once. */
  private schedule(ms: number): void {
    this.running?.abort();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.denoise(), ms);
  }

  /** The denoiser for `store`: the one trained here, else the shipped one (loaded on first use). */
  private async denoiser(store: DemoStore): Promise<Denoiser> {
    const trained = this.trainedFor(store);
    // On another shape than MNIST's there is no shipped one to go back to.
    if (trained && (!this.useShipped || !store.mnistShaped())) return trained;
    let loading = this.shipped.get(store);
    if (!loading) {
      loading = loadModel(store, pretrainedModel('dae'));
      this.shipped.set(store, loading);
      // A failure is not kept: the next run tries again.
      loading.catch(() => this.shipped.delete(store));
    }
    const model = await loading;
    return {
      model,
      label: 'The shipped denoising autoencoder (trained with σ = 0.30)',
      source: 'pretrained',
    };
  }

  private async denoise(): Promise<void> {
    const store = this.store;
    if (!store || !this.seen) return;
    const mnist = store.mnistShaped();
    const { ae } = store.models;
    // On MNIST's shape: the shipped models' test set, called again when the store's models arrive.
    // On another: no shipped denoiser, so nothing until one is trained here (the figure says so).
    if (mnist ? !ae || !store.models.testKey : !this.trainedFor(store)) return;
    const abort = new AbortController();
    this.running = abort;
    this.requestUpdate();
    try {
      const denoiser = await this.denoiser(store);
      const testKey = mnist ? store.models.testKey! : (await store.testDigits()).key;
      if (this.running !== abort) return;
      // The plain autoencoder of the images' shape (on an author's, one trained here, if any).
      const plain = ae && ae.inputSize === denoiser.model.inputSize ? ae : undefined;
      const noise = this.noise();
      const pca = store.pca;
      const request: DenoiseRequest = { noise, seed: SEED, shown: SHOWN };
      if (pca && pca.result.features === denoiser.model.inputSize) {
        request.pcaKey = pca.dataset.key;
        request.k = Math.max(1, Math.min(denoiser.model.latentSize, pca.result.components));
      }
      const key = JSON.stringify([denoiser.model.modelId, plain?.modelId, testKey, request]);
      if (this.shows?.key === key) {
        this.showError(undefined);
        return;
      }
      let signal = anySignal(abort.signal, store.signalFor(denoiser.model));
      if (plain) signal = anySignal(signal, store.signalFor(plain));
      // The worker's task compares two networks; without a plain one of this shape the denoiser
      // stands in for it (one more pass over small images) and its row and error are not shown.
      const ids = { dae: denoiser.model.modelId, ae: (plain ?? denoiser.model).modelId };
      const out = await store.bridge.denoise(signal, ids, testKey, request);
      if (this.running !== abort) return;
      const { rows, cols } = store.shape();
      const author = store.host.authorData();
      this.shows = {
        key,
        noise,
        out,
        denoiser,
        aeLabel: plain?.label,
        aeSource: plain?.source,
        // An author's held-out test images are among those the PCA analysed (all of data-src).
        pcaOnTest: !!pca?.isTestSet || !!author?.heldOut,
        rows,
        cols,
        noun: mnist ? 'digits' : 'images',
      };
      this.error = undefined;
    } catch (error) {
      if (this.running === abort) this.failed(error);
    } finally {
      if (this.running === abort) this.running = undefined;
      this.requestUpdate();
    }
  }

  private onKind = (event: Event) => {
    this.kind = (event.target as HTMLSelectElement).value as Kind;
    this.share();
    this.requestUpdate();
    this.schedule(0);
  };

  /** While the slider moves: its words follow at once, the digits once it settles. */
  private onLevel = (event: Event) => {
    const input = event.target as HTMLInputElement;
    this.levels = { ...this.levels, [this.kind]: Math.round(input.valueAsNumber * 100) / 100 };
    this.share();
    this.requestUpdate();
    this.schedule(event.type === 'change' ? 0 : SETTLE_MS);
  };

  /** Trains a denoiser with the noise chosen now, in the worker, then shows it. */
  private onTrain = async () => {
    const store = this.store;
    if (!store || this.training) return;
    const noise = this.noise();
    const abort = new AbortController();
    const run: Training = { abort, noise, epoch: 0, epochs: DENOISE_TRAINING.epochs, fraction: 0 };
    this.training = run;
    this.requestUpdate();
    const signal = anySignal(abort.signal, store.signal);
    let late: string | undefined;
    try {
      // On MNIST's shape the shipped digits; on another, the author's training images.
      const source = store.mnistShaped() ? bundledData('train') : store.trainSource();
      const [trainSet, testSet] = await Promise.all([
        store.bridge.loadDataset(signal, source),
        store.testDigits(),
      ]);
      const spec: TrainSpec = { kind: 'ae', seed: SEED, denoise: noise, ...DENOISE_TRAINING };
      // An author's set is smaller than MNIST's 12,000: more epochs, for as many images seen.
      if (!store.mnistShaped()) {
        spec.epochs = denoiseEpochs(Math.min(DENOISE_TRAINING.trainSize, trainSet.count));
        run.epochs = spec.epochs;
      }
      const summary: TrainSummary = await store.bridge.train(
        signal,
        spec,
        { trainKey: trainSet.key, testKey: testSet.key },
        {
          onProgress: (p: TrainProgress) => this.progress(run, p),
          discard: (made: TrainSummary) => store.bridge.disposeModels([made.model.modelId]),
        },
      );
      late = summary.model.modelId;
      store.own(late);
      if (signal.aborted) return;
      const previous = this.trained?.store === store ? this.trained.denoiser.model : undefined;
      this.trained = {
        store,
        denoiser: {
          model: summary.model,
          label: `Your denoising autoencoder (${noiseWords(noise)}, ${plural(summary.epochs, 'epoch')}, trained here)`,
          source: 'trained',
        },
      };
      late = undefined;
      this.useShipped = false;
      if (previous) store.free(previous.modelId);
      this.schedule(0);
    } catch (error) {
      if (!signal.aborted) this.failed(error);
    } finally {
      if (late) store.free(late);
      if (this.training === run) this.training = undefined;
      this.requestUpdate();
    }
  };

  private progress(run: Training, p: TrainProgress): void {
    if (this.training !== run) return;
    if (p.stage === 'plan') run.epochs = p.plan.epochs;
    else if (p.stage === 'batch') run.fraction = p.fraction;
    else if (p.stage === 'epoch') {
      run.epoch = p.epoch;
      run.fraction = p.epoch / p.epochs;
    } else run.fraction = 1;
    this.requestUpdate();
  }

  private onCancel = () => this.training?.abort.abort();

  /** Between the shipped denoiser and the one trained here. */
  private onSwitch = () => {
    this.useShipped = !this.useShipped;
    this.requestUpdate();
    this.schedule(0);
  };

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const s = this.shows;
    if (!s) return;
    const { images } = s.out;
    const row = { count: SHOWN, rows: s.rows, cols: s.cols, columns: SHOWN };
    for (const [name, pixels] of Object.entries(images)) {
      if (!pixels || (name === 'ae' && !s.aeLabel)) continue;
      this.paint(`denoise-${name}`, pixels, (c) => {
        drawDigits(c, pixels, row);
        c.dataset.shape = `${s.rows}x${s.cols}`;
      });
    }
  }

  override render() {
    const s = this.shows;
    const store = this.store;
    const mnist = this.mnist;
    const noise = this.noise();
    const mse = s?.out.mse;
    return html`<figure
      part="figure"
      data-figure="denoise"
      data-noise=${s ? formatNoise(s.noise) : nothing}
      data-count=${s ? s.out.count : nothing}
      data-k=${s?.out.k ?? nothing}
      data-mse-noisy=${mse?.noisy ?? nothing}
      data-mse-dae=${mse?.dae ?? nothing}
      data-mse-ae=${(s?.aeLabel && mse?.ae) ?? nothing}
      data-mse-pca=${mse?.pca ?? nothing}
      data-denoiser=${s?.denoiser.source ?? nothing}
    >
      <figcaption>${mnist ? CAPTION : IMAGES_CAPTION}</figcaption>
      ${this.renderControls(noise)} ${this.renderTraining()} ${this.renderError('denoise')}
      ${s ? this.renderRows(s) : nothing}
      <p class="summary" data-summary="denoise" aria-live="polite">
        ${
          s
            ? denoiseSummary({
                noise: s.noise,
                out: s.out,
                daeLabel: s.denoiser.label,
                aeLabel: s.aeLabel,
                pcaOnTest: s.pcaOnTest,
                testSet: this.store?.testSetWords(number(s.out.count)) ?? '',
                noun: s.noun,
              })
            : !mnist && store && !this.trainedFor(store)
              ? this.noDenoiserWords(store)
              : this.seen
                ? mnist
                  ? 'Loading the shipped denoising autoencoder…'
                  : 'Denoising…'
                : 'Starts when it scrolls into view.'
        }
      </p>
    </figure>`;
  }

  private renderControls(noise: Noise) {
    const range = LEVELS[this.kind];
    return html`<div class="controls denoise-controls">
      <label
        >Noise
        <select data-control="denoise-kind" .value=${this.kind} @change=${this.onKind}>
          <option value="gaussian" ?selected=${this.kind === 'gaussian'}>Gaussian (σ)</option>
          <option value="mask" ?selected=${this.kind === 'mask'}>
            Masking (a fraction of pixels)
          </option>
        </select></label
      >
      <label
        >${range.label}
        <input
          type="range"
          data-control="denoise-level"
          min=${range.min}
          max=${range.max}
          step=${range.step}
          .value=${String(this.levels[this.kind])}
          aria-valuetext=${levelWords(noise)}
          @input=${this.onLevel}
          @change=${this.onLevel}
        />
        <output data-level>${levelWords(noise)}</output></label
      >
      ${this.running ? html`<span class="pending" data-busy>Denoising…</span>` : nothing}
    </div>`;
  }

  /** Why there is nothing to show yet on an author's other shape, and what to do. */
  private noDenoiserWords(store: DemoStore): string {
    const { rows, cols } = store.shape();
    return (
      `No denoising autoencoder is shipped for ${rows} × ${cols} images (the shipped one takes ` +
      `28 × 28 digits): train one here with the button above, on your training images. It is ` +
      `then compared with the noisy images, ${store.models.ae ? 'your autoencoder' : 'the plain autoencoder of that shape if one is trained here'} ` +
      `and PCA, on the test images.`
    );
  }

  private renderTraining() {
    const t = this.training;
    const store = this.store;
    const trained = this.trained?.store === store ? this.trained?.denoiser : undefined;
    if (t) {
      return html`<div class="controls denoise-training" data-training>
        <progress max="1" .value=${t.fraction} aria-label="Training the denoiser"></progress>
        <span
          >Training a denoising autoencoder with ${noiseWords(t.noise)}:
          ${t.epoch < t.epochs ? `epoch ${t.epoch + 1} of ${t.epochs}` : 'scoring'}…</span
        >
        <button type="button" data-action="denoise-cancel" @click=${this.onCancel}>Cancel</button>
      </div>`;
    }
    return html`<div class="controls denoise-training">
      <button type="button" data-action="denoise-train" ?disabled=${!store} @click=${this.onTrain}>
        Train a denoising autoencoder here
      </button>
      <span class="pending"
        >With the noise above, on
        ${
          this.mnist
            ? `${plural(DENOISE_TRAINING.trainSize, 'training digit')} for ${plural(DENOISE_TRAINING.epochs, 'epoch')}`
            : `up to ${number(DENOISE_TRAINING.trainSize)} of your ${store?.shape().rows} × ${store?.shape().cols} training images, for as many epochs as make ${number(DENOISE_SAMPLES)} images seen (as on MNIST; ${DENOISE_TRAINING.epochs} to ${MAX_EPOCHS})`
        }.</span
      >
      ${
        trained && this.mnist
          ? html`<button type="button" data-action="denoise-switch" @click=${this.onSwitch}>
              ${this.useShipped ? 'Use the one trained here' : 'Use the shipped one'}
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderRows(s: Shown) {
    const { k } = s.out;
    const what = `the first ${SHOWN} test ${s.noun}`;
    const row = (name: string, label: string, aria: string, source?: string) =>
      html`<span>${label}</span>
        <canvas
          data-digits="denoise-${name}"
          data-source=${source ?? nothing}
          role="img"
          aria-label="${aria}: ${what}"
        ></canvas>`;
    return html`<div class="digits">
      ${row('clean', 'Clean', `The clean ${s.noun}`)}
      ${row('noisy', `Noisy (${levelWords(s.noise)})`, `With ${noiseWords(s.noise)}`)}
      ${row('dae', s.denoiser.label, `${s.denoiser.label}, from the noisy ${s.noun}`, s.denoiser.source)}
      ${
        s.aeLabel
          ? row('ae', s.aeLabel, `${s.aeLabel}, from the noisy ${s.noun}`, s.aeSource)
          : nothing
      }
      ${
        s.out.images.pca
          ? row('pca', `PCA, ${k} components`, `PCA with ${k} components, from the noisy ${s.noun}`)
          : nothing
      }
    </div>`;
  }
}
