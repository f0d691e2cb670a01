import { Task } from '@lit/task';
import { html, nothing } from 'lit';
import { drawDigits } from '../ae-demo/digits.ts';
import { inSentence, number } from '../ae-demo/words.ts';
import { figureError, storeTask, taskFailure, taskValue } from '../shared/figure-task.ts';
import { partStyles } from '../shared/part.styles.ts';
import type { ActiveModel } from '../store/store.ts';
import { AeView } from '../store/view.ts';
import { reconstructionsStyles } from './ae-reconstructions.styles.ts';

/** The test digits the grid shows: the first ten, as in the notebook. */
const SHOWN = Array.from({ length: 10 }, (_, i) => i);
const GRID = { count: SHOWN.length, columns: SHOWN.length };

type Kind = 'ae' | 'vae';

/**
 * The same ten test digits rebuilt by PCA (with as many components as the
 * autoencoder's latent size), by the autoencoder and by the VAE (from μ),
 * one row each, with the test MSE per pixel of each method.
 *
 * @csspart figure - The figure.
 */
export class AeReconstructions extends AeView {
  static override styles = [partStyles, reconstructionsStyles];

  private readonly failed = (error: unknown) => this.fail(error);

  /** The test set's size and the shown digits' pixels. */
  private readonly originals = new Task(this, {
    task: storeTask(this.failed, async ([store, testKey], signal) => {
      const [test, pixels] = await Promise.all([
        store.testDigits(),
        store.bridge.images(signal, testKey, SHOWN),
      ]);
      return { count: test.count, pixels };
    }),
    args: () => [this.store, this.store?.models.testKey] as const,
  });

  /** The shown digits through this page's PCA, rank k (on an author's images, the one fitted on the training images). */
  private readonly pcaRow = new Task(this, {
    task: storeTask(this.failed, async ([store, basisKey, k, pixels], signal) => {
      const projected = await store.bridge.pcaImages(signal, basisKey, pixels, k);
      return projected.reconstructions;
    }),
    args: () =>
      [this.store, this.basisKey(), this.pcaK(), taskValue(this.originals)?.pixels] as const,
  });

  /**
   * On the author's images: the page's PCA fitted on the models' training
   * images and scored on their test images, so its error is on the images
   * the models' are.
   */
  private readonly heldOut = new Task(this, {
    task: storeTask(this.failed, async ([store]) => (await store.heldOutPca()) ?? null),
    args: () => [this.store, this.store?.host.authorData() ? this.store.pca : undefined] as const,
  });

  private readonly rebuilt = { ae: this.rebuild('ae'), vae: this.rebuild('vae') };
  private readonly scores = { ae: this.score('ae'), vae: this.score('vae') };
  private readonly drawn = new WeakMap<HTMLCanvasElement, Uint8Array | Float32Array>();

  /** The shown digits through the model of `kind` the figures show. */
  private rebuild(kind: Kind) {
    return new Task(this, {
      task: storeTask(this.failed, async ([store, model, testKey], signal) => {
        const images = await store.bridge.reconstruct(signal, model.modelId, testKey, SHOWN);
        return images.pixels;
      }),
      args: () => [this.store, this.store?.models[kind], this.store?.models.testKey] as const,
    });
  }

  /** The test MSE of the model of `kind` the figures show. */
  private score(kind: Kind) {
    return new Task(this, {
      task: storeTask(this.failed, ([store, model, testKey]) => store.testMse(model, testKey)),
      args: () => [this.store, this.store?.models[kind], this.store?.models.testKey] as const,
    });
  }

  /** The dataset whose PCA basis rebuilds the shown digits: the one the sentence's error is of. */
  private basisKey(): string | undefined {
    const store = this.store;
    if (!store?.host.authorData()) return store?.pca?.dataset.key;
    return taskValue(this.heldOut)?.trainKey;
  }

  /** PCA's k: the autoencoder's latent size, capped at the components the PCA has. */
  private pcaK(): number | undefined {
    const pca = this.store?.pca;
    const ae = this.store?.models.ae;
    return pca && ae ? Math.max(1, Math.min(ae.latentSize, pca.result.components)) : undefined;
  }

