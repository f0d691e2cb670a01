import { AeError, abortError, throwIfAborted } from '../errors.ts';
import { shortUrl, shortUrlsIn } from '../short-url.ts';
import { looksLikeCsv, parseCsvDataset } from './csv.ts';
import { parseIdxDataset, type Dataset } from './idx.ts';
import { decodeImageSet, type ImageSet, type ImageShape } from './images.ts';

/**
 * Where a dataset lives: URLs (absolute, or relative to the page) of an idx
 * image file and its label file, or of one CSV file (label then pixels on
 * each row, see parseCsvDataset), which needs no `labels`. Either may be gzip.
 */
export interface IdxSource {
  images: string;
  /** The idx1 label file; leave it out for CSV. */
  labels?: string;
  /** What `images` holds; default: CSV if its path ends in .csv (or .csv.gz), else by its content. */
  format?: 'idx' | 'csv';
  /** A CSV's image shape, for {@link loadImageSet}; default square, from the row width. */
  shape?: ImageShape;
}

/** Options of {@link fetchBytes}. */
export interface FetchBytesOptions {
  signal?: AbortSignal;
  /** Called as bytes arrive; `total` is undefined when the server does not say the size. */
  onProgress?: (loaded: number, total: number | undefined) => void;
  /**
   * What the URL should hold, for error messages, e.g. 'an idx file' or
   * 'a TF.js model.json'. Default 'the file that was asked for'.
   */
  expected?: string;
  /** Called with the response's Content-Type header (empty if none) before the body is read. */
  onContentType?: (type: string) => void;
}

/** Options of {@link loadIdxDataset}. */
export interface LoadIdxOptions {
  signal?: AbortSignal;
  /** Combined download fraction of both files, 0..1, never decreasing. */
  onProgress?: (fraction: number) => void;
}

/** True if `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses `bytes` if they are gzip (by their magic number, not their
 * name); returns them unchanged otherwise. A corrupt or truncated gzip stream
 * rejects with a DATA_DECOMPRESS_FAILED AeError naming `name`.
 */
export async function maybeGunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    // A Blob copies the bytes, so the caller's buffer is never detached or shared with the stream.
    const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
    const output = input.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(output).arrayBuffer());
  } catch (cause) {
    throw new AeError(
      'DATA_DECOMPRESS_FAILED',
      `${name}: the file looks gzip-compressed but cannot be decompressed (${describe(cause)}). ` +
        'It is probably truncated or corrupt: download or rebuild it.',
      { cause },
    );
  }
}

/**
 * The last path segment of a URL or path, without query or fragment (what
 * error messages call the file), at most {@link shortUrl}'s length. A `data:`
 * or `blob:` URL has no file name: it is named by shortUrl.
 */
