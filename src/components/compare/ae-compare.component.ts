import { Task } from '@lit/task';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { AeError } from '../../core/errors.ts';
import { shortUrl } from '../../core/short-url.ts';
import { inSentence, number } from '../ae-demo/words.ts';
import { ChartSlot } from '../charts/chart-slot.ts';
import {
  DEFAULT_SEED,
  DIGIT_COLORS,
  MAX_K,
  PRESET_DEFAULTS,
  type PresetName,
} from '../../core/settings.ts';
import type { CompareProgress, CompareRow } from '../../worker/bridge.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { figureError, storeTask, taskFailure, taskValue } from '../shared/figure-task.ts';
import { lineLegend } from '../shared/legend.ts';
import { partStyles } from '../shared/part.styles.ts';
import { type ActiveModel, type DemoStore, type PcaState, anySignal } from '../store/store.ts';
import { AeView } from '../store/view.ts';
import { compareStyles } from './ae-compare.styles.ts';
import { compareSentence, type CompareTable, measuredSentence } from './compare-table.ts';

/** The reader's own autoencoder on the chart: its latent size and test MSE. */
interface ReaderPoint {
  k: number;
  mse: number;
}

/** The latent sizes measured on an author's images: five autoencoders, up to the table's largest k. */
export const MEASURED_KS: readonly number[] = [2, 4, 6, 8, 10];

/** The preset each autoencoder of a measurement trains with. */
const MEASURE_PRESET = 'quick' satisfies PresetName;

/** A measurement on the author's images: the rows so far and where it is. */
interface Measure {
  state: 'measuring' | 'done' | 'cancelled' | 'error';
  ks: number[];
  controller: AbortController;
  rows: CompareRow[];
  trainCount?: number;
  /** The autoencoder training now: its k, its place, its epoch and fraction done. */
  current?: { k: number; index: number; epoch: number; epochs: number; fraction: number };
  error?: string;
}

/** The shipped AE-vs-PCA table, fetched next to this module (the build copies it alongside). */
async function fetchTable(signal: AbortSignal): Promise<CompareTable> {
  const url = new URL('../../../pretrained/compare.json', import.meta.url);
  const response = await fetch(url, { signal });
  if (!response.ok) {
    throw new AeError(
      'DATA_FETCH_FAILED',
      `Could not load ${shortUrl(url)}: HTTP ${response.status}.`,
    );
  }
  return (await response.json()) as CompareTable;
}

/**
 * Autoencoder vs PCA: test error by latent size, from the table `ae-demo
 * reproduce` measured (pretrained/compare.json), with this page's PCA of
 * the test digits as rings and the reader's own autoencoder (trained or
 * opened here) as the highlighted point. On an author's images (`data-src`)
 * the table is not theirs: the figure shows PCA fitted on the images the
 * models train on and scored on their test images at every k, and the
 * reader's "Measure on …" button trains one autoencoder per k of
 * {@link MEASURED_KS} (quick preset, the author's `epochs` if given) in the worker, one after another, each
 * row drawn as it arrives; Cancel stops it. The figure then carries
 * `data-state` (measuring, done, cancelled, error), `data-ks`,
 * `data-measured-ks`, `data-ae-mse` and `data-pca-mse` (the measured rows,
 * in order).
 *
 * @fires ae-error - The measurement failed in the worker.
 * @csspart figure - The figure.
 */
export class AeCompare extends AeView {
  static override styles = [uplotStyles, partStyles, compareStyles];

  private readonly chartSlot = new ChartSlot(this, { failed: this.chartFailed });

