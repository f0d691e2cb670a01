import { AeError } from '../errors.ts';

/** Where the ink of an image is: its bounding box, in pixels (`right` and `bottom` exclusive). */
export interface InkBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Options of {@link centerDigit}; the defaults are MNIST's. */
export interface CenterOptions {
  /**
   * Side of the square the ink's bounding box is scaled to fit, in a square
   * output of `size`. Default 20. For an output of `rows × cols` the box is
   * `box / size` of each side: (rows × box / size) × (cols × box / size).
   */
  box?: number;
  /** Side of the output image. Default 28. */
  size?: number;
  /** Rows of the output image, when it is not square. Default `size`. */
  rows?: number;
  /** Columns of the output image, when it is not square. Default `size`. */
  cols?: number;
  /** Pixels at or below this count as background. Default 0. */
  threshold?: number;
}

/** Bounding box of the pixels above `threshold` of a `width × height` image, or undefined if there is none. */
export function inkBox(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  threshold = 0,
): InkBox | undefined {
  // Scans inward from each edge and stops at the first ink: a drawing's first analysis runs
  // before the JIT has compiled this, and the whole pad is 78,400 pixels.
  const rowHasInk = (y: number) => {
    for (let i = y * width, end = i + width; i < end; i++) if (ink[i] > threshold) return true;
    return false;
  };
  let top = 0;
  while (top < height && !rowHasInk(top)) top++;
  if (top === height) return undefined;
  let bottom = height;
  while (!rowHasInk(bottom - 1)) bottom--;
  const columnHasInk = (x: number) => {
    for (let i = top * width + x, end = bottom * width; i < end; i += width) {
      if (ink[i] > threshold) return true;
    }
    return false;
  };
  let left = 0;
  while (!columnHasInk(left)) left++;
  let right = width;
  while (!columnHasInk(right - 1)) right--;
  return { left, top, right, bottom };
}

/**
 * Centre of mass of a `width × height` image in pixel indices (pixel (x, y)
 * weighs at (x, y), as in MNIST's description, whose digits have theirs at
 * (14, 14)). Undefined for a blank image.
 */
export function centreOfMass(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number } | undefined {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : undefined;
}

/**
 * Area weights resampling the source interval [start, start + length) onto
 * `n` output pixels of `1 / scale` source pixels each: output pixel `o` takes
 * source pixels `index[k]` with weights `weight[k]` for k in
 * [`offset[o]`, `offset[o + 1]`), which sum to 1 for a fully covered output
 * pixel. Source pixels from `limit` on are skipped (background). Flat typed
 * arrays: the first analysis of a drawing runs in V8's interpreter.
 */
function areaWeights(start: number, n: number, scale: number, limit: number) {
  const step = 1 / scale;
  const offset = new Int32Array(n + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let o = 0; o < n; o++) {
    const a = start + o * step;
    const b = a + step;
    for (let s = Math.floor(a); s < Math.min(limit, Math.ceil(b)); s++) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s);
      if (overlap > 0) {
        index.push(s);
        weight.push(overlap * scale);
      }
    }
    offset[o + 1] = index.length;
  }
  return { offset, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/**
 * Prepares a drawn digit the way MNIST's digits were prepared: the bounding
 * box of its ink is scaled to fit a 20 × 20 box keeping its aspect ratio
 * (area averaging, so strokes stay soft), then placed in a 28 × 28 image with
 * its centre of mass at (14, 14), to the nearest whole pixel as MNIST did
 * (LeCun et al., http://yann.lecun.com/exdb/mnist/). `ink` is `width × height`
 * intensities, 0 for background up to 255 for full ink. Returns 8-bit pixels,
 * or undefined if nothing is drawn.
 *
 * For images of another shape (`rows` × `cols`) the same is done to scale:
 * the box is the same fraction of each side (20/28 of the rows by 20/28 of
 * the columns), the ink keeps its aspect ratio inside it, and its centre of
 * mass goes to the same place as a fraction of each side (14.5/28 of the way
 * in, in continuous coordinates: pixel (5.71, 7.79) of 12 × 16), which is
 * where an MNIST digit averaged down to that shape has it.
 */
export function centerDigit(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  options: CenterOptions = {},
): Uint8Array | undefined {
  const box = options.box ?? 20;
  const size = options.size ?? 28;
  const rows = options.rows ?? size;
  const cols = options.cols ?? size;
  const bounds = inkBox(ink, width, height, options.threshold ?? 0);
  if (!bounds) return undefined;
  const w = bounds.right - bounds.left;
  const h = bounds.bottom - bounds.top;
  // On a square output both are `box`, and this is box / max(w, h) exactly.
  const scale = Math.min((box * cols) / size / w, (box * rows) / size / h);
  // Whole output pixels covering the scaled box (the epsilon keeps 20.0000001 at 20).
  const outW = Math.max(1, Math.ceil(w * scale - 1e-6));
  const outH = Math.max(1, Math.ceil(h * scale - 1e-6));
  // Only the box is resampled: anything outside it is background by its definition.
  const wx = areaWeights(bounds.left, outW, scale, bounds.right);
  const wy = areaWeights(bounds.top, outH, scale, bounds.bottom);

  // Separable area resampling: rows first (h × outW), then columns (outH × outW).
  const across = new Float64Array(h * outW);
  for (let y = 0; y < h; y++) {
    const line = (bounds.top + y) * width;
    for (let o = 0; o < outW; o++) {
      let sum = 0;
      for (let k = wx.offset[o]; k < wx.offset[o + 1]; k++)
        sum += wx.weight[k] * ink[line + wx.index[k]];
      across[y * outW + o] = sum;
    }
  }
  const scaled = new Float64Array(outH * outW);
  for (let o = 0; o < outH; o++) {
    for (let k = wy.offset[o]; k < wy.offset[o + 1]; k++) {
      const weight = wy.weight[k];
      const from = (wy.index[k] - bounds.top) * outW;
      for (let x = 0; x < outW; x++) scaled[o * outW + x] += weight * across[from + x];
    }
  }

  const centre = centreOfMass(scaled, outW, outH);
  if (!centre) return undefined;
  // MNIST's centre, pixel (14, 14) of 28, is 14.5 / 28 of the way across in continuous
  // coordinates; the same fraction of another shape (exactly size / 2 on a square output).
  const dx = Math.round(((size / 2 + 0.5) * cols) / size - 0.5 - centre.x);
  const dy = Math.round(((size / 2 + 0.5) * rows) / size - 0.5 - centre.y);
  const out = new Uint8Array(rows * cols);
  for (let y = 0; y < outH; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= rows) continue;
    for (let x = 0; x < outW; x++) {
      const tx = x + dx;
      if (tx < 0 || tx >= cols) continue;
      out[ty * cols + tx] = Math.min(255, Math.max(0, Math.round(scaled[y * outW + x])));
    }
  }
  return out;
}

/**
 * {@link centerDigit} on a drawing as a 2D canvas reads it: `rgba` is `width × height` RGBA
 * pixels, dark ink on white, whose red channel gives the ink (255 − red).
 */
export function centreDrawing(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  options: CenterOptions = {},
): Uint8Array | undefined {
  if (rgba.length !== 4 * width * height) {
    throw new AeError(
      'BAD_ARGUMENT',
      `A drawing of ${width} × ${height} pixels takes ${4 * width * height} RGBA values; got ${rgba.length}.`,
    );
  }
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = 255 - rgba[4 * i];
  return centerDigit(ink, width, height, options);
}
