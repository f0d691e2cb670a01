/**
 * Static SVG charts for the report: line charts with axes, ticks, legend and
 * reference lines, and labelled scatter plots. Pure string building, no DOM;
 * text and axes use `currentColor`, so a chart inlined in a page follows its
 * light or dark colours.
 */
import type { LabelledPoints } from './model.ts';

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Evenly spaced round tick values covering [min, max], about `count` of them. */
export function niceTicks(
  min: number,
  max: number,
  count = 5,
): { min: number; max: number; step: number; ticks: number[] } {
  if (!(Number.isFinite(min) && Number.isFinite(max))) {
    return { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  // d3-array's thresholds: the 1-2-5 step whose tick count is nearest `count`.
  const step =
    (residual >= Math.sqrt(50)
      ? 10
      : residual >= Math.sqrt(10)
        ? 5
        : residual >= Math.sqrt(2)
          ? 2
          : 1) * magnitude;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  // Rounded to the step's decimals, so 3 × 0.2 is 0.6 and not 0.6000000000000001.
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(step)) + 1));
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++)
    ticks.push(Number((lo + i * step).toFixed(decimals)));
  return { min: lo, max: hi, step, ticks };
}

/** A tick value with as many decimals as its step needs. */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const text = value.toFixed(decimals);
  return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

// One decimal is a tenth of a pixel: enough, and keeps 10,000-point charts small.
const r1 = (v: number) => String(Math.round(v * 10) / 10);

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12"';
const CHAR_WIDTH = 6.6;

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface Axis {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

function axisScale(axis: Axis, from: number, to: number): (v: number) => number {
  const span = axis.max - axis.min || 1;
  return (v) => from + ((v - axis.min) / span) * (to - from);
}

function openSvg(id: string, frame: Frame, title: string, description?: string): string {
  const labelled = description ? `${id}-title ${id}-desc` : `${id}-title`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeXml(id)}" viewBox="0 0 ${frame.width} ${frame.height}" ` +
    `width="${frame.width}" height="${frame.height}" role="img" aria-labelledby="${escapeXml(labelled)}" ${FONT}>` +
    `<title id="${escapeXml(id)}-title">${escapeXml(title)}</title>` +
    (description ? `<desc id="${escapeXml(id)}-desc">${escapeXml(description)}</desc>` : '')
  );
}

function drawAxes(
  frame: Frame,
  x: Axis,
  y: Axis,
  sx: (v: number) => number,
  sy: (v: number) => number,
  xLabel: string,
  yLabel: string,
  xTickText: (v: number) => string,
): string {
  const { left, right, top, bottom, height } = frame;
  const parts: string[] = [];
  parts.push('<g stroke="currentColor" stroke-opacity="0.14">');
  for (const t of y.ticks)
    parts.push(`<line x1="${left}" x2="${right}" y1="${r1(sy(t))}" y2="${r1(sy(t))}"/>`);
  for (const t of x.ticks)
    parts.push(`<line x1="${r1(sx(t))}" x2="${r1(sx(t))}" y1="${top}" y2="${bottom}"/>`);
  parts.push('</g>');
  parts.push(
    `<path d="M${left} ${top}V${bottom}H${right}" fill="none" stroke="currentColor" stroke-opacity="0.6"/>`,
  );
  parts.push('<g fill="currentColor">');
  for (const t of y.ticks) {
    parts.push(
      `<text x="${left - 6}" y="${r1(sy(t))}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(t, y.step))}</text>`,
    );
  }
  for (const t of x.ticks) {
    parts.push(
      `<text x="${r1(sx(t))}" y="${bottom + 16}" text-anchor="middle">${escapeXml(xTickText(t))}</text>`,
    );
  }
  parts.push(
    `<text x="${r1((left + right) / 2)}" y="${height - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  );
  const cy = r1((top + bottom) / 2);
  parts.push(
    `<text transform="translate(14 ${cy}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  parts.push('</g>');
  return parts.join('');
}

/** A legend entry: a line (dashed or not) or a dot, and its name. */
interface LegendItem {
  name: string;
  color: string;
  shape: 'line' | 'dashed' | 'dot';
}

/** One row of legend entries above the plot, from its left edge. */
function drawLegend(items: LegendItem[], left: number, y: number): string {
  const parts: string[] = ['<g>'];
  let x = left;
  for (const item of items) {
    const c = escapeXml(item.color);
    if (item.shape === 'dot') {
      parts.push(`<circle cx="${r1(x + 6)}" cy="${y}" r="4" fill="${c}"/>`);
    } else {
      const dash = item.shape === 'dashed' ? ' stroke-dasharray="5 3"' : '';
      parts.push(
        `<line x1="${r1(x)}" x2="${r1(x + 18)}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="2"${dash}/>`,
      );
    }
    const tx = x + (item.shape === 'dot' ? 14 : 23);
    parts.push(
      `<text x="${r1(tx)}" y="${y}" dominant-baseline="middle" fill="currentColor">${escapeXml(item.name)}</text>`,
    );
    x = tx + item.name.length * CHAR_WIDTH + 16;
  }
  parts.push('</g>');
  return parts.join('');
}

/** A line of a line chart. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  color: string;
  dashed?: boolean;
  /** Dots on the points. Default: when there are at most 60. */
  markers?: boolean;
}

