import { html, nothing } from 'lit';
import { ChartSlot } from '../charts/chart-slot.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { partStyles } from '../shared/part.styles.ts';
import { percent } from '../shared/legend.ts';
import { AeView } from '../store/view.ts';

/** The cumulative variance the principal components explain, with the 90 % mark. */
export class AeVariance extends AeView {
  static override styles = [uplotStyles, partStyles];

  private readonly chart = new ChartSlot(this, { failed: this.chartFailed });

  override render() {
    const r = this.store?.pca?.result;
    if (!r) return nothing;
    const k90 = r.componentsFor90;
    return html`<figure part="figure" data-figure="variance">
      <figcaption>Cumulative variance explained</figcaption>
      <div
        class="chart"
        role="img"
        aria-label="Cumulative proportion of variance against number of principal components"
      ></div>
      <p class="summary" data-summary="variance">
        ${k90} components explain ${percent(r.cumulativeVariance[k90 - 1])} of the variance.
      </p>
    </figure>`;
  }

  protected override updated(): void {
    const store = this.store;
    const r = store?.pca?.result;
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!store || !r || !box) return;
    const k90 = r.componentsFor90;
    const at90 = r.cumulativeVariance[k90 - 1];
    const theme = store.host.theme();
    void this.chart.draw(box, `${r.samples}:${r.features}`, theme, async (charts, width) => ({
      chart: await charts.lineChart(box, {
        x: Array.from({ length: r.features }, (_, i) => i + 1),
        y: r.cumulativeVariance,
        xLabel: 'Principal components',
        yLabel: 'Cumulative variance',
        yRange: [0, 1],
        mark: { x: k90, y: at90, label: `${k90} → ${percent(at90)}` },
        width,
        height: 260,
        theme,
      }),
    }));
  }
}
