import { Task } from '@lit/task';
import { html, nothing } from 'lit';
import { AeError } from '../../core/errors.ts';
import { inSentence, number } from '../ae-demo/words.ts';
import { formatCoordinate } from '../charts/scatter-keys.ts';
import '../scatter/ae-scatter.ts';
import { figureError, storeTask, taskFailure, taskValue } from '../shared/figure-task.ts';
import { digitLegend } from '../shared/legend.ts';
import { partStyles } from '../shared/part.styles.ts';
import type { ActiveModel, TestCodes } from '../store/store.ts';
import { AeView } from '../store/view.ts';
import { DEFAULT_VIEW } from '../store/view-state.ts';

/** Which model the scatter shows (the other stands in while one is missing). */
type LatentKind = 'ae' | 'vae';

const axis = (d: number) => `z${d + 1}`;

/**
 * The test digits in a model's latent space (the VAE's μ), on two of its
 * dimensions, coloured by label; selects choose the model and the
 * dimensions. Encoding 10,000 digits waits until the figure comes into
 * view, and each model's codes are encoded once per store
 * (`store.testCodes`), shared with the other figures that use them.
 *
 * @csspart figure - The figure.
 */
export class AeLatent extends AeView {
  static override styles = [partStyles];

  /** The reader's choice of model and dimensions, in the store's view state (a link restores it). */
  private get choice() {
    return (this.store?.view.value ?? DEFAULT_VIEW).latent;
  }
  /** Whether the figure came into view: nothing is encoded before. */
  private seen = false;
  private observer: IntersectionObserver | undefined;
  private plotted: { codes: TestCodes; dx: number; dy: number; xy: Float32Array } | undefined;
  private readonly spans = new WeakMap<TestCodes, string[]>();

