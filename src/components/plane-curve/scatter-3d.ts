/**
 * A 3-D scatter on a plain 2-D canvas: points rotated by a yaw (about the
 * vertical z axis) and a pitch (towards the reader), then projected
 * orthographically. A few thousand points take a few milliseconds, so a
 * frame of a drag draws them all again.
 */

/** How the scatter is turned, in degrees: yaw about the vertical axis, pitch up (−90..90). */
export interface Rotation {
  yaw: number;
  pitch: number;
}

/** The rotation a figure starts at: a little from the side and above. */
export const START_ROTATION: Rotation = { yaw: 30, pitch: 20 };

/** Degrees per arrow key press (Shift: three times as far). */
export const KEY_STEP = 10;
/** Degrees per CSS pixel of a drag. */
export const DRAG_STEP = 0.5;

/** A mark of a layer: a small square dot, a bigger square, or a plus. */
export type Mark = 'dot' | 'square' | 'plus';

/** One set of points drawn alike. */
export interface Layer {
  /** Row-major x, y, z. */
  points: Float32Array;
  color: string;
  mark: Mark;
  /** 0..1. Default 1. */
  alpha?: number;
}

/** The angle in (−180, 180]. */
export function wrapDegrees(angle: number): number {
  const a = (((angle % 360) + 360) % 360) - 360;
  return a <= -180 ? a + 360 : a;
}

/** `r` turned by `dYaw` and `dPitch` degrees; the pitch stops at straight above or below. */
export function turned(r: Rotation, dYaw: number, dPitch: number): Rotation {
  return {
    yaw: wrapDegrees(r.yaw + dYaw),
    pitch: Math.max(-90, Math.min(90, r.pitch + dPitch)),
  };
}

/**
 * The rotation an arrow key (or Home) gives on a focused scatter, or
 * undefined for a key it does not take: left and right turn about the
 * vertical axis, up and down tilt, Home goes back to the start.
 */
export function keyRotation(r: Rotation, key: string, shift: boolean): Rotation | undefined {
  const step = shift ? 3 * KEY_STEP : KEY_STEP;
  switch (key) {
    case 'ArrowLeft':
      return turned(r, -step, 0);
    case 'ArrowRight':
      return turned(r, step, 0);
    case 'ArrowUp':
      return turned(r, 0, step);
    case 'ArrowDown':
      return turned(r, 0, -step);
    case 'Home':
      return { ...START_ROTATION };
    default:
      return undefined;
  }
}

/** A rotation in words, for the canvas's label: "turned 30° about the vertical axis, seen from 20° above". */
export function rotationWords(r: Rotation): string {
  const yaw = Math.round(r.yaw);
  const pitch = Math.round(r.pitch);
  const seen =
    pitch === 0
      ? 'seen from the side'
      : `seen from ${Math.abs(pitch)}° ${pitch > 0 ? 'above' : 'below'}`;
  return `turned ${yaw}° about the vertical axis, ${seen}`;
}

/**
 * Screen coordinates of the points, relative to the centre, in units of the
 * data, y down: x and y of the rotated points (their depth is dropped).
 */
export function project(
  points: Float32Array,
  r: Rotation,
  out = new Float32Array((points.length / 3) * 2),
) {
  const yaw = (r.yaw * Math.PI) / 180;
  const pitch = (r.pitch * Math.PI) / 180;
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  for (let i = 0, n = points.length / 3; i < n; i++) {
    const x = points[3 * i];
    const y = points[3 * i + 1];
    const z = points[3 * i + 2];
    // Yaw about z, then tilt: the reader looks along −y' from above by `pitch`.
    const xr = x * cy - y * sy;
    const depth = x * sy + y * cy;
    out[2 * i] = xr;
    out[2 * i + 1] = -(z * cp + depth * sp);
  }
  return out;
}

/** What {@link drawScatter3d} draws with. */
export interface ScatterStyle {
  /** Axis lines and their letters. */
  axisColor: string;
  font: string;
  /** Half the side of the data cube that must fit, in data units. */
  radius: number;
}

/** Draws `layers` on `canvas` turned by `r`, with the x, y and z axes through the origin. */
export function drawScatter3d(
  canvas: HTMLCanvasElement,
  layers: readonly Layer[],
  r: Rotation,
  style: ScatterStyle,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const scale = (Math.min(width, height) / 2) * (0.92 / style.radius);
  const cx = width / 2;
  const cy = height / 2;
  const unit = Math.max(1, Math.round(width / 320));

  const axes = project(Float32Array.of(1.2, 0, 0, 0, 1.2, 0, 0, 0, 1.2), r);
  ctx.strokeStyle = style.axisColor;
  ctx.fillStyle = style.axisColor;
  ctx.lineWidth = unit;
  ctx.font = style.font.replace(/(\d+)px/, (_, px: string) => `${Number(px) * unit}px`);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.beginPath();
  for (let a = 0; a < 3; a++) {
    ctx.moveTo(cx, cy);
    ctx.lineTo(cx + scale * axes[2 * a], cy + scale * axes[2 * a + 1]);
  }
  ctx.stroke();
  ['x', 'y', 'z'].forEach((name, a) => {
    ctx.fillText(name, cx + 1.12 * scale * axes[2 * a], cy + 1.12 * scale * axes[2 * a + 1]);
  });

  let xy = new Float32Array(0);
  for (const layer of layers) {
    const n = layer.points.length / 3;
    if (xy.length < 2 * n) xy = new Float32Array(2 * n);
    project(layer.points, r, xy);
    ctx.globalAlpha = layer.alpha ?? 1;
    ctx.fillStyle = layer.color;
    const s = (layer.mark === 'dot' ? 2 : 3) * unit;
    for (let i = 0; i < n; i++) {
      const px = cx + scale * xy[2 * i];
      const py = cy + scale * xy[2 * i + 1];
      if (layer.mark === 'plus') {
        ctx.fillRect(px - 2 * unit, py - unit / 2, 4 * unit, unit);
        ctx.fillRect(px - unit / 2, py - 2 * unit, unit, 4 * unit);
      } else {
        ctx.fillRect(px - s / 2, py - s / 2, s, s);
      }
    }
  }
  ctx.globalAlpha = 1;
}