  private readonly table = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      (_args, signal) => fetchTable(signal),
    ),
    // The table is MNIST's: on an author's images it is never fetched.
    args: () => [this.store, this.store?.host.authorData() ? undefined : true] as const,
  });

  /** On an author's images: PCA fitted on the training images, its test MSE at every k. */
  private readonly heldOut = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      async ([store]) => (await store.heldOutPca()) ?? null,
    ),
    args: () => [this.store, this.store?.host.authorData() ? this.store.pca : undefined] as const,
  });

  /** Each store's measurement (a new store measures afresh). */
  private readonly measures = new WeakMap<DemoStore, Measure>();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const store = this.store;
    if (store) this.measures.get(store)?.controller.abort();
  }

  /** The test MSE of the reader's own autoencoder; the shipped one is the table's already. */
  private readonly readerMse = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      async ([store, ae, testKey]) => ({ ae, mse: await store.testMse(ae, testKey) }),
    ),
    args: () => [this.store, this.readerModel(), this.store?.models.testKey] as const,
  });

  /** The autoencoder the figures show, when the reader trained or opened it here. */
  private readerModel(): ActiveModel | undefined {
    const ae = this.store?.models.ae;
    return ae && ae.source !== 'pretrained' ? ae : undefined;
  }

  /** The reader's autoencoder at its latent size, once scored. */
  private readerPoint(): ReaderPoint | undefined {
    const scored = taskValue(this.readerMse);
    return scored ? { k: scored.ae.latentSize, mse: scored.mse } : undefined;
  }

  override render() {
    const store = this.store;
    if (!store) return nothing;
    if (store.host.authorData()) return this.renderAuthor(store);
    const table = taskValue(this.table);
    const pca = store.pca;
    const mine = this.readerPoint();
    return html`<figure part="figure" data-figure="compare">
      <figcaption>Autoencoder vs PCA: test error by latent size</figcaption>
      <div
        class="chart"
        role="img"
        aria-label="Test mean squared error of the autoencoder and of PCA against latent size k"
      ></div>
      ${lineLegend([
        { color: 'var(--ae-demo-accent)', text: 'autoencoder' },
        { color: DIGIT_COLORS[1], text: 'PCA (dashed)' },
        ...(pca?.isTestSet
          ? [{ color: DIGIT_COLORS[1], text: "this page's PCA", ring: true }]
          : []),
        ...(mine ? [{ color: DIGIT_COLORS[2], text: 'your autoencoder' }] : []),
      ])}
      ${figureError(taskFailure([this.table, this.readerMse]))}
      <p class="summary" data-summary="compare">
        ${table ? this.sentences(table, pca, mine).join(' ') : 'Loading the measured table…'}
      </p>
    </figure>`;
  }

  /** The table in words, this page's PCA against it, and the reader's autoencoder against both. */
  private sentences(table: CompareTable, pca: PcaState | undefined, mine?: ReaderPoint): string[] {
    const sentences = [compareSentence(table)];
    const author = this.store?.host.authorData();
    if (author) {
      // The table was measured on MNIST: the author's model is not set against it.
      sentences.push(
        `The table is MNIST's, not ${author.name}'s; \`ae-demo reproduce --images\` measures yours.`,
      );
      const missing = this.store?.modelMissing('ae');
      if (missing) sentences.push(missing);
    }
    const live = pca?.isTestSet ? pca.result.reconstructionMse : undefined;
    const last = table.rows.filter((r) => live && r.k <= live.length).pop();
    if (live && last) {
      sentences.push(
        `This page's PCA of the test digits (rings) gives ${live[last.k - 1].toFixed(4)} at ` +
          `k = ${last.k}; the table has ${last.pcaMse.toFixed(4)}.`,
      );
    }
    const ae = this.readerModel();
    if (ae && mine) {
      const row = author ? undefined : table.rows.find((r) => r.k === mine.k);
      sentences.push(
        `${ae.label} (k = ${mine.k}, the filled point): test MSE ${mine.mse.toFixed(4)}` +
          (row
            ? `, against ${row.aeMse.toFixed(4)} for the table's autoencoder and ${row.pcaMse.toFixed(4)} for PCA.`
            : '.'),
      );
    } else if (ae) {
      sentences.push(`Scoring ${inSentence(ae.label)} on the test digits…`);
    }
    return sentences;
  }

  protected override updated(): void {
    const store = this.store;
    if (store?.host.authorData()) {
      this.moveFocus();
      return this.drawAuthor(store);
    }
    const table = taskValue(this.table);
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!store || !table || !box) return;
    const live = store.pca?.isTestSet ? store.pca.result.reconstructionMse : undefined;
    // An author's model is on other images than the table's: not drawn among its points.
    const mine = store.host.authorData() ? undefined : this.readerPoint();
    const signature = `${live ? live.length : 0}|${mine ? `${mine.k}:${mine.mse}` : ''}`;
    const theme = store.host.theme();
    void this.chartSlot.draw(box, signature, theme, async (charts, width) => {
      const ks = table.rows.map((r) => r.k);
      const chart = await charts.linesChart(box, {
        x: ks,
        series: [
          { label: 'autoencoder', color: theme.accent, y: table.rows.map((r) => r.aeMse) },
          { label: 'PCA', color: DIGIT_COLORS[1], y: table.rows.map((r) => r.pcaMse), dash: true },
          ...(live
            ? [
                {
                  label: "this page's PCA",
                  color: DIGIT_COLORS[1],
                  y: ks.map((k) => (k <= live.length ? live[k - 1] : null)),
                  line: false,
                },
              ]
            : []),
        ],
        xLabel: 'Latent size k',
        yLabel: 'Test MSE',
        yFormat: (v) => v.toFixed(3),
        highlight: mine && {
          x: mine.k,
          y: mine.mse,
          label: `yours ${mine.mse.toFixed(4)}`,
          color: DIGIT_COLORS[2],
        },
        width,
        height: 260,
        theme,
      });
      return { chart };
    });
  }

  /** The button to focus once it is rendered (Measure and Cancel stand in each other's place). */
  private focusNext: 'measure' | 'cancel' | undefined;

  /** Runs `act`, which replaces the focused button by the `to` one: the focus follows, for a keyboard reader. */
  private swapButton(act: () => void, to: 'measure' | 'cancel'): void {
    if (this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement) this.focusNext = to;
    act();
  }

  /** Focuses the button {@link swapButton} asked for, once it is there. */
  private moveFocus(): void {
    const to = this.focusNext;
    const button =
      to && this.renderRoot.querySelector<HTMLButtonElement>(`button[data-action=${to}]`);
    if (!button) return;
    this.focusNext = undefined;
    button.focus();
  }

  /** The latent sizes a measurement trains: {@link MEASURED_KS} within the page's PCA components. */
  private measuredKs(store: DemoStore): number[] {
    const components = store.pca?.result.components ?? 0;
    const ks = MEASURED_KS.filter((k) => k <= components);
    return ks.length ? ks : components >= 1 ? [1] : [];
  }

  /** The epochs each autoencoder trains: the author's `epochs`, else the preset's. */
  private epochs(store: DemoStore): number {
    return store.host.trainAttributes().epochs ?? PRESET_DEFAULTS[MEASURE_PRESET].ae.epochs;
  }

  /** Trains and scores one autoencoder per k in the worker, one after another; rows arrive one by one. */
  private async measure(store: DemoStore): Promise<void> {
    const pca = store.pca;
    const ks = this.measuredKs(store);
    if (!pca || !ks.length || this.measures.get(store)?.state === 'measuring') return;
    const measure: Measure = {
      state: 'measuring',
      ks,
      controller: new AbortController(),
      rows: [],
    };
    this.measures.set(store, measure);
    this.requestUpdate();
    const signal = anySignal(measure.controller.signal, store.signal);
    const { seed = DEFAULT_SEED, epochs } = store.host.trainAttributes();
    try {
      const [train, test] = await Promise.all([
        store.bridge.loadDataset(signal, store.trainSource()),
        store.testDigits(),
      ]);
      const onProgress = (p: CompareProgress) => {
        if (this.measures.get(store) !== measure || measure.state !== 'measuring') return;
        if (p.stage === 'pca') measure.trainCount = p.trainCount;
        else if (p.stage === 'start') {
          measure.current = { k: p.k, index: p.index, epoch: 0, epochs: 0, fraction: 0 };
        } else if (p.stage === 'epoch' && measure.current) {
          measure.current = { ...measure.current, epoch: p.epoch, epochs: p.epochs };
          measure.current.fraction = p.epoch / p.epochs;
        } else if (p.stage === 'batch' && measure.current) {
          measure.current = { ...measure.current, fraction: p.fraction };
        } else if (p.stage === 'row') {
          measure.rows = [...measure.rows, p.row];
          measure.current = undefined;
        }
        this.requestUpdate();
      };
      const out = await store.bridge.compare(
        signal,
        train.key,
        test.key,
        {
          ks,
          components: pca.result.components,
          preset: MEASURE_PRESET,
          seed,
          ...(epochs !== undefined ? { epochs } : {}),
        },
        { onProgress },
      );
      measure.rows = out.rows;
      measure.trainCount = out.trainCount;
      measure.state = 'done';
    } catch (error) {
      measure.state = signal.aborted ? 'cancelled' : 'error';
      if (!signal.aborted) measure.error = this.fail(error);
    } finally {
      measure.current = undefined;
      this.requestUpdate();
    }
  }

  /** The figure on an author's images: PCA on their test images, and the measurement the reader starts. */
  private renderAuthor(store: DemoStore) {
    const author = store.host.authorData()!;
    const measure = this.measures.get(store);
    const ks = measure?.ks ?? this.measuredKs(store);
    const rows = measure?.rows ?? [];
    const mine = this.readerPoint();
    const running = measure?.state === 'measuring';
    const list = (values: number[]) => (values.length ? values.join(',') : undefined);
    const status = this.statusWords(measure);
    return html`<figure
      part="figure"
      data-figure="compare"
      data-state=${ifDefined(measure?.state)}
      data-ks=${ks.join(',')}
      data-measured-ks=${ifDefined(list(rows.map((r) => r.k)))}
      data-ae-mse=${ifDefined(list(rows.map((r) => r.aeMse)))}
      data-pca-mse=${ifDefined(list(rows.map((r) => r.pcaMse)))}
    >
      <figcaption>Autoencoder vs PCA on ${author.name}: test error by latent size</figcaption>
      <div
        class="chart"
        role="img"
        aria-label="Test mean squared error of the autoencoder and of PCA against latent size k, on ${author.name}"
      ></div>
      ${lineLegend([
        ...(rows.length
          ? [{ color: 'var(--ae-demo-accent)', text: 'autoencoder, measured here' }]
          : []),
        { color: DIGIT_COLORS[1], text: 'PCA (dashed)' },
        ...(mine ? [{ color: DIGIT_COLORS[2], text: 'your autoencoder' }] : []),
      ])}
      <div class="controls">
        ${
          running
            ? html`<button
                type="button"
                data-action="cancel"
                @click=${() => this.swapButton(() => measure?.controller.abort(), 'measure')}
              >
                Cancel
              </button>`
            : measure?.state === 'done'
              ? nothing
              : html`<button
                  type="button"
                  data-action="measure"
                  ?disabled=${!store.pca || !ks.length}
                  @click=${() => this.swapButton(() => void this.measure(store), 'cancel')}
                >
                  Measure on ${author.name}
                </button>`
        }
      </div>
      <p class="status" role="status" aria-live="polite" data-status="compare">${status}</p>
      ${
        running
          ? html`<progress
              max="1"
              .value=${measure.current ? (measure.current.index + measure.current.fraction) / ks.length : measure.rows.length / ks.length}
              aria-label="Measuring progress"
            ></progress>`
          : nothing
      }
      ${figureError(taskFailure([this.heldOut, this.readerMse]) ?? measure?.error)}
      <p class="summary" data-summary="compare">
        ${this.authorSentences(store, measure).join(' ')}
      </p>
    </figure>`;
  }

  /** Where a measurement is, in words. */
  private statusWords(measure: Measure | undefined): string {
    if (!measure) return '';
    const total = measure.ks.length;
    const done = measure.rows.length;
    if (measure.state === 'done') {
      const seconds = measure.rows.reduce((sum, r) => sum + r.trainSeconds, 0);
      return `Measured ${total} latent sizes (${seconds.toFixed(1)} s of training).`;
    }
    if (measure.state === 'cancelled') return `Cancelled after ${done} of ${total} latent sizes.`;
    if (measure.state === 'error') return `Stopped after ${done} of ${total} latent sizes.`;
    const c = measure.current;
    if (!c) return done ? `Scored ${done} of ${total} latent sizes…` : 'Loading the images…';
    const epoch = c.epochs ? `, epoch ${c.epoch} of ${c.epochs}` : '';
    return `Training the autoencoder with k = ${c.k} (${c.index + 1} of ${total})${epoch}…`;
  }

  /** PCA on the author's test images, the measured rows, and the reader's own autoencoder, in words. */
  private authorSentences(store: DemoStore, measure: Measure | undefined): string[] {
    const author = store.host.authorData()!;
    const held = taskValue(this.heldOut) ?? undefined;
    if (!held) return ['Scoring PCA on the test images…'];
    const sentences: string[] = [];
    const test = store.testSetWords(number(held.testCount));
    const rows = measure?.rows ?? [];
    const last = Math.min(held.mse.length, MAX_K);
    if (rows.length) {
      sentences.push(
        measuredSentence(rows, {
          test,
          preset: MEASURE_PRESET,
          seed: store.host.trainAttributes().seed ?? DEFAULT_SEED,
          epochs: rows[0].epochs,
          trainCount: measure?.trainCount ?? held.fitCount,
          fitCount: held.fitCount,
          total: measure?.ks.length ?? rows.length,
        }),
      );
    } else {
      sentences.push(
        `PCA fitted on the ${number(held.fitCount)} images the models train on has test MSE ` +
          `${held.mse[0].toFixed(4)} at k = 1 … ${held.mse[last - 1].toFixed(4)} at k = ${last} ` +
          `on ${test}. The table of \`ae-demo reproduce\` is MNIST's, not ${author.name}'s: ` +
          `"Measure on ${author.name}" trains one autoencoder per k = ${this.measuredKs(store).join(', ')} ` +
          `here (${MEASURE_PRESET} preset, ${this.epochs(store)} epochs each) to set beside it.`,
      );
    }
    const ae = this.readerModel();
    const mine = this.readerPoint();
    if (ae && mine) {
      const pca = held.mse[mine.k - 1];
      sentences.push(
        `${ae.label} (k = ${mine.k}, the filled point): test MSE ${mine.mse.toFixed(4)}` +
          (pca !== undefined ? `, against ${pca.toFixed(4)} for PCA.` : '.'),
      );
    } else if (ae) {
      sentences.push(`Scoring ${inSentence(ae.label)} on the test images…`);
    }
    return sentences;
  }

  /** The chart on an author's images: PCA at every k, the measured autoencoders through their ks. */
  private drawAuthor(store: DemoStore): void {
    const held = taskValue(this.heldOut) ?? undefined;
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!held || !box) return;
    const rows = this.measures.get(store)?.rows ?? [];
    const mine = this.readerPoint();
    const xs = Array.from({ length: Math.min(held.mse.length, MAX_K) }, (_, i) => i + 1);
    const signature =
      `author ${xs.length}|${rows.map((r) => `${r.k}:${r.aeMse}`).join(',')}|` +
      (mine ? `${mine.k}:${mine.mse}` : '');
    const theme = store.host.theme();
    void this.chartSlot.draw(box, signature, theme, async (charts, width) => {
      const ae = xs.map((k) => rows.find((r) => r.k === k)?.aeMse ?? null);
      const chart = await charts.linesChart(box, {
        x: xs,
        series: [
          ...(rows.length
            ? [{ label: 'autoencoder', color: theme.accent, y: ae, spanGaps: true }]
            : []),
          { label: 'PCA', color: DIGIT_COLORS[1], y: xs.map((k) => held.mse[k - 1]), dash: true },
        ],
        xLabel: 'Latent size k',
        yLabel: 'Test MSE',
        yFormat: (v) => v.toFixed(3),
        highlight: mine && {
          x: mine.k,
          y: mine.mse,
          label: `yours ${mine.mse.toFixed(4)}`,
          color: DIGIT_COLORS[2],
        },
        width,
        height: 260,
        theme,
      });
      return { chart };
    });
  }
}
