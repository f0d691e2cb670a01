/** How a grid of digits is laid out on a canvas. */
export interface DigitGrid {
  count: number;
  rows: number;
  cols: number;
  /** Digits per line of the grid. */
  columns: number;
  /** Blank pixels between digits. Default 2. */
  gap?: number;
}

let inks: Uint32Array | undefined;

/**
 * The RGBA words of the greys 255 - v for v in 0..255 (dark ink on white), in
 * the platform's byte order, as an ImageData's buffer holds them.
 */
function inkTable(): Uint32Array {
  if (!inks) {
    inks = new Uint32Array(256);
    const bytes = new Uint8ClampedArray(inks.buffer);
    for (let v = 0; v < 256; v++) {
      bytes.set([255 - v, 255 - v, 255 - v, 255], 4 * v);
    }
  }
  return inks;
}

/**
 * Digit canvases that change in one frame, at most. Each changed canvas costs
 * the frame a new canvas resource, whatever its size: 1–4 ms each at 4× CPU
 * throttling here (Chromium without a GPU), so the 18 canvases a new model
 * redraws made one frame of 64 ms. Past this many, the rest wait for the
 * frames after.
 */
const CANVASES_PER_FRAME = 3;
let drawnThisFrame = 0;
let frameRequested = false;
/** Canvases waiting for a frame with room, each with its latest draw. */
const waiting = new Map<HTMLCanvasElement, () => void>();

function nextFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    drawnThisFrame = 0;
    for (const [canvas, draw] of waiting) {
      if (drawnThisFrame >= CANVASES_PER_FRAME) break;
      waiting.delete(canvas);
      drawnThisFrame++;
      draw();
    }
    if (drawnThisFrame > 0 || waiting.size > 0) nextFrame();
  });
}

/**
 * Draws `count` images (8-bit pixels, or floats in [0, 1]) as a grid, dark
 * ink on white like the tooltip's digit, at one canvas pixel per image pixel
 * (CSS scales it up, pixelated). Sets `data-drawn` when done: at once, or in
 * a later frame when this one has changed {@link CANVASES_PER_FRAME}
 * canvases already (`data-drawn` is removed meanwhile, so a reader of the
 * attribute never sees old pixels as the new ones).
 */
export function drawDigits(
  canvas: HTMLCanvasElement,
  pixels: Uint8Array | Float32Array,
  grid: DigitGrid,
): void {
  const draw = () => paintDigits(canvas, pixels, grid);
  if (waiting.has(canvas) || drawnThisFrame >= CANVASES_PER_FRAME) {
    waiting.set(canvas, draw);
    delete canvas.dataset.drawn;
  } else {
    drawnThisFrame++;
    draw();
  }
  nextFrame();
}

function paintDigits(
  canvas: HTMLCanvasElement,
  pixels: Uint8Array | Float32Array,
  grid: DigitGrid,
): void {
  const { count, rows, cols, columns } = grid;
  const gap = grid.gap ?? 2;
  const lines = Math.ceil(count / columns);
  const width = columns * cols + (columns - 1) * gap;
  const height = lines * rows + (lines - 1) * gap;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(width, height);
  // One 32-bit write per pixel through a table of the 256 inks (opaque grey), not
  // three clamped byte writes: the model figures draw hundreds of digits in one
  // go (40 ms at 4× CPU throttling here, for the VAE's samples).
  const out = new Uint32Array(image.data.buffer);
  const ink = inkTable();
  out.fill(ink[0]);
  const size = rows * cols;
  const floats = pixels instanceof Float32Array;
  for (let d = 0; d < count; d++) {
    const x0 = (d % columns) * (cols + gap);
    const y0 = Math.floor(d / columns) * (rows + gap);
    for (let r = 0; r < rows; r++) {
      const from = d * size + r * cols;
      const to = (y0 + r) * width + x0;
      for (let c = 0; c < cols; c++) {
        const p = pixels[from + c];
        const v = floats ? Math.round(Math.min(255, Math.max(0, p * 255))) : p;
        // NaN ink is black, as a clamped byte write made it.
        out[to + c] = ink[v] ?? ink[255];
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  canvas.dataset.drawn = 'true';
}
