import { html, nothing, type PropertyValues } from 'lit';
import type { PcaProjection } from '../../worker/bridge.ts';
import { cssProps } from '../ae-demo/css-props.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import { number } from '../ae-demo/words.ts';
import '../scatter/ae-scatter.ts';
import { digitLegend } from '../shared/legend.ts';
import { Latest, every } from '../shared/latest.ts';
import { partStyles } from '../shared/part.styles.ts';
import { PlayPart } from '../shared/play-part.ts';
import { yieldToMain } from '../shared/render-slice.ts';
import { mseToPixels, nearest } from '../shared/play-math.ts';
import { type ActiveModel, type DemoStore, type PcaState, type TestCodes } from '../store/store.ts';
import { drawStyles } from './ae-draw.styles.ts';
import { DrawPad, padSize } from './draw-pad.ts';
import { drawSummary, type DrawResult, type Rebuilt, type Shape } from './draw-words.ts';

/** Neighbours that say where a drawn digit lands. */
const NEIGHBOURS = 20;
/** Components of the PCA reconstruction of a drawn digit (the notebook's k = 10). */
const PCA_K = 10;
/** Pad pixels this faint or fainter are not ink (the brush's soft edge fades out). */
const INK_THRESHOLD = 8;

/** Paints one image of `shape` on `canvas`, and says its shape in `data-shape` (rows x cols). */
function drawImage(
  canvas: HTMLCanvasElement,
  pixels: Uint8Array | Float32Array,
  shape: Shape,
): void {
  drawDigits(canvas, pixels, { count: 1, rows: shape.rows, cols: shape.cols, columns: 1 });
  canvas.dataset.shape = `${shape.rows}x${shape.cols}`;
}

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
 *
 * On an author's images of another shape it waits for a model of that shape
 * trained here (saying so), then does the same at that shape: the pad takes
 * the images' aspect ratio and the drawing is centred into rows × cols.
 */
export class AeDraw extends PlayPart {
  static override styles = [partStyles, drawStyles];

  private readonly pad = new DrawPad(() => this.runner.push());
  private index = 0;
  private shows: DrawResult | undefined;
  /** The autoencoder's test codes and the test labels (if any), for its scatter, once loaded. */
  private latent:
    { codes: TestCodes; labels: Uint8Array | undefined; model: ActiveModel } | undefined;
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

  /**
   * On images of another shape than MNIST's, the pad needs a model of that
   * shape trained here (an autoencoder or a VAE), and says so until there is one.
   */
  protected override shapeBlock(store: DemoStore): string | undefined {
    if (store.mnistShaped() || store.models.ae || store.models.vae) return undefined;
    return store.modelMissing('ae');
  }

  /** The images' shape (the store's; MNIST's before it has one). */
  private get shape(): Shape {
    return this.store?.shape() ?? { rows: 28, cols: 28 };
  }

  /** What the images are called: digits on MNIST's shape, images on an author's other shape. */
  private get noun(): 'digit' | 'image' {
    return (this.store?.mnistShaped() ?? true) ? 'digit' : 'image';
  }