  override render() {
    const store = this.store;
    if (!store) return nothing;
    const { testKey, ae, vae } = store.models;
    const k = this.pcaK();
    const error = taskFailure([
      this.originals,
      this.pcaRow,
      this.heldOut,
      this.rebuilt.ae,
      this.rebuilt.vae,
      this.scores.ae,
      this.scores.vae,
    ]);
    return html`<figure part="figure" data-figure="reconstructions">
      <figcaption>
        The same ${SHOWN.length} test digits rebuilt by PCA, the autoencoder and the VAE
      </figcaption>
      ${
        testKey
          ? html`<div class="digits">
              ${this.row('originals', 'Original', undefined, !!taskValue(this.originals))}
              ${k ? this.row('pca', `PCA, ${k} components`, undefined, !!taskValue(this.pcaRow)) : nothing}
              ${ae ? this.modelRow('ae', ae, ae.label) : nothing}
              ${vae ? this.modelRow('vae', vae, `${vae.label} (from μ)`) : nothing}
            </div>`
          : html`<p class="pending">Loading the shipped models…</p>`
      }
      ${this.needsModel()} ${figureError(error)}
      <p class="summary" data-summary="reconstructions">${this.summary(ae, vae, k)}</p>
    </figure>`;
  }

  /** Says which models this figure still needs, when the shipped ones do not fit the images. */
  private needsModel() {
    const store = this.store;
    const missing = store && [store.modelMissing('ae'), store.modelMissing('vae')].filter(Boolean);
    if (!missing?.length) return nothing;
    return html`<p class="pending" data-needs-model>
      ${missing[0]}${missing.length > 1 ? ' The VAE row needs a VAE of that shape too.' : ''}
    </p>`;
  }

  /** The test MSE per pixel of the three methods, in one sentence. */
  private summary(ae: ActiveModel | undefined, vae: ActiveModel | undefined, k?: number): string {
    const pca = this.store?.pca;
    const test = taskValue(this.originals);
    const mse = (kind: Kind) =>
      this.store?.modelMissing(kind)
        ? 'none yet (train one here)'
        : (taskValue(this.scores[kind])?.toFixed(4) ?? 'scoring…');
    const author = this.store?.host.authorData();
    const pcaMse = !(k && pca)
      ? '…'
      : author
        ? this.heldOutWords(k)
        : pca.isTestSet
          ? pca.result.reconstructionMse[k - 1].toFixed(4)
          : 'not scored (fitted on other digits)';
    return (
      `Test MSE per pixel over ${this.store?.testSetWords(test ? number(test.count) : '…') ?? ''}: ` +
      `PCA with ${k ?? '…'} components ${pcaMse}, ` +
      `${ae ? inSentence(ae.label) : 'the autoencoder'} ${mse('ae')}, ` +
      `${vae ? inSentence(vae.label) : 'the VAE'} (from μ) ${mse('vae')}; lower is better.`
    );
  }

  /** PCA's error at rank `k` on the author's test images, and the images it was fitted on. */
  private heldOutWords(k: number): string {
    const scored = taskValue(this.heldOut);
    if (!scored) return 'scoring…';
    return (
      `${scored.mse[k - 1].toFixed(4)} ` +
      `(fitted on the ${number(scored.fitCount)} images the models train on)`
    );
  }

  private modelRow(kind: Kind, model: ActiveModel, label: string) {
    return this.row(kind, label, model.source, !!taskValue(this.rebuilt[kind]));
  }

  /** One row of the grid: its label, and its canvas once its digits are here. */
  private row(name: string, label: string, source: string | undefined, ready: boolean) {
    return html`<span>${label}</span> ${
        ready
          ? html`<canvas
              data-digits=${name}
              data-source=${source ?? nothing}
              role="img"
              aria-label="${label}: the first ${SHOWN.length} test digits"
            ></canvas>`
          : html`<span class="pending">Loading…</span>`
      }`;
  }

  /** Paints each row's digits into its canvas, once per result. */
  protected override updated(): void {
    const rows: Record<string, Uint8Array | Float32Array | undefined> = {
      originals: taskValue(this.originals)?.pixels,
      pca: taskValue(this.pcaRow),
      ae: taskValue(this.rebuilt.ae),
      vae: taskValue(this.rebuilt.vae),
    };
    for (const [name, pixels] of Object.entries(rows)) {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(
        `canvas[data-digits="${name}"]`,
      );
      if (!canvas || !pixels || this.drawn.get(canvas) === pixels) continue;
      drawDigits(canvas, pixels, { ...GRID, ...(this.store?.shape() ?? { rows: 28, cols: 28 }) });
      this.drawn.set(canvas, pixels);
    }
  }
}
