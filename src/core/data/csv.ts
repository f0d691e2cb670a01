import { AeError } from '../errors.ts';
import type { Dataset } from './idx.ts';

/** Options of {@link parseCsvDataset}. */
export interface CsvOptions {
  /** What error messages call the file. Default 'the CSV file'. */
  name?: string;
  /** Image height and width; each row holds a label then rows × cols pixels. Default 28 × 28. */
  rows?: number;
  cols?: number;
  /** Largest label. Default 9. */
  maxLabel?: number;
}

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * True when `bytes` start like a text table rather than an idx file (which
 * starts with the bytes 00 00 08) or gzip (1f 8b): a digit, a letter, a
 * quote or a UTF-8 byte order mark.
 */
export function looksLikeCsv(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[i] === SPACE || bytes[i] === TAB || bytes[i] === CR || bytes[i] === LF) i++;
  const b = bytes[i];
  if (b === undefined) return false;
  return (
    (b >= ZERO && b <= NINE) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x22 ||
    b === 0x27
  );
}

/**
 * Parses MNIST as CSV: one image per row, its label then its pixels
 * (`label,pixel0,…,pixel783`, the layout of Kaggle's mnist_train.csv), with
 * or without a header row. Pixels are whole numbers 0..255, labels 0..9.
 * Lines may end in LF or CRLF; blank lines at the end are ignored. Errors
 * name the file, the line and the column, and say what is valid: a row of
 * the wrong width (DATA_BAD_SHAPE), a cell that is not a whole number in
 * range (DATA_BAD_VALUE), a label out of range (DATA_BAD_LABEL), no rows
 * (DATA_TRUNCATED).
 *
 * It scans bytes, not strings, so the 10,000 test digits (18 MB of text)
 * parse in a fraction of a second in a worker.
 */
export function parseCsvDataset(bytes: Uint8Array, options: CsvOptions = {}): Dataset {
  const { name = 'the CSV file', rows = 28, cols = 28, maxLabel = 9 } = options;
  const size = rows * cols;
  const width = size + 1;
  const layout = `a label then ${size} pixels (${width} values)`;
  const n = bytes.length;

  let lines = 1;
  for (let i = 0; i < n; i++) if (bytes[i] === LF) lines++;
  let pixels = new Uint8Array(lines * size);
  let labels = new Uint8Array(lines);

  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 0;
  let count = 0;
  let headerSeen = false;
  const text = (start: number, end: number) =>
    new TextDecoder().decode(bytes.subarray(start, end)).trim();

  while (i < n) {
    line++;
    const lineStart = i;
    let lineEnd = i;
    while (lineEnd < n && bytes[lineEnd] !== LF) lineEnd++;
    const next = lineEnd + 1;
    if (lineEnd > lineStart && bytes[lineEnd - 1] === CR) lineEnd--;
    // A blank line: allowed only at the end (a trailing newline, or several).
    if (isBlank(bytes, lineStart, lineEnd)) {
      let j = next;
      while (
        j < n &&
        (bytes[j] === LF || bytes[j] === CR || bytes[j] === SPACE || bytes[j] === TAB)
      )
        j++;
      if (j < n) {
        throw new AeError(
          'DATA_BAD_SHAPE',
          `${name}, line ${line}: blank line between rows; each line must hold ${layout}.`,
        );
      }
      break;
    }
    // A header is a first line whose first cell is not a number.
    if (count === 0 && !headerSeen && !startsWithNumber(bytes, lineStart, lineEnd)) {
      headerSeen = true;
      const cells = text(lineStart, lineEnd).split(',').length;
      if (cells !== width) {
        throw new AeError(
          'DATA_BAD_SHAPE',
          `${name}: the header row has ${cells} columns; expected ${width}: ${layout}, e.g. label,pixel0,…,pixel${size - 1}.`,
        );
      }
      i = next;
      continue;
    }

    let column = 0;
    let p = lineStart;
    const out = count * size;
    while (p <= lineEnd) {
      let end = p;
      while (end < lineEnd && bytes[end] !== COMMA) end++;
      column++;
      if (column > width) {
        throw wrongWidth(name, line, countCells(bytes, lineStart, lineEnd), layout);
      }
      const value = cellValue(bytes, p, end);
      if (value < 0) {
        const cell = text(p, end);
        const what = column === 1 ? `a label 0..${maxLabel}` : 'a pixel, a whole number 0..255';
        throw new AeError(
          'DATA_BAD_VALUE',
          `${name}, line ${line}, column ${column}: ${cell ? `"${cell.slice(0, 20)}"` : 'an empty cell'} is not ${what}.`,
        );
      }
      if (column === 1) {
        if (value > maxLabel) {
          throw new AeError(
            'DATA_BAD_LABEL',
            `${name}, line ${line}: label ${value} is out of range 0..${maxLabel}.`,
          );
        }
        labels[count] = value;
      } else {
        if (value > 255) {
          throw new AeError(
            'DATA_BAD_VALUE',
            `${name}, line ${line}, column ${column}: pixel value ${value} is over 255; pixels are whole numbers 0..255.`,
          );
        }
        pixels[out + column - 2] = value;
      }
      p = end + 1;
    }
    if (column !== width) throw wrongWidth(name, line, column, layout);
    count++;
    i = next;
  }

  if (count === 0) {
    throw new AeError('DATA_TRUNCATED', `${name} has no data rows; each line must hold ${layout}.`);
  }
  if (count < lines) {
    // Views, not copies: a header row or a trailing newline would otherwise copy
    // the whole file's pixels (47 MB for 60,000 digits) to drop a row or two.
    pixels = pixels.subarray(0, count * size);
    labels = labels.subarray(0, count);
  }
  return { count, rows, cols, pixels, labels };
}

function wrongWidth(name: string, line: number, cells: number, layout: string): AeError {
  return new AeError(
    'DATA_BAD_SHAPE',
    `${name}, line ${line}: ${cells} values; expected ${layout}.`,
  );
}

function countCells(bytes: Uint8Array, start: number, end: number): number {
  let cells = 1;
  for (let i = start; i < end; i++) if (bytes[i] === COMMA) cells++;
  return cells;
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== SPACE && b !== TAB && b !== CR) return false;
  }
  return true;
}

/** Whether the line's first cell starts with a digit (after spaces or a quote): a data row. */
function startsWithNumber(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes[i] === SPACE || bytes[i] === TAB || bytes[i] === 0x22)) i++;
  return i < end && bytes[i] >= ZERO && bytes[i] <= NINE;
}

/**
 * The whole number in bytes [start, end): digits, optionally quoted and
 * padded with spaces, optionally with a fraction of zeros ("12.0"); -1 if the
 * cell is anything else (empty, negative, a fraction, text).
 */
function cellValue(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === SPACE || bytes[start] === TAB)) start++;
  while (end > start && (bytes[end - 1] === SPACE || bytes[end - 1] === TAB)) end--;
  if (end - start >= 2 && bytes[start] === 0x22 && bytes[end - 1] === 0x22) {
    start++;
    end--;
  }
  if (start === end) return -1;
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b < ZERO || b > NINE) break;
    // Past 1e6 the value is out of every range; stop growing it.
    if (value < 1e6) value = value * 10 + (b - ZERO);
  }
  if (i === start) return -1;
  if (i < end) {
    if (bytes[i] !== 0x2e) return -1;
    for (i++; i < end; i++) if (bytes[i] !== ZERO) return -1;
  }
  return value;
}