  private readonly codes = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      async ([store, model]) => {
        const [test, codes] = await Promise.all([store.testDigits(), store.testCodes(model)]);
        return { test, codes };
      },
    ),
    args: () => [this.store, this.seen ? this.model() : undefined] as const,
  });

  /** The 8-bit pixels of test digit `index`, for the scatter's tooltip. */
  private readonly digit = (index: number): Promise<Uint8Array> => {
    const store = this.store;
    const test = taskValue(this.codes)?.test;
    if (!store || !test) {
      return Promise.reject(new AeError('NOT_LOADED', 'The test digits are not loaded yet.'));
    }
    return store.bridge.image(store.signal, test.key, index);
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** The model the scatter shows: the chosen kind, or the other one while it is missing. */
  private model(): ActiveModel | undefined {
    const { ae, vae } = this.store?.models ?? {};
    return this.choice.kind === 'vae' ? (vae ?? ae) : (ae ?? vae);
  }

  override render() {
    const store = this.store;
    if (!store) return nothing;
    const { ae, vae } = store.models;
    const model = this.model();
    const size = model?.latentSize ?? 0;
    const [dx, dy] = this.choice.dims.map((d) => Math.min(d, Math.max(0, size - 1)));
    const done = taskValue(this.codes);
    const dims = Array.from({ length: size }, (_, i) => i);
    // The author's test images may come without labels: one colour then.
    const unlabelled = !!done && !done.test.labels;
    return html`<figure part="figure" data-figure="latent">
      <figcaption>Latent space of the test digits</figcaption>
      <div class="controls">
        <label
          >Model
          <select data-control="latent-model" @change=${this.onModel}>
            ${ae ? html`<option value="ae" ?selected=${model === ae}>Autoencoder</option>` : nothing}
            ${vae ? html`<option value="vae" ?selected=${model === vae}>VAE (μ)</option>` : nothing}
          </select></label
        >
        ${this.select('latent-x', 'Horizontal', dx, dims, (v) => this.setDims([v, dy]))}
        ${this.select('latent-y', 'Vertical', dy, dims, (v) => this.setDims([dx, v]))}
      </div>
      <ae-scatter
        name="latent"
        interactive
        description="Test digits on latent dimensions ${axis(dx)} and ${axis(dy)}${unlabelled ? '' : ', coloured by label'}."
        signature=${model ? `${model.modelId}:${dx}:${dy}` : ''}
        .xy=${done && this.points(done.codes, dx, dy)}
        .labels=${done?.test.labels}
        ?unlabelled=${unlabelled}
        .shape=${store.shape()}
        .axes=${[axis(dx), axis(dy)]}
        .theme=${store.host.theme()}
        .digit=${this.digit}
      ></ae-scatter>
      ${unlabelled ? nothing : digitLegend()} ${figureError(taskFailure([this.codes]))}
      <p class="summary" data-summary="latent">${this.summary(model, dx, dy, done?.codes)}</p>
    </figure>`;
  }

  private summary(model: ActiveModel | undefined, dx: number, dy: number, codes?: TestCodes) {
    if (!model) return this.store?.modelMissing('ae') ?? 'Loading the shipped models…';
    if (!codes) {
      return this.seen
        ? `Encoding the test digits with ${inSentence(model.label)}…`
        : 'The digits are encoded when this figure comes into view.';
    }
    const spans = this.spansOf(codes);
    return (
      `${number(codes.count)} test digits on dimensions ${dx + 1} and ${dy + 1} of ` +
      `${inSentence(model.label)}'s ${model.latentSize}-D latent space` +
      `${model.kind === 'vae' ? ' (μ)' : ''}: ` +
      `${axis(dx)} spans ${spans[dx]}, ${axis(dy)} spans ${spans[dy]}.`
    );
  }

  private select(
    name: string,
    label: string,
    value: number,
    dims: number[],
    onChange: (v: number) => void,
  ) {
    return html`<label
      >${label}
      <select
        data-control=${name}
        .value=${String(value)}
        @change=${(e: Event) => onChange(Number((e.target as HTMLSelectElement).value))}
      >
        ${dims.map((d) => html`<option value=${d} ?selected=${d === value}>${axis(d)}</option>`)}
      </select></label
    >`;
  }

  private onModel = (event: Event) => {
    const kind = (event.target as HTMLSelectElement).value as LatentKind;
    this.store?.view.update({ latent: { ...this.choice, kind } });
  };

  private setDims(dims: [number, number]): void {
    this.store?.view.update({ latent: { ...this.choice, dims } });
  }

  /** The plotted points, n × 2 interleaved: the same array while codes and dimensions stay. */
  private points(codes: TestCodes, dx: number, dy: number): Float32Array {
    const last = this.plotted;
    if (last?.codes === codes && last.dx === dx && last.dy === dy) return last.xy;
    const size = codes.latentSize;
    const xy = new Float32Array(2 * codes.count);
    for (let i = 0; i < codes.count; i++) {
      xy[2 * i] = codes.codes[i * size + dx];
      xy[2 * i + 1] = codes.codes[i * size + dy];
    }
    this.plotted = { codes, dx, dy, xy };
    return xy;
  }

  /** "−3.64 to 3.69" for each latent dimension: its range over the test digits (once per codes). */
  private spansOf(codes: TestCodes): string[] {
    let spans = this.spans.get(codes);
    if (!spans) {
      const { count, latentSize: size } = codes;
      const lo = new Array<number>(size).fill(Infinity);
      const hi = new Array<number>(size).fill(-Infinity);
      for (let i = 0; i < count; i++) {
        for (let d = 0; d < size; d++) {
          const v = codes.codes[i * size + d];
          if (v < lo[d]) lo[d] = v;
          if (v > hi[d]) hi[d] = v;
        }
      }
      spans = lo.map((l, d) => `${formatCoordinate(l)} to ${formatCoordinate(hi[d])}`);
      this.spans.set(codes, spans);
    }
    return spans;
  }

  /** Watches the figure until it comes into view: then the digits are encoded. */
  protected override updated(): void {
    const figure = this.renderRoot.querySelector('figure');
    if (this.seen || this.observer || !figure) return;
    this.observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      this.seen = true;
      this.observer?.disconnect();
      this.observer = undefined;
      this.requestUpdate();
    });
    this.observer.observe(figure);
  }
}
