import { html, nothing } from 'lit';
import { ChartSlot } from '../charts/chart-slot.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { partStyles } from '../shared/part.styles.ts';
import { AeView } from '../store/view.ts';

/** PCA's reconstruction error against the number of components. */
export class AeMse extends AeView {
  static override styles = [uplotStyles, partStyles];

  private readonly chart = new ChartSlot(this, { failed: this.chartFailed });

  override render() {
    const mse = this.store?.pca?.result.reconstructionMse;
    if (!mse) return nothing;
    return html`<figure part="figure" data-figure="mse">
      <figcaption>PCA reconstruction error</figcaption>
      <div
        class="chart"
        role="img"
        aria-label="Reconstruction mean squared error against number of components"
      ></div>
      <p class="summary" data-summary="mse">
        Mean squared reconstruction error falls from ${mse[0].toFixed(4)} with 1 component to
        ${mse[mse.length - 1].toFixed(4)} with ${mse.length}.
      </p>
    </figure>`;
  }

  protected override updated(): void {
    const store = this.store;
    const mse = store?.pca?.result.reconstructionMse;
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!store || !mse || !box) return;
    const theme = store.host.theme();
    void this.chart.draw(box, `${mse.length}:${mse[0]}`, theme, async (charts, width) => ({
      chart: await charts.lineChart(box, {
        x: Array.from({ length: mse.length }, (_, i) => i + 1),
        y: mse,
        xLabel: 'Components k',
        yLabel: 'Reconstruction MSE',
        points: true,
        yFormat: (v) => v.toFixed(3),
        width,
        height: 260,
        theme,
      }),
    }));
  }
}
