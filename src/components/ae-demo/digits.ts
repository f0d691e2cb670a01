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

/**
 * Draws `count` images (8-bit pixels, or floats in [0, 1]) as a grid, dark
 * ink on white like the tooltip's digit, at one canvas pixel per image pixel
 * (CSS scales it up, pixelated). Sets `data-drawn` when done.
 */
export function drawDigits(
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
  image.data.fill(255);
  const scale = pixels instanceof Float32Array ? 255 : 1;
  const size = rows * cols;
  for (let d = 0; d < count; d++) {
    const x0 = (d % columns) * (cols + gap);
    const y0 = Math.floor(d / columns) * (rows + gap);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = Math.min(255, Math.max(0, pixels[d * size + r * cols + c] * scale));
        const o = 4 * ((y0 + r) * width + x0 + c);
        const ink = 255 - Math.round(v);
        image.data[o] = ink;
        image.data[o + 1] = ink;
        image.data[o + 2] = ink;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  canvas.dataset.drawn = 'true';
}
