import type uPlot from 'uplot';

/**
 * Keyboard access to a scatter of many points, shared by the PC1–PC2 scatter
 * and the latent scatter: the arrow keys move a selection to the nearest point
 * in that direction (Shift: a tenth of the plot further), Home and End jump to
 * the leftmost and rightmost points, Escape clears. Pure functions over the
 * points' coordinates, so it runs (and is tested) without a page.
 *
 * Each step goes at least a small fraction of the data's range, so that every
 * press visibly moves the selection even in a dense cloud of 10,000 points.
 */

/** What a key does to the selection: the point to select, null to clear, undefined for a key it ignores. */
export type ScatterKeyStep = number | null | undefined;

/** The keys a scatter takes, for its label. */
export const SCATTER_KEYS_HELP =
  'Arrow keys move between points (Shift for bigger steps), Home and End go to the leftmost and rightmost, Escape clears.';

const DIRECTIONS: Record<string, [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

/** How much a sideways offset costs against progress in the key's direction. */
const SIDEWAYS_WEIGHT = 3;
/** The least progress of an arrow step, as a fraction of the data's range (a few pixels). */
const STEP = 0.015;
/** The least progress of a Shift+arrow step. */
const BIG_STEP = 0.1;

interface Extent {
  x0: number;
  y0: number;
  /** 1 / range, so that both axes count alike, as they do on a square-ish plot. */
  sx: number;
  sy: number;
}

function extent(xy: ArrayLike<number>, n: number): Extent {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { x0: minX, y0: minY, sx: 1 / (maxX - minX || 1), sy: 1 / (maxY - minY || 1) };
}

/** The point nearest the middle of the cloud (the means), where a first arrow key starts. */
export function centralPoint(xy: ArrayLike<number>): number {
  const n = Math.floor(xy.length / 2);
  if (n === 0) return -1;
  const e = extent(xy, n);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xy[2 * i];
    my += xy[2 * i + 1];
  }
  mx /= n;
  my /= n;
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < n; i++) {
    const dx = (xy[2 * i] - mx) * e.sx;
    const dy = (xy[2 * i + 1] - my) * e.sy;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** The point with the smallest (sign 1) or largest (sign -1) x; ties go to the lower index. */
function extremeX(xy: ArrayLike<number>, sign: 1 | -1): number {
  const n = Math.floor(xy.length / 2);
  let best = -1;
  for (let i = 0; i < n; i++) {
    if (best < 0 || sign * (xy[2 * i] - xy[2 * best]) < 0) best = i;
  }
  return best;
}

/**
 * The nearest point from `current` in direction `dir` (data axes, y up), or
 * `current` when there is none further that way. Only points at least
 * `minStep` further along count, so repeated presses always make progress and
 * never cycle; if none is that far, the nearest one further along does.
 */
function nearestInDirection(
  xy: ArrayLike<number>,
  current: number,
  dir: [number, number],
  minStep: number,
): number {
  const n = Math.floor(xy.length / 2);
  const e = extent(xy, n);
  const cx = xy[2 * current];
  const cy = xy[2 * current + 1];
  // Best at least minStep along, and best at all, in one pass.
  let far = -1;
  let farScore = Infinity;
  let near = current;
  let nearScore = Infinity;
  for (let i = 0; i < n; i++) {
    if (i === current) continue;
    const dx = (xy[2 * i] - cx) * e.sx;
    const dy = (xy[2 * i + 1] - cy) * e.sy;
    const along = dx * dir[0] + dy * dir[1];
    if (along <= 0) continue;
    const score = along + SIDEWAYS_WEIGHT * Math.abs(dx * dir[1] - dy * dir[0]);
    if (score < nearScore) {
      nearScore = score;
      near = i;
    }
    if (along >= minStep && score < farScore) {
      farScore = score;
      far = i;
    }
  }
  return far >= 0 ? far : near;
}

/**
 * What `key` does to a scatter's selection. `xy` holds the points as
 * interleaved (x, y); `current` is the selected point or -1 for none. With no
 * selection, an arrow key selects the point nearest the middle of the cloud.
 */
export function scatterKeyStep(
  xy: ArrayLike<number>,
  current: number,
  key: string,
  shift = false,
): ScatterKeyStep {
  const n = Math.floor(xy.length / 2);
  if (key === 'Escape') return current >= 0 ? null : undefined;
  if (n === 0) return undefined;
  if (key === 'Home') return extremeX(xy, 1);
  if (key === 'End') return extremeX(xy, -1);
  const dir = DIRECTIONS[key];
  if (!dir) return undefined;
  if (current < 0 || current >= n) return centralPoint(xy);
  return nearestInDirection(xy, current, dir, shift ? BIG_STEP : STEP);
}

/** A coordinate in words, with a true minus sign (screen readers read "-" as "dash"). */
export function formatCoordinate(v: number): string {
  return v.toFixed(2).replace('-', '\u2212');
}

/** The words a selected point is announced with, e.g. "Digit 7 (#0): PC1 −1.23, PC2 4.56". */
export function describePoint(
  label: number | undefined,
  index: number,
  axes: [string, string],
  x: number,
  y: number,
): string {
  const what = label === undefined ? 'Image' : `Digit ${label}`;
  return `${what} (#${index}): ${axes[0]} ${formatCoordinate(x)}, ${axes[1]} ${formatCoordinate(y)}`;
}

/** Where point (x, y) of a uPlot chart is, in CSS pixels from the top left of `box` (its figure). */
export function pointInBox(
  chart: uPlot,
  x: number,
  y: number,
  box: Element,
): { left: number; top: number } {
  const over = chart.over.getBoundingClientRect();
  const outer = box.getBoundingClientRect();
  return {
    left: over.left - outer.left + chart.valToPos(x, 'x'),
    top: over.top - outer.top + chart.valToPos(y, 'y'),
  };
}
