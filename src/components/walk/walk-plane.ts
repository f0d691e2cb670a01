import { centreOn, codeRange, gridLatents, linspace, meanCode } from '../shared/play-math.ts';
import { SIDE } from '../shared/play-part.ts';
import type { ActiveModel, DemoStore } from '../store/store.ts';

/** Digits per side of the walk's grid. */
export const GRID = 9;
/** How far the walk goes along each axis of a VAE's latent space, in standard deviations of its prior. */
export const VAE_SPAN = 2.5;
/** Blank pixels between the grid's digits (drawDigits' default). */
const GAP = 2;
/** The images' shape, rows × cols pixels (MNIST's 28 × 28, or the author's). */
export interface Shape {
  rows: number;
  cols: number;
}
/** MNIST's shape. */
export const MNIST_SHAPE: Shape = { rows: SIDE, cols: SIDE };

/** How the grid's images, of `shape`, are laid out on its canvas. */
export function gridLayout(shape: Shape = MNIST_SHAPE) {
  return { count: GRID * GRID, rows: shape.rows, cols: shape.cols, columns: GRID, gap: GAP };
}

export type Kind = 'ae' | 'vae';
/** What a walk holds its other dimensions at: the centre of the space, or a test digit's code. */
export type Anchor = 'mean' | 'digit';
/** An axis's range: [lo, hi]. */
export type Range = [number, number];

/** The test digit a walk is centred on. */
export interface AnchorDigit {
  index: number;
  /** Its label; undefined when the images have none. */
  label: number | undefined;
  /** The test set's key in the worker. */
  testKey: string;
}

/** What a walk is made for: the model object, the two dimensions, the anchor digit if any. */
export interface WalkChoice {
  model: ActiveModel;
  dimX: number;
  dimY: number;
  index: number | undefined;
}

/** Whether two choices make the same walk. */
export function sameChoice(a: WalkChoice | undefined, b: WalkChoice): boolean {
  return (
    !!a && a.model === b.model && a.dimX === b.dimX && a.dimY === b.dimY && a.index === b.index
  );
}

/** The plane a walk runs over, and its grid of decoded digits. */
export interface WalkFrame {
  /** The choice it was made for. */
  choice: WalkChoice;
  kind: Kind;
  modelId: string;
  latentSize: number;
  dimX: number;
  dimY: number;
  x: Range;
  y: Range;
  /** Values of the other dimensions (and the point's start). */
  base: Float32Array;
  /** The test digit whose code `base` is, when the walk is anchored at one. */
  anchor?: { index: number; label: number | undefined };
  /** The images' shape the grid was decoded at (the model's: rows × cols is its inputSize). */
  shape: Shape;
  grid: Float32Array;
}

/**
 * Makes the plane of a walk over the dimensions `dimX` and `dimY` of `choice.model`,
 * and decodes its grid in one call. A VAE's axes span its prior; an
 * autoencoder has none, so its axes span its codes of the test digits. The
 * other dimensions are held at the prior's mean (0), the test digits' mean
 * code, or `anchor`'s code, which the grid is then centred on.
 */
export async function makeFrame(
  store: DemoStore,
  choice: WalkChoice,
  anchor: AnchorDigit | undefined,
): Promise<WalkFrame> {
  const { model, dimX, dimY } = choice;
  const { bridge, signal } = store;
  const size = model.latentSize;
  const shape = store.shape();
  const codes = model.kind === 'ae' ? (await store.testCodes(model)).codes : undefined;
  let base: Float32Array;
  if (anchor) {
    // One digit's code (a VAE's μ).
    const pixels = await bridge.image(signal, anchor.testKey, anchor.index);
    base = await bridge.encodePixels(store.signalFor(model), model.modelId, pixels);
  } else {
    base = codes ? meanCode(codes, size) : new Float32Array(size);
  }
  const axis = (dim: number): Range => {
    if (!codes) return centreOn([-VAE_SPAN, VAE_SPAN], base[dim]);
    const r = codeRange(codes, size, dim);
    return anchor ? centreOn([r.min, r.max], base[dim]) : [r.min, r.max];
  };
  const x = axis(dimX);
  const y = axis(dimY);
  const latents = gridLatents(base, dimX, dimY, linspace(...x, GRID), linspace(...y, GRID));
  const grid = await bridge.decode(store.signalFor(model), model.modelId, latents);
  return {
    choice,
    kind: model.kind,
    modelId: model.modelId,
    latentSize: size,
    dimX,
    dimY,
    x,
    y,
    base,
    anchor: anchor && { index: anchor.index, label: anchor.label },
    shape,
    grid,
  };
}

/** The length of the grid's canvas along an axis whose cells are `side` pixels, in image pixels. */
const lengthOf = (side: number) => GRID * side + (GRID - 1) * GAP;

/**
 * Where a value sits on the grid canvas, 0..1 along an axis whose cells are
 * `side` pixels (the images' cols across, rows up): the cells' centres span the range.
 */
export function fractionOf(value: number, [lo, hi]: Range, side = SIDE): number {
  const t = (value - lo) / (hi - lo);
  const length = lengthOf(side);
  return (side / 2 + t * (length - side)) / length;
}

/** The value at `fraction` (0..1) along an axis of the grid canvas (cells `side` pixels), clamped to the range. */
export function valueAt(fraction: number, [lo, hi]: Range, side = SIDE): number {
  const length = lengthOf(side);
  const t = (fraction * length - side / 2) / (length - side);
  return lo + Math.min(1, Math.max(0, t)) * (hi - lo);
}
