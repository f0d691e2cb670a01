/** Side of the pad's canvas in canvas pixels: 10 per MNIST pixel. */
export const PAD_SIZE = 280;

/** The pad's canvas for images of `rows × cols`: their aspect ratio, its longer side PAD_SIZE. */
export function padSize(rows: number, cols: number): { width: number; height: number } {
  const long = Math.max(rows, cols);
  return {
    width: Math.max(1, Math.round((PAD_SIZE * cols) / long)),
    height: Math.max(1, Math.round((PAD_SIZE * rows) / long)),
  };
}

/**
 * Brush width in canvas pixels. A digit drawn across most of the pad shrinks
 * about tenfold to fit MNIST's 20-pixel box, leaving strokes 2 to 3 pixels
 * wide, as in MNIST.
 */
const BRUSH = 22;
/** Soft edge of the brush, like MNIST's anti-aliased strokes. */
const SOFTNESS = 6;

/**
 * A drawing pad on a canvas: pointer strokes (mouse, pen, touch) with a soft
 * round brush, dark ink on white. `onStroke` is called as a stroke grows and
 * when it ends; {@link ink} reads what is drawn. It is made for images of
 * `rows × cols` (MNIST's 28 × 28 until {@link setShape} says otherwise): the
 * canvas has their aspect ratio and the brush their scale.
 */
export class DrawPad {
  private canvas: HTMLCanvasElement | undefined;
  private last: { x: number; y: number } | undefined;
  private pointer: number | undefined;
  /**
   * The pad's box, measured once per stroke and again after the page scrolls or
   * changes size: measured per move, it forced a layout each time the figure had
   * changed since the last frame (31 ms of one move at 4× CPU throttling here).
   */
  private box: DOMRect | undefined;
  /** Whether anything is drawn since the last clear. */
  dirty = false;
  /** The canvas's size in canvas pixels. */
  width = PAD_SIZE;
  height = PAD_SIZE;
  /** The images' shape the pad draws for. */
  rows = 28;
  cols = 28;
  /** Brush width for this shape: as thick, relative to an image's pixels, as on MNIST's. */
  private brush = BRUSH;
  private softness = SOFTNESS;

  constructor(private readonly onStroke: (ended: boolean) => void) {}

  /** Makes the pad one for images of `rows × cols`; a new shape clears it. */
  setShape(rows: number, cols: number): void {
    if (rows === this.rows && cols === this.cols) return;
    this.rows = rows;
    this.cols = cols;
    ({ width: this.width, height: this.height } = padSize(rows, cols));
    // MNIST's brush leaves strokes 2 to 3 of its pixels wide; the same for an image's pixels here.
    const factor = 28 / Math.max(rows, cols);
    this.brush = BRUSH * factor;
    this.softness = SOFTNESS * factor;
    const canvas = this.canvas;
    if (!canvas) return;
    canvas.width = this.width;
    canvas.height = this.height;
    this.clear();
  }

  /** Attaches to `canvas` (again after a re-render made a new one); clears it if it is new. */
  attach(canvas: HTMLCanvasElement | undefined): void {
    if (canvas === this.canvas) return;
    this.detach();
    this.canvas = canvas;
    if (!canvas) return;
    canvas.width = this.width;
    canvas.height = this.height;
    canvas.addEventListener('pointerdown', this.onDown);
    canvas.addEventListener('pointermove', this.onMove);
    canvas.addEventListener('pointerup', this.onUp);
    canvas.addEventListener('pointercancel', this.onUp);
    this.clear();
  }

  detach(): void {
    const c = this.canvas;
    if (!c) return;
    c.removeEventListener('pointerdown', this.onDown);
    c.removeEventListener('pointermove', this.onMove);
    c.removeEventListener('pointerup', this.onUp);
    c.removeEventListener('pointercancel', this.onUp);
    this.canvas = undefined;
    this.pointer = undefined;
    this.last = undefined;
    this.forgetBox();
  }

  /** The page scrolled or its layout moved during a stroke: measure the pad again at the next move. */
  private onMoved = () => {
    this.box = undefined;
  };

  /**
   * Watches the page's and the element's size during a stroke: a figure that renders above the
   * pad while it is drawn on (content-visibility: auto) moves it without a scroll.
   */
  private resized: ResizeObserver | undefined;

