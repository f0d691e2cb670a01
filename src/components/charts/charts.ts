// uPlot makes Intl formatters when its module loads, which the charts never use: made
// lazily (no ICU start-up on the main thread), then the real constructors are back.
import './intl-deferred.ts';
import uPlot from 'uplot';
import './intl-restored.ts';
import { DIGIT_COLORS } from '../../core/settings.ts';
import { formatNumber } from '../shared/format.ts';
import { yieldToMain } from '../shared/render-slice.ts';

/** The most a chart draws in one task before it yields, in ms of the page's clock. */
const CHUNK_MS = 8;
/** Points of a scatter drawn for one frame to rasterise, at most (past one digit's). */
const POINTS_PER_FRAME = 2500;

/**
 * Makes a uPlot chart in `target` over two tasks: its options, series, axes
 * and DOM in one, its data, size and first draw in the next (uPlot's `then`
 * argument holds the second back). In one task the two were 50–120 ms at 4×
 * CPU throttling here. An earlier chart left in `target` goes when the new
 * one is put in, so the box never shows both.
 */
async function make(
  opts: uPlot.Options,
  data: uPlot.AlignedData,
  target: HTMLElement,
): Promise<uPlot> {
  let init: (() => void) | undefined;
  const chart = new uPlot(opts, data, (_u, start) => {
    init = start as () => void;
  });
  await yieldToMain();
  for (const old of target.querySelectorAll(':scope > .uplot')) old.remove();
  target.append(chart.root);
  init!();
  return chart;
}

/** Colours a chart takes from its host's computed style, so CSS custom properties theme it. */
export interface ChartTheme {
  fg: string;
  grid: string;
  accent: string;
  font: string;
}

export interface LineChartOptions {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  xLabel: string;
  yLabel: string;
  /** y range; derived from the data when omitted. */
  yRange?: [number, number];
  /** Show a marker at every point (for short series). */
  points?: boolean;
  /** Highlight one point with guide lines to both axes. */
  mark?: { x: number; y: number; label: string };
  yFormat?: (v: number) => string;
  width: number;
  height: number;
  theme: ChartTheme;
}

/** The theme's font (`12px family`) at the canvas's pixel ratio: the axes' font, already resolved. */
function scaledFont(font: string, ratio: number): string {
  return font.replace(/^([\d.]+)px/, (_, px: string) => `${Number(px) * ratio}px`);
}

function axes(theme: ChartTheme, xLabel: string, yLabel: string, yFormat?: (v: number) => string) {
  const common = {
    stroke: theme.fg,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
  // Never uPlot's own Intl formatter (see ./locale.ts).
  const ticks = (format: (v: number) => string) => (_u: uPlot, splits: number[]) =>
    splits.map((v) => (v == null ? '' : format(v)));
  return [
    { ...common, label: xLabel, values: ticks((v) => formatNumber(v)) },
    {
      ...common,
      label: yLabel,
      size: 60,
      values: ticks(yFormat ?? ((v) => formatNumber(v))),
    },
  ];
}

/** A line chart (uPlot) of y over x, optionally with one marked point. */
export function lineChart(target: HTMLElement, o: LineChartOptions): Promise<uPlot> {
  const xs = Array.from(o.x);
  const ys = Array.from(o.y);
  const mark = o.mark;
  const markPlugin: uPlot.Plugin = {
    hooks: {
      draw: (u) => {
        if (!mark) return;
        const { ctx } = u;
        const px = u.valToPos(mark.x, 'x', true);
        const py = u.valToPos(mark.y, 'y', true);
        const ratio = window.devicePixelRatio || 1;
        ctx.save();
        ctx.strokeStyle = o.theme.accent;
        ctx.fillStyle = o.theme.accent;
        ctx.lineWidth = ratio;
        ctx.setLineDash([4 * ratio, 4 * ratio]);
        ctx.beginPath();
        ctx.moveTo(u.bbox.left, py);
        ctx.lineTo(px, py);
        ctx.lineTo(px, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.arc(px, py, 4 * ratio, 0, 2 * Math.PI);
        ctx.fill();
        ctx.font = scaledFont(o.theme.font, ratio);
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(mark.label, px + 6 * ratio, py + 6 * ratio);
        ctx.restore();
      },
    },
  };
  const opts: uPlot.Options = {
    width: o.width,
    height: o.height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false },
      y: o.yRange ? { range: o.yRange } : {},
    },
    axes: axes(o.theme, o.xLabel, o.yLabel, o.yFormat),
    series: [
      {},
      {
        stroke: o.theme.accent,
        width: 2,
        points: { show: o.points ?? false, size: 6, fill: o.theme.accent },
      },
    ],
    plugins: [markPlugin],
  };
  return make(opts, [xs, ys], target);
}

export interface ScatterOptions {
  /** n × 2 interleaved (x, y). */
  xy: Float32Array;
  labels: Uint8Array;
  xLabel: string;
  yLabel: string;
  width: number;
  height: number;
  theme: ChartTheme;
}

/** Index of the point nearest the cursor within `radius` CSS pixels, or -1. */
export type NearestPoint = (u: uPlot, left: number, top: number, radius: number) => number;