/** A horizontal (`axis: 'y'`) or vertical (`axis: 'x'`) dashed line with a label. */
export interface ReferenceLine {
  axis: 'x' | 'y';
  value: number;
  label: string;
  color?: string;
}

/** What {@link lineChart} draws. */
export interface LineChartSpec {
  /** Element id, unique in the page (ids of the title and description derive from it). */
  id: string;
  /** The accessible name (`<title>`). */
  title: string;
  /** A longer text alternative (`<desc>`). */
  description?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  references?: ReferenceLine[];
  /** Default 860 × 320. */
  width?: number;
  height?: number;
  /** Axis ranges; default: the data's (and the reference lines'), rounded out to ticks. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Only whole-number x ticks (epochs, k). */
  integerX?: boolean;
}

/** A line chart as an SVG element string. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 860;
  const height = spec.height ?? 320;
  const frame: Frame = { width, height, left: 66, right: width - 18, top: 34, bottom: height - 42 };
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    for (const [px, py] of s.points) {
      if (Number.isFinite(px) && Number.isFinite(py)) {
        xs.push(px);
        ys.push(py);
      }
    }
  }
  for (const ref of spec.references ?? []) (ref.axis === 'x' ? xs : ys).push(ref.value);
  const [x0, x1] = spec.xDomain ?? [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = spec.yDomain ?? [Math.min(...ys), Math.max(...ys)];
  let x = niceTicks(x0, x1, Math.max(2, Math.floor((frame.right - frame.left) / 80)));
  if (spec.integerX && x.step < 1) {
    x = niceTicks(x0, x1, Math.max(1, Math.ceil(x1 - x0)));
    if (x.step < 1) x = { ...x, step: 1, ticks: x.ticks.filter(Number.isInteger) };
  }
  if (spec.xDomain)
    x = { ...x, min: x0, max: x1, ticks: x.ticks.filter((t) => t >= x0 && t <= x1) };
  let y = niceTicks(y0, y1, Math.max(2, Math.floor((frame.bottom - frame.top) / 50)));
  if (spec.yDomain)
    y = {
      ...y,
      min: y0,
      max: y1,
      ticks: y.ticks.filter((t) => t >= y0 - 1e-12 && t <= y1 + 1e-12),
    };
  const sx = axisScale(x, frame.left, frame.right);
  const sy = axisScale(y, frame.bottom, frame.top);

  const parts: string[] = [openSvg(spec.id, frame, spec.title, spec.description)];
  parts.push(drawAxes(frame, x, y, sx, sy, spec.xLabel, spec.yLabel, (t) => formatTick(t, x.step)));
  for (const ref of spec.references ?? []) {
    const color = escapeXml(ref.color ?? 'currentColor');
    const label = escapeXml(ref.label);
    if (ref.axis === 'y') {
      const py = r1(sy(ref.value));
      parts.push(
        `<line x1="${frame.left}" x2="${frame.right}" y1="${py}" y2="${py}" stroke="${color}" stroke-dasharray="6 4" stroke-opacity="0.8"/>`,
        // At the left: the report's curves fall from the top left, so the left end is clear.
        `<text x="${frame.left + 6}" y="${r1(sy(ref.value) - 5)}" fill="${color}">${label}</text>`,
      );
    } else {
      const px = r1(sx(ref.value));
      parts.push(
        `<line x1="${px}" x2="${px}" y1="${frame.top}" y2="${frame.bottom}" stroke="${color}" stroke-dasharray="6 4" stroke-opacity="0.8"/>`,
        `<text x="${r1(sx(ref.value) + 5)}" y="${frame.bottom - 8}" fill="${color}">${label}</text>`,
      );
    }
  }
  for (const s of spec.series) {
    const points = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py));
    if (points.length === 0) continue;
    const color = escapeXml(s.color);
    const d = points
      .map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${r1(sx(px))} ${r1(sy(py))}`)
      .join('');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}/>`,
    );
    if (s.markers ?? points.length <= 60) {
      parts.push(`<g fill="${color}">`);
      for (const [px, py] of points)
        parts.push(`<circle cx="${r1(sx(px))}" cy="${r1(sy(py))}" r="3"/>`);
      parts.push('</g>');
    }
  }
  parts.push(
    drawLegend(
      spec.series.map((s) => ({
        name: s.name,
        color: s.color,
        shape: s.dashed ? 'dashed' : 'line',
      })),
      frame.left,
      14,
    ),
  );
  parts.push('</svg>');
  return parts.join('');
}

/** What {@link scatterChart} draws. */
export interface ScatterSpec {
  id: string;
  title: string;
  description?: string;
  xLabel: string;
  yLabel: string;
  points: LabelledPoints;
  /** Colour of label i. */
  colors: readonly string[];
  /** Legend name of label i. Default the label's number. */
  names?: readonly string[];
  /** Draw every n-th point so that at most this many are drawn (the axes still fit all). Default 2000. */
  maxPoints?: number;
  /** Default 860 × 520. */
  width?: number;
  height?: number;
  /** Dot radius. Default 2. */
  radius?: number;
}