  /** Ends a stroke's measuring: the next stroke measures the pad anew. */
  private forgetBox(): void {
    this.box = undefined;
    removeEventListener('scroll', this.onMoved, { capture: true });
    this.resized?.disconnect();
    this.resized = undefined;
  }

  /** Starts a stroke's measuring: the box is measured at the first point and kept until it moves. */
  private watchBox(canvas: HTMLCanvasElement): void {
    this.forgetBox();
    addEventListener('scroll', this.onMoved, { capture: true, passive: true });
    if (typeof ResizeObserver !== 'function') return;
    const root = canvas.getRootNode();
    // Its first report comes at once, before any move: the box is measured again then.
    const observer = new ResizeObserver(this.onMoved);
    observer.observe(document.documentElement);
    if (root instanceof ShadowRoot) observer.observe(root.host);
    this.resized = observer;
  }

  private context(): CanvasRenderingContext2D | null {
    return this.canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
  }

  clear(): void {
    const ctx = this.context();
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, this.width, this.height);
    this.dirty = false;
  }

  /** Paints an 8-bit image of the pad's `rows × cols` over the whole pad (for keyboard users and tests). */
  paintDigit(pixels: Uint8Array): void {
    const ctx = this.context();
    if (!ctx) return;
    const { rows, cols } = this;
    const small = document.createElement('canvas');
    small.width = cols;
    small.height = rows;
    const sctx = small.getContext('2d')!;
    const image = sctx.createImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      const v = 255 - pixels[i];
      image.data.fill(v, 4 * i, 4 * i + 3);
      image.data[4 * i + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    // Smoothing blurs a small image's edges past its ink box, which then shrinks when it is
    // centred again: on 16 × 12 images, 15 of 50 held-out images stayed nearest to themselves
    // in pixels that way, 29 of 50 with whole pixels (30 centred directly). MNIST's stays smooth.
    const mnist = rows === 28 && cols === 28;
    ctx.imageSmoothingEnabled = mnist;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(small, 0, 0, this.width, this.height);
    this.dirty = true;
  }

  /**
   * The pad's pixels, `width × height` RGBA, dark ink on white: the worker reads the ink from
   * them (its red channel; 5.7 ms for 280 × 280 in V8's interpreter here, before the JIT).
   */
  pixels(): Uint8ClampedArray | undefined {
    return this.context()?.getImageData(0, 0, this.width, this.height).data;
  }

  private at(event: PointerEvent): { x: number; y: number } {
    const rect = (this.box ??= this.canvas!.getBoundingClientRect());
    return {
      x: ((event.clientX - rect.left) / rect.width) * this.width,
      y: ((event.clientY - rect.top) / rect.height) * this.height,
    };
  }

  private line(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const ctx = this.context();
    if (!ctx) return;
    ctx.save();
    ctx.strokeStyle = '#000';
    ctx.lineWidth = this.brush;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.shadowColor = '#000';
    ctx.shadowBlur = this.softness;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    // A dot for a tap: a zero-length round-capped line draws nothing in some browsers.
    ctx.lineTo(to.x + (from.x === to.x && from.y === to.y ? 0.01 : 0), to.y);
    ctx.stroke();
    ctx.restore();
    this.dirty = true;
  }

  private onDown = (event: PointerEvent) => {
    if (this.pointer !== undefined || !this.canvas) return;
    event.preventDefault();
    this.pointer = event.pointerId;
    this.watchBox(this.canvas);
    this.canvas.setPointerCapture(event.pointerId);
    this.last = this.at(event);
    this.line(this.last, this.last);
    this.onStroke(false);
  };

  private onMove = (event: PointerEvent) => {
    if (event.pointerId !== this.pointer || !this.last) return;
    // Every sample of a fast stroke, not only the one per frame the event carries.
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [event]) {
      const next = this.at(e);
      this.line(this.last, next);
      this.last = next;
    }
    this.onStroke(false);
  };

  private onUp = (event: PointerEvent) => {
    if (event.pointerId !== this.pointer) return;
    this.pointer = undefined;
    this.last = undefined;
    this.forgetBox();
    this.onStroke(true);
  };
}
