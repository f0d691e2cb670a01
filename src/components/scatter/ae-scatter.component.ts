import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type uPlot from 'uplot';
import type { ChartTheme, NearestPoint } from '../charts/charts.ts';
import { ChartSlot } from '../charts/chart-slot.ts';
import {
  SCATTER_KEYS_HELP,
  describePoint,
  pointInBox,
  scatterKeyStep,
} from '../charts/scatter-keys.ts';
import { showChartError } from '../charts/load.ts';
import { uplotStyles } from '../charts/uplot.styles.ts';
import { drawDigits } from '../ae-demo/digits.ts';
import { cssProps } from '../ae-demo/css-props.ts';
import { renderInTurn } from '../shared/render-slice.ts';
import { scatterStyles } from './ae-scatter.styles.ts';

/** A point to ring on the scatter, with words for it. */
export interface ScatterMark {
  x: number;
  y: number;
  label: string;
}

/** A point under the pointer or chosen with the keyboard, placed in the element's box. */
interface Pick {
  index: number;
  left: number;
  top: number;
  /** Chosen with the keyboard: announced, and ringed on the plot. */
  keyed: boolean;
}

interface Plot {
  chart: uPlot;
  nearest: NearestPoint;
  marker: HTMLElement;
}

const HOVER_RADIUS = 12;

/**
 * The one scatter of labelled points (the digits coloured by label), used
 * by the PC1–PC2 figure, the latent figure and the draw pad. It draws the
 * points once per data and theme; `interactive` adds what a reader does
 * with a figure's scatter: hover or the arrow keys pick a digit, shown in a
 * tooltip with its pixels and announced in words, Escape or blur clear it.
 * `mark` rings one point (the drawn digit).
 *
 * @fires ae-chart-failed - The chart module could not load (internal; `<ae-demo>` fires `ae-error`).
 */
export class AeScatter extends LitElement {
  static override styles = [uplotStyles, scatterStyles];

  static override properties = {
    name: {},
    live: {},
    xy: { attribute: false },
    labels: { attribute: false },
    unlabelled: { type: Boolean },
    shape: { attribute: false },
    axes: { attribute: false },
    signature: {},
    theme: { attribute: false },
    height: { type: Number },
    interactive: { type: Boolean },
    mark: { attribute: false },
    digit: { attribute: false },
    description: {},
    pick: { state: true },
  };

  /** The box's name: `data-scatter` (interactive) or `data-chart` (small). */
  declare name: string;
  /** The name of the live region that announces the keyboard's pick (`data-live`); default `name`. */
  declare live: string | undefined;
  /** The points, n × 2 interleaved (x, y). */
  declare xy: Float32Array | undefined;
  declare labels: Uint8Array | undefined;
  /** The points have no labels (an author's images without labels-src): one colour, no digit names. */
  declare unlabelled: boolean;
  /** The tooltip image's shape; default 28 × 28. */
  declare shape: { rows: number; cols: number } | undefined;
  /** The axes' names, as the plot and the announcements say them. */
  declare axes: [string, string];
  /** What the points are, set as the box's `data-drawn` once drawn (a new value draws anew). */
  declare signature: string;
  declare theme: ChartTheme | undefined;
  declare height: number;
  declare interactive: boolean;
  declare mark: ScatterMark | undefined;
  /** The 8-bit pixels of point `index`, for the tooltip. */
  declare digit: ((index: number) => Promise<Uint8Array>) | undefined;
  /** What the plot shows, in words (its box's aria-label; the keys are added when interactive). */
  declare description: string;
  declare private pick: Pick | undefined;

  private readonly chart = new ChartSlot<Plot>(this, {
    failed: (box, error) => {
      showChartError(box, error);
      this.dispatchEvent(
        new CustomEvent('ae-chart-failed', { detail: error, bubbles: true, composed: true }),
      );
    },
    resized: () => this.placeMark(),
  });
  private frame = 0;

  constructor() {
    super();
    this.name = 'scatter';
    this.axes = ['x', 'y'];
    this.signature = '';
    this.height = 260;
    this.interactive = false;
    this.description = '';
  }