export function fileNameOf(url: string): string {
  if (/^(data|blob):/i.test(url)) return shortUrl(url);
  const path = url.split(/[?#]/, 1)[0];
  const last = path.split(/[/\\]/).filter(Boolean).pop() ?? url;
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // Not percent-encoded after all: the segment as it is.
  }
  return shortUrl(name);
}

/**
 * Downloads `url` into one Uint8Array, streaming the body to report progress.
 * Fails with DATA_FETCH_FAILED naming the URL (and the HTTP status) when the
 * request fails, the status is not 2xx, or the server answers with an HTML page
 * (a single-page-app fallback that serves index.html for any missing file),
 * saying what was `expected` instead; with ABORTED when `signal` fires.
 */
export async function fetchBytes(
  url: string,
  options: FetchBytesOptions = {},
): Promise<Uint8Array> {
  const { signal, onProgress, onContentType, expected = 'the file that was asked for' } = options;
  // Messages name the URL short: a bundler may have inlined the file as a data: URL of any size.
  const shown = shortUrl(url);
  throwIfAborted(signal, `Downloading ${shown}`);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (cause) {
    if (signal?.aborted) throw abortError(`Downloading ${shown}`);
    throw new AeError(
      'DATA_FETCH_FAILED',
      `Could not download ${shown}: ${describe(cause)}. Check the URL and that the server is reachable.`,
      { cause },
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new AeError(
      'DATA_FETCH_FAILED',
      `Could not download ${shown}: HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}. ` +
        'Check the URL and that the file is deployed.',
    );
  }
  const type = response.headers.get('content-type') ?? '';
  if (/^\s*text\/html\b/i.test(type)) {
    await response.body?.cancel().catch(() => {});
    throw notFoundHtml(shown, response.status, expected);
  }
  onContentType?.(type);
  // With a Content-Encoding the length counts encoded bytes, not the ones we read.
  const length = Number(response.headers.get('content-length'));
  const encoded = !/^(identity)?$/i.test(response.headers.get('content-encoding') ?? '');
  const total = !encoded && Number.isFinite(length) && length > 0 ? length : undefined;

  let bytes: Uint8Array;
  try {
    bytes = await readBody(response, total, onProgress);
  } catch (cause) {
    if (signal?.aborted) throw abortError(`Downloading ${shown}`);
    throw new AeError(
      'DATA_FETCH_FAILED',
      `Could not download ${shown}: the connection failed while reading (${describe(cause)}).`,
      { cause },
    );
  }
  if (looksLikeHtml(bytes)) throw notFoundHtml(shown, response.status, expected);
  return bytes;
}

async function readBody(
  response: Response,
  total: number | undefined,
  onProgress: FetchBytesOptions['onProgress'],
): Promise<Uint8Array> {
  onProgress?.(0, total);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, total ?? bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  let buffer = new Uint8Array(total ?? 1 << 16);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
      grown.set(buffer.subarray(0, loaded));
      buffer = grown;
    }
    buffer.set(value, loaded);
    loaded += value.length;
    onProgress?.(loaded, total);
  }
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}

/** How an HTML page starts, after whitespace: `<!doctype html`, `<html`, `<head`, `<body` or a comment. */
const HTML_START = /^<(!doctype\s+html|html|head|body|!--)/i;

/**
 * True for bytes that start like an HTML page. A lone '<' is not enough: a
 * weights file starts with any byte (an idx file starts with 00 00 08, a gzip
 * file with 1f 8b, model.json with '{').
 */
function looksLikeHtml(bytes: Uint8Array): boolean {
  let i = 0;
  // Skip a UTF-8 byte order mark and leading whitespace.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i] >= 0x09 && bytes[i] <= 0x0d))) i++;
  if (bytes[i] !== 0x3c) return false;
  const head = String.fromCharCode(...bytes.subarray(i, i + 16));
  return HTML_START.test(head);
}

/** `shown` is the URL as shortUrl gives it. */
function notFoundHtml(shown: string, status: number, expected: string): AeError {
  return new AeError(
    'DATA_FETCH_FAILED',
    `Could not download ${shown}: file not found (the server answered HTTP ${status} with an HTML page ` +
      `instead of ${expected}, which is what a site does for a missing file). Check the URL and that ` +
      'the file is deployed there.',
  );
}

/**
 * Gunzips (if needed) and parses an idx image file and its label file.
 * `names` appear in error messages.
 */
export async function decodeIdxDataset(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  names: { images: string; labels: string },
): Promise<Dataset> {
  const [images, labels] = await Promise.all([
    maybeGunzip(imageBytes, names.images),
    maybeGunzip(labelBytes, names.labels),
  ]);
  return parseIdxDataset(images, labels, names);
}