  protected start(store: DemoStore): void {
    const ae = store.models.ae;
    if (ae && this.latent?.model !== ae) {
      Promise.all([store.testCodes(ae), this.testDigits(store)]).then(([codes, test]) => {
        if (store.models.ae !== ae) return;
        this.latent = { codes, labels: test.labels, model: ae };
        this.requestUpdate();
      }, this.failed.bind(this));
    }
    if (this.pad.dirty) this.runner.push();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const shape = this.shape;
    if (this.pad.rows !== shape.rows || this.pad.cols !== shape.cols) {
      // Images of another shape (the author's set has loaded): what was drawn is for the old one.
      this.pad.setShape(shape.rows, shape.cols);
      this.runner.clear();
      if (this.shows) {
        this.shows = undefined;
        this.requestUpdate();
      }
    }
    this.pad.attach(
      this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-pad]') ?? undefined,
    );
    const d = this.shows;
    if (!d) return;
    const s = d.shape;
    this.paint('draw-input', d.input, (c) => drawImage(c, d.input, s));
    this.paint('draw-pca', d.pca, (c) => drawImage(c, d.pca!.pixels, s));
    this.paint('draw-ae', d.ae, (c) => drawImage(c, d.ae!.pixels, s));
    this.paint('draw-vae', d.vae, (c) => drawImage(c, d.vae!.pixels, s));
  }

  /** Centres what is drawn like MNIST, then asks PCA and both models where it lands and how they rebuild it. */
  private async analyse(): Promise<void> {
    const store = this.store;
    const pad = this.pad;
    const shape: Shape = { rows: pad.rows, cols: pad.cols };
    const drawn = pad.dirty ? pad.pixels() : undefined;
    const input =
      store && drawn
        ? await store.bridge.centreDrawing(store.signal, drawn, pad.width, pad.height, {
            threshold: INK_THRESHOLD,
            ...shape,
          })
        : undefined;
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
    const result: DrawResult = { input, shape };
    if (pca && projection) result.pca = place(projection, k, pca, input);
    if (ae && aeCode && aeRecon) {
      const codes = await store.testCodes(ae).catch(() => undefined);
      // A task of its own: the PCA neighbours above and this each scan the 10,000 test points,
      // with the rest one task of 33–62 ms main-thread CPU at 4× CPU throttling (bench:page).
      await yieldToMain();
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
    // Cleared meanwhile (the pad is blank now), or made for another shape.
    if (!pad.dirty || pad.rows !== shape.rows || pad.cols !== shape.cols) return;
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
        this.showError(`Choose a test ${this.noun} from 0 to ${number(test.count - 1)}.`);
        return;
      }
      this.pad.paintDigit(await store.bridge.image(store.signal, test.key, index));
      this.runner.push();
    } catch (error) {
      this.failed(error);
    }
  };

  override render() {
    const noun = this.noun;
    const caption = noun === 'digit' ? 'Draw a digit' : 'Draw an image';
    const only = this.renderMnistOnly('draw', caption);
    if (only) return only;
    const store = this.store;
    const d = this.shows;
    const pca = store?.pca;
    const { rows, cols } = this.shape;
    const labelled = noun === 'digit' || !!pca?.dataset.labels;
    return html`<figure part="figure" data-figure="draw" data-shape=${`${rows}x${cols}`}>
      <figcaption>${caption}</figcaption>
      <div class="draw">
        <div
          class="pad-box"
          ${cssProps({ '--pad-aspect': `${cols} / ${rows}`, '--pad-width': `${padSize(rows, cols).width}px` })}
        >
          <canvas
            class="pad"
            data-pad
            role="img"
            aria-label="Drawing pad: draw a ${noun} with a mouse, pen or finger, or put a test ${noun} on it with the controls below"
          ></canvas>
          <div class="controls">
            <button type="button" data-action="clear" @click=${this.onClear}>Clear</button>
            ${this.testDigitInput(`Test ${noun} #`, 'draw-index', this.index, this.onIndex)}
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
          ${labelled ? digitLegend('Colour per digit in both scatters') : nothing}
        </div>
      </div>
      ${this.renderError('draw')} ${d ? rebuilt(d) : nothing}
      <p class="summary" data-summary="draw" aria-live="polite">
        ${
          d
            ? drawSummary(d)
            : !pca
              ? 'Waiting for the PCA…'
              : noun === 'digit'
                ? "Draw a digit on the pad, or put a test digit on it: it is centred the way MNIST's digits were, then placed among the test digits and rebuilt by PCA, the autoencoder and the VAE."
                : `Draw on the pad, or put a test image on it: it is centred into ${rows} × ${cols} the way MNIST's digits were into 28 × 28, then placed among the images and rebuilt by PCA and the models of that shape trained here.`
        }
      </p>
    </figure>`;
  }

  private pcaScatter(store: DemoStore, pca: PcaState, d: DrawResult | undefined) {
    const pc = d?.pca?.pc;
    return html`<ae-scatter
      name="draw-pca"
      description="The ${this.noun}s on PC1 and PC2, yours marked with a ring"
      signature=${`${pca.dataset.key}:${pca.result.samples}`}
      .height=${200}
      .xy=${pca.result.scores}
      .labels=${pca.dataset.labels}
      ?unlabelled=${!pca.dataset.labels}
      .axes=${['PC1', 'PC2']}
      .theme=${store.host.theme()}
      .mark=${pc && { x: pc[0], y: pc[1], label: `your ${this.noun}` }}
    ></ae-scatter>`;
  }

  private latentScatter(store: DemoStore | undefined, d: DrawResult | undefined) {
    const ae = store?.models.ae;
    const latent = this.latent?.model === ae ? this.latent : undefined;
    if (!store || !ae || !latent) {
      return html`<span class="summary"
        >${ae ? `Encoding the test ${this.noun}s…` : 'Waiting for the autoencoder…'}</span
      >`;
    }
    const code = d?.ae?.code;
    return html`<ae-scatter
      name="draw-latent"
      description="The test ${this.noun}s' codes on z1 and z2, yours marked with a ring"
      signature=${ae.modelId}
      .height=${200}
      .xy=${firstTwo(latent.codes)}
      .labels=${latent.labels}
      ?unlabelled=${!latent.labels}
      .axes=${['z1', 'z2']}
      .theme=${store.host.theme()}
      .mark=${
        code && {
          x: code[0],
          y: code.length > 1 ? code[1] : 0,
          label: `your ${this.noun}`,
        }
      }
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
    labels: pca.dataset.labels,
    test: pca.isTestSet,
  };
}

/** The drawn digit, centred, and each method's rebuild with its error. */
function rebuilt(d: DrawResult) {
  const { rows, cols } = d.shape;
  const mnist = rows === 28 && cols === 28;
  const mse = (r: Rebuilt | undefined) => (r ? `MSE ${r.mse.toFixed(4)}` : '…');
  const item = (name: string, label: string, caption: unknown) =>
    html`<li>
      <canvas data-digits="draw-${name}" role="img" aria-label=${label}></canvas>
      <span>${caption}</span>
    </li>`;
  return html`<ul class="rebuilt" ${cssProps({ '--image-aspect': `${cols} / ${rows}` })}>
    ${item(
      'input',
      mnist ? "Your digit, centred like MNIST's" : `Your drawing, centred into ${rows} × ${cols}`,
      html`Yours, centred<br />${rows} × ${cols}`,
    )}
    ${item('pca', "PCA's reconstruction", html`PCA, ${d.pca?.k ?? PCA_K} components<br />${mse(d.pca)}`)}
    ${item('ae', "The autoencoder's reconstruction", html`Autoencoder<br />${mse(d.ae)}`)}
    ${item('vae', "The VAE's reconstruction", html`VAE<br />${mse(d.vae)}`)}
  </ul>`;
}
