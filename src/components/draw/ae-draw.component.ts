import { html, nothing, type PropertyValues } from 'lit';
import type { PcaProjection } from '../../worker/bridge.ts';
import { number } from '../ae-demo/words.ts';
import '../scatter/ae-scatter.ts';
import { digitLegend } from '../shared/legend.ts';
import { Latest, every } from '../shared/latest.ts';
import { partStyles } from '../shared/part.styles.ts';
import { PlayPart, drawDigit } from '../shared/play-part.ts';
import { mseToPixels, nearest } from '../shared/play-math.ts';
import {
  labelsOf,
  type ActiveModel,
  type DemoStore,
  type PcaState,
  type TestCodes,
} from '../store/store.ts';
import { drawStyles } from './ae-draw.styles.ts';
import { centerDigit } from './center-digit.ts';
import { DrawPad, PAD_SIZE } from './draw-pad.ts';
import { drawSummary, type DrawResult, type Rebuilt } from './draw-words.ts';

/** Neighbours that say where a drawn digit lands. */
const NEIGHBOURS = 20;
/** Components of the PCA reconstruction of a drawn digit (the notebook's k = 10). */
const PCA_K = 10;
/** Pad pixels this faint or fainter are not ink (the brush's soft edge fades out). */
const INK_THRESHOLD = 8;

/** Dimensions 1 and 2 of every code, interleaved, for the latent scatter; made once per codes. */
const planes = new WeakMap<TestCodes, Float32Array>();
function firstTwo(codes: TestCodes): Float32Array {
  let xy = planes.get(codes);
  if (!xy) {
    xy = new Float32Array(2 * codes.count);
    for (let i = 0; i < codes.count; i++) {
      xy[2 * i] = codes.codes[i * codes.latentSize];
      xy[2 * i + 1] = codes.latentSize > 1 ? codes.codes[i * codes.latentSize + 1] : 0;
    }
    planes.set(codes, xy);
  }
  return xy;
}

/**
 * The draw pad: a digit drawn with a mouse, pen or finger (or a test digit
 * put on it) is centred like MNIST's, placed on PC1–PC2 and in the
 * autoencoder's latent space among the test digits (two small scatters with
 * it ringed), and rebuilt by PCA, the autoencoder and the VAE.
 */
export class AeDraw extends PlayPart {
  static override styles = [partStyles, drawStyles];