/** Whether a URL's path (not its query) names a CSV file, gzip or not. */
export function isCsvUrl(url: string): boolean {
  return /\.csv(\.gz)?$/i.test(url.split(/[?#]/, 1)[0]);
}

/** A Content-Type that says text (text/csv, text/plain, …): what a CSV file is served as. */
const TEXT_TYPE = /^\s*(text\/|application\/(csv|x-csv|vnd\.ms-excel)\b)/i;

/**
 * Downloads a dataset and parses it into a Dataset. Either an idx image file
 * and its label file, fetched in parallel, or one CSV file of labels and
 * pixels (gzip or plain); CSV is recognised by `format`, a `.csv` path, a
 * text Content-Type, or text content without `labels`. Errors name the file.
 */
export async function loadIdxDataset(
  source: IdxSource,
  options: LoadIdxOptions = {},
): Promise<Dataset> {
  const { csv, images, labels, types, imagesName } = await fetchSource(source, options);
  if (labels && !csv) {
    return decodeIdxDataset(images, labels, {
      images: imagesName,
      labels: fileNameOf(source.labels!),
    });
  }
  const bytes = await maybeGunzip(images, imagesName);
  const text = source.format !== 'idx' && (TEXT_TYPE.test(types[0]) || looksLikeCsv(bytes));
  if (csv || text) return parseCsvDataset(bytes, { name: imagesName });
  throw new AeError(
    'BAD_ARGUMENT',
    `${imagesName} is not CSV, so it should be an idx image file, which needs the URL of its idx1 ` +
      'label file too (labels-src). For CSV, give a file whose rows are a label then 784 pixels.',
  );
}

/**
 * Downloads an author's image set of any size: an idx3 image file with or
 * without its idx1 label file, or one CSV of a label then the pixels per row
 * (`source.shape`, or square). Errors name the file.
 */
export async function loadImageSet(
  source: IdxSource,
  options: LoadIdxOptions = {},
): Promise<ImageSet> {
  const { csv, images, labels, imagesName } = await fetchSource(source, options);
  const [imageBytes, labelBytes] = await Promise.all([
    maybeGunzip(images, imagesName),
    labels && !csv ? maybeGunzip(labels, fileNameOf(source.labels!)) : undefined,
  ]);
  return decodeImageSet(imageBytes, labelBytes, {
    name: imagesName,
    ...(source.labels ? { labelsName: fileNameOf(source.labels) } : {}),
    ...(source.shape ? { shape: source.shape } : {}),
    shapeHint: 'data-shape="16x12"',
  });
}

/** Downloads a source's files in parallel, reporting their combined progress. */
async function fetchSource(
  source: IdxSource,
  options: LoadIdxOptions,
): Promise<{
  csv: boolean;
  images: Uint8Array;
  labels: Uint8Array | undefined;
  types: string[];
  imagesName: string;
}> {
  const { signal, onProgress } = options;
  const csv = source.format === 'csv' || (source.format !== 'idx' && isCsvUrl(source.images));
  const files = csv || !source.labels ? [source.images] : [source.images, source.labels];
  const loaded = files.map(() => 0);
  const totals: (number | undefined)[] = files.map(() => undefined);
  const done = files.map(() => false);
  const types: string[] = files.map(() => '');
  let reported = -1;
  const report = () => {
    if (!onProgress) return;
    const fraction = combinedFraction(loaded, totals, done);
    // Totals arrive at different times, so the combined fraction could step back; never show that.
    if (fraction > reported) {
      reported = fraction;
      onProgress(fraction);
    }
  };
  const fetchOne = async (url: string, i: number) => {
    const bytes = await fetchBytes(url, {
      signal,
      expected: csv ? 'a CSV file' : i === 0 ? 'an idx image file' : 'an idx label file',
      onContentType: (type) => (types[i] = type),
      onProgress: (n, total) => {
        loaded[i] = n;
        totals[i] = total;
        report();
      },
    });
    done[i] = true;
    report();
    return bytes;
  };
  const [images, labels] = await Promise.all(files.map((url, i) => fetchOne(url, i)));
  throwIfAborted(signal, 'Loading the dataset');
  return { csv, images, labels, types, imagesName: fileNameOf(source.images) };
}

/** Bytes over bytes when both sizes are known; otherwise the mean of per-file fractions. */
function combinedFraction(
  loaded: number[],
  totals: (number | undefined)[],
  done: boolean[],
): number {
  if (done.every(Boolean)) return 1;
  if (totals.every((t) => t !== undefined)) {
    const sum = (totals as number[]).reduce((a, b) => a + b, 0);
    return Math.min(1, loaded.reduce((a, b) => a + b, 0) / sum);
  }
  let f = 0;
  for (let i = 0; i < loaded.length; i++) {
    const t = totals[i];
    f += done[i] ? 1 : t ? Math.min(1, loaded[i] / t) : 0;
  }
  return f / loaded.length;
}

/** What `cause` says, its URLs shortened (Node's fetch says "Failed to parse URL from <the URL>"). */
function describe(cause: unknown): string {
  return shortUrlsIn(causeText(cause));
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is its cause.
    if (inner instanceof Error && inner.message && cause.message === 'fetch failed') {
      return `${cause.message}: ${inner.message}`;
    }
    return cause.message || cause.name;
  }
  return String(cause);
}