  /** Takes its turn with the element's other renders (see renderInTurn): no long task. */
  protected override scheduleUpdate(): Promise<unknown> {
    return renderInTurn(() => super.scheduleUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
  }

  protected override updated(changed: PropertyValues<this>): void {
    void this.drawChart();
    if (changed.has('mark')) this.placeMark();
    if ((changed as PropertyValues).has('pick') && this.pick)
      void this.drawTooltipDigit(this.pick.index);
  }

  private box(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.box');
  }

  /** The labels the chart colours by: all one for unlabelled points. */
  private chartLabels(): Uint8Array | undefined {
    const { xy, labels, unlabelled } = this;
    return unlabelled && xy ? new Uint8Array(xy.length / 2) : labels;
  }

  private async drawChart(): Promise<void> {
    const { xy, theme } = this;
    const labels = this.chartLabels();
    const box = this.box();
    if (!box || !xy || !labels || !theme) return;
    const drawn = await this.chart.draw(box, this.signature, theme, async (charts, width) => {
      const { chart, nearest } = await charts.scatterChart(box, {
        xy,
        labels,
        xLabel: this.axes[0],
        yLabel: this.axes[1],
        width,
        height: this.height,
        theme,
      });
      const marker = document.createElement('div');
      marker.className = 'mark';
      marker.dataset.mark = '';
      marker.setAttribute('aria-hidden', 'true');
      chart.over.append(marker);
      return { chart, nearest, marker };
    });
    if (drawn) this.placeMark();
  }

  /** Rings `mark`, positioned with CSSOM (a strict CSP blocks style attributes); pinned to an edge when off the axes. */
  private placeMark(): void {
    const plot = this.chart.current;
    if (!plot) return;
    const { chart, marker } = plot;
    const mark = this.mark;
    marker.hidden = !mark;
    if (!mark) {
      delete marker.dataset.x;
      return;
    }
    const width = chart.over.clientWidth;
    const height = chart.over.clientHeight;
    const left = chart.valToPos(mark.x, 'x');
    const top = chart.valToPos(mark.y, 'y');
    marker.style.setProperty('left', `${Math.min(width, Math.max(0, left))}px`);
    marker.style.setProperty('top', `${Math.min(height, Math.max(0, top))}px`);
    marker.dataset.x = mark.x.toFixed(3);
    marker.dataset.y = mark.y.toFixed(3);
    marker.toggleAttribute('data-outside', left < 0 || left > width || top < 0 || top > height);
    marker.title = mark.label;
  }

  private onMove = (event: PointerEvent) => {
    const { clientX: x, clientY: y } = event;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const plot = this.chart.current;
      if (!plot) return;
      const over = plot.chart.over.getBoundingClientRect();
      const index = plot.nearest(plot.chart, x - over.left, y - over.top, HOVER_RADIUS);
      if (index < 0) {
        if (this.pick && !this.pick.keyed) this.pick = undefined;
        return;
      }
      if (this.pick?.index === index && !this.pick.keyed) return;
      const host = this.getBoundingClientRect();
      this.pick = { index, left: x - host.left, top: y - host.top, keyed: false };
    });
  };

  private onLeave = () => {
    cancelAnimationFrame(this.frame);
    // A point chosen with the keyboard stays until Escape or blur.
    if (this.pick && !this.pick.keyed) this.pick = undefined;
  };

  /** Arrow keys, Home, End and Escape move the same selection the pointer makes (scatter-keys.ts). */
  private onKey = (event: KeyboardEvent) => {
    const plot = this.chart.current;
    const xy = this.xy;
    if (!plot || !xy) return;
    const current = this.pick?.keyed ? this.pick.index : -1;
    const next = scatterKeyStep(xy, current, event.key, event.shiftKey);
    if (next === undefined) return;
    event.preventDefault();
    cancelAnimationFrame(this.frame);
    if (next === null || next < 0) {
      this.pick = undefined;
      return;
    }
    const at = pointInBox(plot.chart, xy[2 * next], xy[2 * next + 1], this);
    this.pick = { index: next, ...at, keyed: true };
  };

  private onBlur = () => {
    if (this.pick?.keyed) this.pick = undefined;
  };

  /** The picked digit's pixels, from the worker, into the tooltip. */
  private async drawTooltipDigit(index: number): Promise<void> {
    const pixels = await this.digit?.(index).catch(() => undefined);
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('[data-tooltip] canvas');
    // A failed or stale digit leaves the tooltip's label.
    if (!pixels || !canvas || this.pick?.index !== index) return;
    const { rows, cols } = this.shape ?? { rows: 28, cols: 28 };
    drawDigits(canvas, pixels, { count: 1, rows, cols, columns: 1 });
    canvas.dataset.drawn = String(index);
  }

  /** The tooltip's words for point `index`: its digit (or "image" without labels) and number. */
  private tooltipText(index: number): string {
    const what = this.unlabelled ? 'image' : `digit ${this.labels?.[index]}`;
    return `${what} · #${index}`;
  }

  /** The keyboard selection in words, or how to make one. */
  private selection(): string {
    const { pick, xy } = this;
    const labels = this.chartLabels();
    if (!pick?.keyed || !xy || !labels) {
      return 'Focus the plot and use the arrow keys to step through the digits.';
    }
    const [x, y] = [xy[2 * pick.index], xy[2 * pick.index + 1]];
    const label = this.unlabelled ? undefined : labels[pick.index];
    return describePoint(label, pick.index, this.axes, x, y);
  }

  override render() {
    if (!this.interactive) {
      return html`<div
        class="box mini"
        data-chart=${this.name}
        role="img"
        aria-label=${this.description}
      ></div>`;
    }
    const pick = this.pick;
    // On one line: the live region is read (and tested) as its words alone.
    const live = this.live ?? this.name;
    return html`<div
        class="box chart"
        data-scatter=${this.name}
        tabindex="0"
        role="application"
        aria-roledescription="scatter plot"
        aria-label="${this.description} ${SCATTER_KEYS_HELP}"
        @pointermove=${this.onMove}
        @pointerleave=${this.onLeave}
        @keydown=${this.onKey}
        @blur=${this.onBlur}
      ></div>
      ${
        pick?.keyed
          ? html`<span
              class="scatter-mark"
              ${cssProps({ left: `${pick.left}px`, top: `${pick.top}px` })}
            ></span>`
          : nothing
      }
      ${
        pick
          ? html`<div
              class="tooltip"
              data-tooltip
              ${cssProps({ left: `${pick.left + 14}px`, top: `${pick.top + 14}px` })}
            >
              <canvas width="28" height="28" aria-hidden="true"></canvas>
              <span>${this.tooltipText(pick.index)}</span>
            </div>`
          : nothing
      }
      <p class="selection" data-live=${live} aria-live="polite">${this.selection()}</p>`;
  }
}
