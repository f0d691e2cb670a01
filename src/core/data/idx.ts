import { AeError } from '../errors.ts';

/** Magic number of an idx3 file of unsigned bytes (images): 0x00000803. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an idx1 file of unsigned bytes (labels): 0x00000801. */
export const IDX_LABELS_MAGIC = 0x00000801;

/** Images from an idx3 file: `count` row-major `rows × cols` images of 8-bit pixels. */
export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count × rows × cols pixels, 0..255, one image after another. */
  readonly pixels: Uint8Array;
}

/** Labelled images: what every analysis in this toolkit takes. */
export interface Dataset extends IdxImages {
  /** One label per image, 0..9. */
  readonly labels: Uint8Array;
}

function header(bytes: Uint8Array, name: string, words: number): DataView {
  if (bytes.byteLength < 4 * words) {
    throw new AeError(
      'DATA_TRUNCATED',
      `${name}: file is truncated: ${bytes.byteLength} bytes, but an idx header needs ${4 * words}.`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkMagic(view: DataView, expected: number, name: string, kind: string): void {
  const magic = view.getUint32(0, false);
  if (magic !== expected) {
    const hex = (n: number) => '0x' + n.toString(16).padStart(8, '0');
    throw new AeError(
      'DATA_BAD_MAGIC',
      `${name}: wrong magic number ${hex(magic)}; an idx ${kind} file starts with ${hex(expected)}. ` +
        'Is this the right file, and is it decompressed?',
    );
  }
}

function checkLength(bytes: Uint8Array, expected: number, name: string): void {
  if (bytes.byteLength < expected) {
    throw new AeError(
      'DATA_TRUNCATED',
      `${name}: file is truncated: ${bytes.byteLength} bytes, but its header promises ${expected}.`,
    );
  }
  if (bytes.byteLength > expected) {
    throw new AeError(
      'DATA_BAD_SHAPE',
      `${name}: ${bytes.byteLength - expected} unexpected bytes after the data its header describes (${expected} bytes).`,
    );
  }
}

/**
 * Parses an idx3-ubyte image file (magic 0x00000803). The returned pixels are a
 * view on `bytes` (no copy). Throws an AeError naming `name` and the fault.
 */
export function parseIdxImages(bytes: Uint8Array, name = 'images'): IdxImages {
  checkMagic(header(bytes, name, 1), IDX_IMAGES_MAGIC, name, 'image (idx3, unsigned byte)');
  const view = header(bytes, name, 4);
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (count === 0 || rows === 0 || cols === 0 || rows * cols > 1 << 20) {
    throw new AeError(
      'DATA_BAD_SHAPE',
      `${name}: implausible dimensions ${count} × ${rows} × ${cols}; expected positive sizes.`,
    );
  }
  checkLength(bytes, 16 + count * rows * cols, name);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/**
 * Parses an idx1-ubyte label file (magic 0x00000801), checking every label is
 * in 0..`maxLabel`. The returned labels are a view on `bytes`.
 */
export function parseIdxLabels(bytes: Uint8Array, name = 'labels', maxLabel = 9): Uint8Array {
  checkMagic(header(bytes, name, 1), IDX_LABELS_MAGIC, name, 'label (idx1, unsigned byte)');
  const view = header(bytes, name, 2);
  const count = view.getUint32(4, false);
  checkLength(bytes, 8 + count, name);
  const labels = bytes.subarray(8);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > maxLabel) {
      throw new AeError(
        'DATA_BAD_LABEL',
        `${name}: label ${labels[i]} at index ${i} is out of range 0..${maxLabel}.`,
      );
    }
  }
  return labels;
}

/** Parses and pairs an image file and a label file, checking their counts agree. */
export function parseIdxDataset(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  names: { images?: string; labels?: string } = {},
): Dataset {
  const images = parseIdxImages(imageBytes, names.images);
  const labels = parseIdxLabels(labelBytes, names.labels);
  if (labels.length !== images.count) {
    throw new AeError(
      'DATA_COUNT_MISMATCH',
      `${names.labels ?? 'labels'} has ${labels.length} labels but ${names.images ?? 'images'} has ` +
        `${images.count} images; they must come in matching pairs.`,
    );
  }
  return { ...images, labels };
}

/** Encodes images (and optionally a prefix of them) back to idx3 bytes. */
export function encodeIdxImages(images: IdxImages, count = images.count): Uint8Array {
  const size = images.rows * images.cols;
  const out = new Uint8Array(16 + count * size);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_IMAGES_MAGIC, false);
  view.setUint32(4, count, false);
  view.setUint32(8, images.rows, false);
  view.setUint32(12, images.cols, false);
  out.set(images.pixels.subarray(0, count * size), 16);
  return out;
}

/** Encodes labels (and optionally a prefix of them) back to idx1 bytes. */
export function encodeIdxLabels(labels: Uint8Array, count = labels.length): Uint8Array {
  const out = new Uint8Array(8 + count);
  const view = new DataView(out.buffer);
  view.setUint32(0, IDX_LABELS_MAGIC, false);
  view.setUint32(4, count, false);
  out.set(labels.subarray(0, count), 8);
  return out;
}

/** Pixels of image `index` scaled to [0, 1] (a new Float32Array). */
export function imageAsFloats(data: IdxImages, index: number): Float32Array {
  const size = data.rows * data.cols;
  const out = new Float32Array(size);
  const src = data.pixels.subarray(index * size, (index + 1) * size);
  for (let i = 0; i < size; i++) out[i] = src[i] / 255;
  return out;
}