  private readonly pad = new DrawPad(() => this.runner.push());
  private index = 0;
  private shows: DrawResult | undefined;
  /** The autoencoder's test codes and the test labels, for its scatter, once loaded. */
  private latent: { codes: TestCodes; labels: Uint8Array; model: ActiveModel } | undefined;
  private readonly runner = new Latest<void>(
    () => this.analyse(),
    every(120),
    (error) => this.failed(error),
  );

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runner.clear();
    this.pad.detach();
  }

  protected start(store: DemoStore): void {
    const ae = store.models.ae;
    if (ae && this.latent?.model !== ae) {
      Promise.all([store.testCodes(ae), this.testDigits(store)]).then(([codes, test]) => {
        if (store.models.ae !== ae) return;
        this.latent = { codes, labels: labelsOf(test), model: ae };
        this.requestUpdate();
      }, this.failed.bind(this));
    }
    if (this.pad.dirty) this.runner.push();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.pad.attach(
      this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-pad]') ?? undefined,
    );
    const d = this.shows;
    if (!d) return;
    this.paint('draw-input', d.input, (c) => drawDigit(c, d.input));
    this.paint('draw-pca', d.pca, (c) => drawDigit(c, d.pca!.pixels));
    this.paint('draw-ae', d.ae, (c) => drawDigit(c, d.ae!.pixels));
    this.paint('draw-vae', d.vae, (c) => drawDigit(c, d.vae!.pixels));
  }

  /** Centres what is drawn like MNIST, then asks PCA and both models where it lands and how they rebuild it. */
  private async analyse(): Promise<void> {
    const store = this.store;
    const ink = this.pad.dirty ? this.pad.ink() : undefined;
    const input = ink && centerDigit(ink, PAD_SIZE, PAD_SIZE, { threshold: INK_THRESHOLD });
    if (!store || !input) {
      this.shows = undefined;
      this.requestUpdate();
      return;
    }
    const { pca } = store;
    const { ae, vae } = store.models;
    const { bridge, signal } = store;
    const k = pca ? Math.min(PCA_K, pca.result.components) : 0;
    const [projection, aeCode, aeRecon, vaeRecon] = await Promise.all([
      pca ? bridge.pcaImages(signal, pca.dataset.key, input, k) : undefined,
      ae ? bridge.encodePixels(store.signalFor(ae), ae.modelId, input) : undefined,
      ae ? bridge.reconstructPixels(store.signalFor(ae), ae.modelId, input) : undefined,
      vae ? bridge.reconstructPixels(store.signalFor(vae), vae.modelId, input) : undefined,
    ] as const);
    const result: DrawResult = { input };
    if (pca && projection) result.pca = place(projection, k, pca, input);
    if (ae && aeCode && aeRecon) {
      const codes = await store.testCodes(ae).catch(() => undefined);
      result.ae = {
        pixels: aeRecon,
        mse: mseToPixels(aeRecon, input),
        code: aeCode,
        latentSize: ae.latentSize,
        near: codes ? nearest(codes.codes, codes.latentSize, aeCode, 1)[0] : undefined,
      };
      result.testLabels = (await this.testDigits(store).catch(() => undefined))?.labels;
    }
    if (vaeRecon) result.vae = { pixels: vaeRecon, mse: mseToPixels(vaeRecon, input) };
    // Cleared meanwhile: the pad is blank now.
    if (!this.pad.dirty) return;
    this.shows = result;
    this.error = undefined;
    this.requestUpdate();
  }

  private onClear = () => {
    this.pad.clear();
    this.runner.clear();
    this.shows = undefined;
    this.requestUpdate();
  };

  private onIndex = (event: Event) => {
    this.index = (event.target as HTMLInputElement).valueAsNumber;
  };

  private onUseDigit = async () => {
    const store = this.store;
    if (!store) return;
    try {
      const test = await this.testDigits(store);
      const index = this.index;
      if (!Number.isInteger(index) || index < 0 || index >= test.count) {
        this.showError(`Choose a test digit from 0 to ${number(test.count - 1)}.`);
        return;
      }
      this.pad.paintDigit(await store.bridge.image(store.signal, test.key, index));
      this.runner.push();
    } catch (error) {
      this.failed(error);
    }
  };

  override render() {
    const only = this.renderMnistOnly('draw', 'Draw a digit');
    if (only) return only;
    const store = this.store;
    const d = this.shows;
    const pca = store?.pca;
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
            ${this.testDigitInput('Test digit #', 'draw-index', this.index, this.onIndex)}
            <button type="button" data-action="use-digit" @click=${this.onUseDigit}>
              Put it on the pad
            </button>
          </div>
        </div>
        <div class="where">
          <div>
            <span class="label">On PC1–PC2</span>
            ${pca && this.seen ? this.pcaScatter(store, pca, d) : nothing}
          </div>
          <div>
            <span class="label">In the autoencoder's z1–z2</span>
            ${this.latentScatter(store, d)}
          </div>
          ${digitLegend('Colour per digit in both scatters')}
        </div>
      </div>
      ${this.renderError('draw')} ${d ? rebuilt(d) : nothing}
      <p class="summary" data-summary="draw" aria-live="polite">
        ${
          d
            ? drawSummary(d)
            : pca
              ? "Draw a digit on the pad, or put a test digit on it: it is centred the way MNIST's digits were, then placed among the test digits and rebuilt by PCA, the autoencoder and the VAE."
              : 'Waiting for the PCA…'
        }
      </p>
    </figure>`;
  }

  private pcaScatter(store: DemoStore, pca: PcaState, d: DrawResult | undefined) {
    const pc = d?.pca?.pc;
    return html`<ae-scatter
      name="draw-pca"
      description="The digits on PC1 and PC2, yours marked with a ring"
      signature=${`${pca.dataset.key}:${pca.result.samples}`}
      .height=${200}
      .xy=${pca.result.scores}
      .labels=${pca.dataset.labels}
      .axes=${['PC1', 'PC2']}
      .theme=${store.host.theme()}
      .mark=${pc && { x: pc[0], y: pc[1], label: 'your digit' }}
    ></ae-scatter>`;
  }

  private latentScatter(store: DemoStore | undefined, d: DrawResult | undefined) {
    const ae = store?.models.ae;
    const latent = this.latent?.model === ae ? this.latent : undefined;
    if (!store || !ae || !latent) {
      return html`<span class="summary"
        >${ae ? 'Encoding the test digits…' : 'Waiting for the autoencoder…'}</span
      >`;
    }
    const code = d?.ae?.code;
    return html`<ae-scatter
      name="draw-latent"
      description="The test digits' codes on z1 and z2, yours marked with a ring"
      signature=${ae.modelId}
      .height=${200}
      .xy=${firstTwo(latent.codes)}
      .labels=${latent.labels}
      .axes=${['z1', 'z2']}
      .theme=${store.host.theme()}
      .mark=${code && { x: code[0], y: code.length > 1 ? code[1] : 0, label: 'your digit' }}
    ></ae-scatter>`;
  }
}

/** The drawn digit's place on PC1–PC2 among the PCA's digits, and PCA's rebuild of it. */
function place(
  projection: PcaProjection,
  k: number,
  pca: PcaState,
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
    near: nearest(pca.result.scores, 2, pc, NEIGHBOURS),
    labels: labelsOf(pca.dataset),
    test: pca.isTestSet,
  };
}

/** The drawn digit, centred, and each method's rebuild with its error. */
function rebuilt(d: DrawResult) {
  const mse = (r: Rebuilt | undefined) => (r ? `MSE ${r.mse.toFixed(4)}` : '…');
  const item = (name: string, label: string, caption: unknown) =>
    html`<li>
      <canvas data-digits="draw-${name}" role="img" aria-label=${label}></canvas>
      <span>${caption}</span>
    </li>`;
  return html`<ul class="rebuilt">
    ${item('input', "Your digit, centred like MNIST's", html`Yours, centred<br />28 × 28`)}
    ${item('pca', "PCA's reconstruction", html`PCA, ${d.pca?.k ?? PCA_K} components<br />${mse(d.pca)}`)}
    ${item('ae', "The autoencoder's reconstruction", html`Autoencoder<br />${mse(d.ae)}`)}
    ${item('vae', "The VAE's reconstruction", html`VAE<br />${mse(d.vae)}`)}
  </ul>`;
}
