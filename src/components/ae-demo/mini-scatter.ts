import { paintSlot } from '../charts/paint-queue.ts';
import type uPlot from 'uplot';
import type { ChartTheme } from '../charts/charts.ts';
import { chartsOr } from '../charts/load.ts';
import { themeSignature } from '../charts/theme.ts';

/** A point to highlight on a {@link MiniScatter}, with words for it. */
export interface ScatterMark {
  x: number;
  y: number;
  label: string;
}

/**
 * A small scatter of labelled points (charts.ts's scatterChart, loaded on
 * first use) with one highlighted point: a ring in the chart's overlay,
 * positioned with CSSOM (a strict CSP blocks style attributes) so that moving
 * it never repaints the points.
 */
export class MiniScatter {
  private chart: uPlot | undefined;
  private marker: HTMLElement | undefined;
  private mark: ScatterMark | undefined;
  private resizeObserver: ResizeObserver | undefined;
  /** The points drawn now, to tell when new ones need a new chart. */
  private data: Float32Array | undefined;
  /** The theme they are drawn in (axes and text follow the page's colour scheme). */
  private theme: string | undefined;

  /** `failed` shows in the box that the chart could not be drawn. */
  constructor(private readonly failed: (box: HTMLElement, error: unknown) => void) {}

  /** Draws `xy` (n × 2 interleaved) in `box`, unless it already shows them in this theme. */
  async draw(
    box: HTMLElement,
    o: { xy: Float32Array; labels: Uint8Array; xLabel: string; yLabel: string; theme: ChartTheme },
  ): Promise<void> {
    const theme = themeSignature(o.theme);
    // Already drawn there, or being drawn (the chart module is loading).
    if (
      this.data === o.xy &&
      this.theme === theme &&
      (!this.chart || this.chart.root.parentElement === box)
    )
      return;
    this.destroy();
    this.data = o.xy;
    this.theme = theme;
    const charts = await chartsOr((error) => {
      if (this.data === o.xy && this.theme === theme) this.failed(box, error);
    });
    if (!charts) return;
    await paintSlot();
    if (this.data !== o.xy || this.theme !== theme || !box.isConnected) return;
    const { chart } = charts.scatterChart(box, {
      ...o,
      width: Math.max(160, box.clientWidth),
      height: 200,
    });
    this.chart = chart;
    box.dataset.theme = theme;
    const marker = document.createElement('div');
    marker.className = 'mark';
    marker.dataset.mark = '';
    marker.setAttribute('aria-hidden', 'true');
    chart.over.append(marker);
    this.marker = marker;
    this.resizeObserver = new ResizeObserver(() => {
      if (box.clientWidth > 0 && Math.abs(box.clientWidth - chart.width) > 1) {
        chart.setSize({ width: Math.max(160, box.clientWidth), height: chart.height });
        this.place();
      }
    });
    this.resizeObserver.observe(box);
    this.place();
  }

  /** Highlights `mark` (or nothing). */
  setMark(mark: ScatterMark | undefined): void {
    this.mark = mark;
    this.place();
  }

  private place(): void {
    const { chart, marker, mark } = this;
    if (!chart || !marker) return;
    marker.hidden = !mark;
    if (!mark) {
      delete marker.dataset.x;
      return;
    }
    const width = chart.over.clientWidth;
    const height = chart.over.clientHeight;
    const left = chart.valToPos(mark.x, 'x');
    const top = chart.valToPos(mark.y, 'y');
    // A digit unlike any of the points may land off the axes: pinned to the edge, and said so.
    const outside = left < 0 || left > width || top < 0 || top > height;
    marker.style.setProperty('left', `${Math.min(width, Math.max(0, left))}px`);
    marker.style.setProperty('top', `${Math.min(height, Math.max(0, top))}px`);
    marker.dataset.x = mark.x.toFixed(3);
    marker.dataset.y = mark.y.toFixed(3);
    marker.toggleAttribute('data-outside', outside);
    marker.title = mark.label;
  }

  destroy(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.chart?.destroy();
    this.chart = undefined;
    this.marker = undefined;
    this.data = undefined;
    this.theme = undefined;
  }
}
