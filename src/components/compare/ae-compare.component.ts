import { Task } from '@lit/task';
import { html, nothing } from 'lit';
import { AeError } from '../../core/errors.ts';
import { shortUrl } from '../../core/short-url.ts';
import { inSentence } from '../ae-demo/words.ts';
import { ChartSlot } from '../charts/chart-slot.ts';
import { DIGIT_COLORS } from '../../core/settings.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { figureError, storeTask, taskFailure, taskValue } from '../shared/figure-task.ts';
import { lineLegend } from '../shared/legend.ts';
import { partStyles } from '../shared/part.styles.ts';
import type { ActiveModel, PcaState } from '../store/store.ts';
import { AeView } from '../store/view.ts';
import { compareSentence, type CompareTable } from './compare-table.ts';

/** The reader's own autoencoder on the chart: its latent size and test MSE. */
interface ReaderPoint {
  k: number;
  mse: number;
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
 * opened here) as the highlighted point.
 *
 * @csspart figure - The figure.
 */
export class AeCompare extends AeView {
  static override styles = [uplotStyles, partStyles];

  private readonly chartSlot = new ChartSlot(this, { failed: this.chartFailed });

  private readonly table = new Task(this, {
    task: storeTask(
      (error) => this.fail(error),
      (_args, signal) => fetchTable(signal),
    ),
    args: () => [this.store] as const,
  });

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
}