/**
 * A scatter of many labelled points (uPlot in facet mode, one series per
 * label, drawn as small squares straight onto the canvas: fast for 10k+).
 * Made over several tasks: the points sorted by label, the chart, its axes,
 * then the points a few digits at a time (each digit one path, in label
 * order, as one draw would paint them). Resolves once every point is drawn.
 */
export async function scatterChart(
  target: HTMLElement,
  o: ScatterOptions,
): Promise<{ chart: uPlot; nearest: NearestPoint }> {
  const n = o.labels.length;
  const byLabel: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < n; i++) byLabel[o.labels[i] % 10].push(i);
  const data: uPlot.AlignedData = [null as unknown as number[]];
  for (let d = 0; d < 10; d++) {
    const xs = byLabel[d].map((i) => o.xy[2 * i]);
    const ys = byLabel[d].map((i) => o.xy[2 * i + 1]);
    (data as unknown as (number[][] | null)[]).push([xs, ys]);
  }
  await yieldToMain();

  // Until the first draw's points are all in, uPlot's own draws leave them to
  // the chunks below; any later draw (a new width) paints them all at once.
  let chunked = true;
  let digit = 0;
  // Points are painted straight onto the canvas in one path per digit, with the
  // scales' linear maps computed once per draw (valToPos per point is far slower).
  const paintDigit = (u: uPlot, digit: number): void => {
    const indices = byLabel[digit];
    const { ctx, bbox } = u;
    const sx = u.scales.x;
    const sy = u.scales.y;
    if (sx.min == null || sx.max == null || sy.min == null || sy.max == null) return;
    const kx = bbox.width / (sx.max - sx.min);
    const ky = bbox.height / (sy.max - sy.min);
    const x0 = bbox.left - sx.min * kx;
    const y0 = bbox.top + bbox.height + sy.min * ky;
    const ratio = window.devicePixelRatio || 1;
    const size = Math.max(2, Math.round(2.5 * ratio));
    const half = size / 2;
    ctx.save();
    ctx.fillStyle = DIGIT_COLORS[digit];
    ctx.globalAlpha = 0.75;
    ctx.beginPath();
    for (const i of indices) {
      ctx.rect(x0 + o.xy[2 * i] * kx - half, y0 - o.xy[2 * i + 1] * ky - half, size, size);
    }
    ctx.fill();
    ctx.restore();
  };
  const drawPoints: uPlot.Series.PathBuilder = (u, seriesIdx) => {
    if (!chunked) paintDigit(u, seriesIdx - 1);
    // A draw while the chunks go (a new width) cleared the canvas: they start again.
    else if (seriesIdx === 1) digit = 0;
    return null;
  };

  const facets: uPlot.Series.Facet[] = [
    { scale: 'x', auto: true },
    { scale: 'y', auto: true },
  ];
  const series: uPlot.Series[] = [{ facets }];
  for (let d = 0; d < 10; d++) {
    series.push({
      label: String(d),
      stroke: DIGIT_COLORS[d],
      fill: DIGIT_COLORS[d],
      paths: drawPoints,
      points: { show: false },
      facets,
    });
  }

  const chart = await make(
    {
      mode: 2,
      width: o.width,
      height: o.height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false }, x: false, y: false },
      scales: { x: { time: false }, y: {} },
      axes: axes(o.theme, o.xLabel, o.yLabel),
      series,
    },
    data,
    target,
  );
  while (digit < 10) {
    // After uPlot's first draw (a microtask of the task that put the chart in), and
    // then a frame between chunks: a canvas records its drawing and rasterises it
    // when a frame shows it, so chunks drawn in a burst of tasks were all rasterised
    // in the next frame's task (15-20 ms of canvas work at 4x CPU here for 10,000 points).
    if (digit > 0) await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    await yieldToMain();
    const ends = performance.now() + CHUNK_MS;
    let points = 0;
    while (digit < 10 && performance.now() < ends && points < POINTS_PER_FRAME) {
      points += byLabel[digit].length;
      paintDigit(chart, digit++);
    }
  }
  chunked = false;

  const nearest: NearestPoint = (u, left, top, radius) => {
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < n; i++) {
      const dx = u.valToPos(o.xy[2 * i], 'x') - left;
      const dy = u.valToPos(o.xy[2 * i + 1], 'y') - top;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  };
  return { chart, nearest };
}

/** One line of a {@link lossChart}. */
export interface LossSeries {
  label: string;
  color: string;
  /** Dashed, to tell it apart without colour. */
  dash?: boolean;
}

export interface LossChartOptions {
  /** The x axis spans epochs 1..`epochs` from the start, so the curves grow across it. */
  epochs: number;
  series: LossSeries[];
  yLabel: string;
  width: number;
  height: number;
  theme: ChartTheme;
}

/** A live chart of per-epoch losses: one line per series, drawn as epochs arrive. */
export interface LossChart {
  chart: uPlot;
  /** Redraws with the values so far; `values[s][e]` is series s at epoch e + 1 (null: none). */
  update(values: (number | null)[][]): void;
}