/** Points drawn by {@link scatterChart}: every `stride`-th point, deterministic. */
export function scatterStride(count: number, maxPoints: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, maxPoints)));
}

/** A scatter plot with one colour per label, as an SVG element string. */
export function scatterChart(spec: ScatterSpec): string {
  const width = spec.width ?? 860;
  const height = spec.height ?? 520;
  const frame: Frame = { width, height, left: 66, right: width - 18, top: 34, bottom: height - 42 };
  const { x: px, y: py, labels } = spec.points;
  const n = Math.min(px.length, py.length, labels.length);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(px[i]) && Number.isFinite(py[i]))) continue;
    xMin = Math.min(xMin, px[i]);
    xMax = Math.max(xMax, px[i]);
    yMin = Math.min(yMin, py[i]);
    yMax = Math.max(yMax, py[i]);
  }
  const x = niceTicks(xMin, xMax, Math.max(2, Math.floor((frame.right - frame.left) / 80)));
  const y = niceTicks(yMin, yMax, Math.max(2, Math.floor((frame.bottom - frame.top) / 60)));
  const sx = axisScale(x, frame.left, frame.right);
  const sy = axisScale(y, frame.bottom, frame.top);

  // A zero-length subpath with round caps is a dot: "M x y h0" is far shorter than a <circle>.
  const byLabel = spec.colors.map(() => [] as string[]);
  const stride = scatterStride(n, spec.maxPoints ?? 2000);
  for (let i = 0; i < n; i += stride) {
    const label = labels[i];
    if (!(Number.isFinite(px[i]) && Number.isFinite(py[i])) || byLabel[label] === undefined)
      continue;
    byLabel[label].push(`M${r1(sx(px[i]))} ${r1(sy(py[i]))}h0`);
  }
  const radius = spec.radius ?? 2;
  const parts: string[] = [openSvg(spec.id, frame, spec.title, spec.description)];
  parts.push(drawAxes(frame, x, y, sx, sy, spec.xLabel, spec.yLabel, (t) => formatTick(t, x.step)));
  parts.push(
    `<g fill="none" stroke-linecap="round" stroke-width="${2 * radius}" stroke-opacity="0.8">`,
  );
  byLabel.forEach((dots, label) => {
    if (dots.length > 0) {
      parts.push(`<path stroke="${escapeXml(spec.colors[label])}" d="${dots.join('')}"/>`);
    }
  });
  parts.push('</g>');
  parts.push(
    drawLegend(
      spec.colors.map((color, label) => ({
        name: spec.names?.[label] ?? String(label),
        color,
        shape: 'dot' as const,
      })),
      frame.left,
      14,
    ),
  );
  parts.push('</svg>');
  return parts.join('');
}
