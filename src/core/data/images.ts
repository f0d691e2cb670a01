/**
 * An author's own image set from bytes, wherever they came from (a file in
 * Node, a download in the worker): an idx3 image file with an optional idx1
 * label file, or a CSV of a label then the pixels on each row, of any image
 * size. It never reads or fetches by itself.
 */
import { AeError } from '../errors.ts';
import { looksLikeCsv, parseCsvDataset } from './csv.ts';
import { type IdxImages, parseIdxImages, parseIdxLabels } from './idx.ts';

/** Images with their labels when there are any: an author's own set. */
export interface ImageSet extends IdxImages {
  readonly labels?: Uint8Array;
}

/** An image shape, rows × cols pixels. */
export interface ImageShape {
  rows: number;
  cols: number;
}

/** The fraction of an author's images held out as test images when no test set is given. */
export const HELD_OUT_FRACTION = 0.2;

/** Options of {@link decodeImageSet}. */
export interface DecodeImageOptions {
  /** What error messages call the image file. */
  name: string;
  /** What error messages call the label file. */
  labelsName?: string;
  /** A CSV's image shape. Default: square, from the row width. */
  shape?: ImageShape;
  /** How error messages name the shape option (`--shape 16x12`, `data-shape="16x12"`). */
  shapeHint?: string;
}

/** Fields of the first line of a CSV that starts with a digit (the header, if any, is skipped). */
function csvWidth(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  const first = text.split(/\r?\n/).find((l) => /^\s*\d/.test(l)) ?? '';
  return first.split(',').length;
}

/** Parses `ROWSxCOLS` (e.g. `16x12`); undefined for anything else. */
export function parseShape(text: string): ImageShape | undefined {
  const m = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(text);
  if (!m) return undefined;
  const rows = Number(m[1]);
  const cols = Number(m[2]);
  return rows >= 1 && cols >= 1 ? { rows, cols } : undefined;
}

/**
 * An image set from decompressed bytes: a CSV (its shape given, or square)
 * or an idx3 image file, with the bytes of an idx1 label file if any (a CSV
 * holds its own labels, so it takes none). Errors name the file and say
 * what to give instead.
 */
export function decodeImageSet(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array | undefined,
  options: DecodeImageOptions,
): ImageSet {
  const { name, labelsName = 'labels', shapeHint = '--shape 16x12' } = options;
  if (looksLikeCsv(imageBytes)) {
    if (labelBytes !== undefined) {
      throw new AeError(
        'BAD_ARGUMENT',
        `${name} is a CSV, whose first column holds the labels: give it without a label file.`,
      );
    }
    let shape = options.shape;
    if (!shape) {
      const pixels = csvWidth(imageBytes) - 1;
      const side = Math.round(Math.sqrt(pixels));
      if (pixels < 1 || side * side !== pixels) {
        throw new AeError(
          'DATA_BAD_SHAPE',
          `${name}: its rows hold ${pixels} pixels after the label, not a square image; ` +
            `give the shape (rows × cols), e.g. ${shapeHint}.`,
        );
      }
      shape = { rows: side, cols: side };
    }
    return parseCsvDataset(imageBytes, { name, rows: shape.rows, cols: shape.cols });
  }
  const images = parseIdxImages(imageBytes, name);
  if (labelBytes === undefined) return images;
  const labels = parseIdxLabels(labelBytes, labelsName);
  if (labels.length !== images.count) {
    throw new AeError(
      'DATA_BAD_SHAPE',
      `${labelsName} has ${labels.length} labels for the ${images.count} images of ${name}.`,
    );
  }
  return { ...images, labels };
}

/**
 * An image set split in two at `fraction` of its images (the last part
 * held out), labels split with it. Views, no copies.
 */
export function holdOut(
  set: ImageSet,
  fraction = HELD_OUT_FRACTION,
): { train: ImageSet; test: ImageSet } {
  const testCount = Math.floor(set.count * fraction);
  const trainCount = set.count - testCount;
  if (trainCount < 1 || testCount < 1) {
    throw new AeError(
      'BAD_ARGUMENT',
      `${set.count} images cannot be split into training and held-out test images; give more, or a test set.`,
    );
  }
  return { train: slice(set, 0, trainCount), test: slice(set, trainCount, testCount) };
}

/** Images `start .. start + count - 1` of `set`, labels with them: a view. */
function slice(set: ImageSet, start: number, count: number): ImageSet {
  const d = set.rows * set.cols;
  return {
    count,
    rows: set.rows,
    cols: set.cols,
    pixels: set.pixels.subarray(start * d, (start + count) * d),
    ...(set.labels ? { labels: set.labels.subarray(start, start + count) } : {}),
  };
}

/** Checks that a test set has the training images' shape; `names` go in the message. */
export function checkSameShape(
  train: IdxImages,
  test: IdxImages,
  names: { train: string; test: string },
): void {
  if (test.rows !== train.rows || test.cols !== train.cols) {
    throw new AeError(
      'DATA_BAD_SHAPE',
      `${names.test} holds ${test.rows} × ${test.cols} images but ${names.train} ` +
        `${train.rows} × ${train.cols}: give test images of the same size.`,
    );
  }
}