/** Training and validation loss per epoch (uPlot), with points, on a fixed epoch axis. */
export async function lossChart(target: HTMLElement, o: LossChartOptions): Promise<LossChart> {
  const xs = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const chart = await make(
    {
      width: o.width,
      height: o.height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: [1, Math.max(2, o.epochs)] },
        y: {
          range: (_u, min, max) => {
            if (min == null || max == null || !Number.isFinite(min)) return [0, 1];
            const pad = (max - min) * 0.1 || Math.abs(max) * 0.1 || 0.01;
            return [Math.max(0, min - pad), max + pad];
          },
        },
      },
      axes: [
        {
          ...axes(o.theme, 'Epoch', o.yLabel)[0],
          incrs: [1, 2, 5, 10, 20, 50],
          values: (_u: uPlot, splits: number[]) => splits.map((v) => String(v)),
        },
        axes(o.theme, 'Epoch', o.yLabel, (v) => v.toFixed(3))[1],
      ],
      series: [
        {},
        ...o.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash ? [6, 4] : undefined,
          points: { show: true, size: 6, fill: s.color },
          spanGaps: true,
        })),
      ],
    },
    [[], ...o.series.map(() => [])] as unknown as uPlot.AlignedData,
    target,
  );
  return {
    chart,
    update(values) {
      const n = Math.max(0, ...values.map((v) => v.length));
      chart.setData([xs(n), ...values] as uPlot.AlignedData);
    },
  };
}

/** One series of a {@link linesChart}. */
export interface LineSeries {
  label: string;
  color: string;
  /** One value per x; null leaves a gap. */
  y: ArrayLike<number | null>;
  /** Dashed, to tell it apart without colour. */
  dash?: boolean;
  /** false: points only (hollow rings), e.g. a measurement laid over a line. Default true. */
  line?: boolean;
  /** Draws the line across nulls, through values measured at some x only. Default false. */
  spanGaps?: boolean;
}

export interface LinesChartOptions {
  x: ArrayLike<number>;
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  yFormat?: (v: number) => string;
  /** One point drawn on top in a filled ring with its label (it may lie outside `x`). */
  highlight?: { x: number; y: number; label: string; color: string };
  width: number;
  height: number;
  theme: ChartTheme;
}

/** Several lines over one x axis (uPlot), with points, and optionally one highlighted point. */
export function linesChart(target: HTMLElement, o: LinesChartOptions): Promise<uPlot> {
  const xs = Array.from(o.x);
  const hi = o.highlight;
  const xMin = Math.min(...xs, hi?.x ?? Infinity);
  const xMax = Math.max(...xs, hi?.x ?? -Infinity);
  const highlightPlugin: uPlot.Plugin = {
    hooks: {
      draw: (u) => {
        if (!hi) return;
        const { ctx } = u;
        const ratio = window.devicePixelRatio || 1;
        const px = u.valToPos(hi.x, 'x', true);
        const py = u.valToPos(hi.y, 'y', true);
        ctx.save();
        ctx.fillStyle = hi.color;
        ctx.strokeStyle = o.theme.fg;
        ctx.lineWidth = 2 * ratio;
        ctx.beginPath();
        ctx.arc(px, py, 6 * ratio, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = o.theme.fg;
        ctx.font = scaledFont(o.theme.font, ratio);
        // Label on the side with more room.
        const right = px < u.bbox.left + u.bbox.width / 2;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.textBaseline = 'bottom';
        ctx.fillText(hi.label, px + (right ? 9 : -9) * ratio, py - 6 * ratio);
        ctx.restore();
      },
    },
  };
  const ys = o.series.map((s) => [...Array.from(s.y)]);
  const yValues = [...ys.flat(), hi?.y].filter((v): v is number => v != null);
  const yMin = Math.min(...yValues);
  const yMax = Math.max(...yValues);
  const pad = (yMax - yMin) * 0.08 || Math.abs(yMax) * 0.1 || 0.01;
  return make(
    {
      width: o.width,
      height: o.height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: [xMin - 0.5, xMax + 0.5] },
        y: { range: [Math.max(0, yMin - pad), yMax + pad] },
      },
      axes: [
        {
          ...axes(o.theme, o.xLabel, o.yLabel)[0],
          incrs: [1, 2, 5, 10, 20, 50],
          values: (_u: uPlot, splits: number[]) => splits.map((v) => String(v)),
        },
        axes(o.theme, o.xLabel, o.yLabel, o.yFormat)[1],
      ],
      series: [
        {},
        ...o.series.map((s): uPlot.Series => {
          const line = s.line ?? true;
          return {
            label: s.label,
            stroke: s.color,
            width: 2,
            dash: s.dash ? [6, 4] : undefined,
            spanGaps: s.spanGaps ?? false,
            ...(line ? {} : { paths: () => null }),
            points: line
              ? { show: true, size: 6, fill: s.color }
              : { show: true, space: 0, size: 11, width: 2, fill: 'transparent', stroke: s.color },
          };
        }),
      ],
      plugins: [highlightPlugin],
    },
    [xs, ...ys] as uPlot.AlignedData,
    target,
  );
}
