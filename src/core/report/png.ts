/**
 * Grayscale PNG images of digits for the report: a grid of 28 × 28 tiles,
 * encoded as an 8-bit grayscale PNG. Pure: the caller passes the zlib
 * compressor (Node's `zlib.deflateSync`, or pako in a page).
 */

/** An 8-bit grayscale image, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Compresses bytes to a zlib stream (RFC 1950), as `zlib.deflateSync` does. */
export type Deflate = (data: Uint8Array) => Uint8Array;

/** Options of {@link digitGrid}. */
export interface DigitGridOptions {
  /** Tiles per row. */
  columns: number;
  /** Pixels per tile side. Default 28. */
  side?: number;
  /** Pixel rows and columns of a tile that is not square; default `side` each. */
  tileRows?: number;
  tileCols?: number;
  /** Each pixel becomes a scale × scale block, so the grid stays sharp when shown large. Default 3. */
  scale?: number;
  /** Pixels between tiles and around the grid (after scaling). Default 4. */
  gap?: number;
  /** The value that maps to white: 1 for [0, 1] model outputs, 255 for raw pixels. Default 1. */
  maxValue?: number;
  /** Gray level of the gaps, 0..255. Default 96. */
  background?: number;
}

/**
 * Lays `tiles` (each side × side values in [0, maxValue]) out in rows of
 * `columns`, white digits on black as MNIST stores them.
 */
export function digitGrid(tiles: ArrayLike<number>[], options: DigitGridOptions): GrayImage {
  const { columns, side = 28, scale = 3, gap = 4, maxValue = 1, background = 96 } = options;
  const { tileRows = side, tileCols = side } = options;
  if (tiles.length === 0) throw new RangeError('digitGrid needs at least one tile.');
  const rows = Math.ceil(tiles.length / columns);
  const cellW = tileCols * scale;
  const cellH = tileRows * scale;
  const width = columns * cellW + (columns + 1) * gap;
  const height = rows * cellH + (rows + 1) * gap;
  const pixels = new Uint8Array(width * height).fill(background);
  tiles.forEach((tile, t) => {
    if (tile.length !== tileRows * tileCols) {
      throw new RangeError(
        `Tile ${t} has ${tile.length} values; expected ${tileRows} × ${tileCols}.`,
      );
    }
    const left = gap + (t % columns) * (cellW + gap);
    const top = gap + Math.floor(t / columns) * (cellH + gap);
    for (let r = 0; r < tileRows; r++) {
      for (let c = 0; c < tileCols; c++) {
        const v = Math.round((255 * tile[r * tileCols + c]) / maxValue);
        const level = v < 0 ? 0 : v > 255 ? 255 : v;
        for (let dy = 0; dy < scale; dy++) {
          const row = (top + r * scale + dy) * width + left + c * scale;
          pixels.fill(level, row, row + scale);
        }
      }
    }
  });
  return { width, height, pixels };
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG chunks use it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes `image` as an 8-bit grayscale, non-interlaced PNG (colour type 0).
 * Every scanline uses filter 0 (none); the flat digit backgrounds deflate well.
 */
export function encodePng(image: GrayImage, deflate: Deflate): Uint8Array {
  const { width, height, pixels } = image;
  if (!(width >= 1 && height >= 1 && pixels.length === width * height)) {
    throw new RangeError(`A ${width} × ${height} image needs ${width * height} pixels.`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: grayscale
  // compression, filter method and interlace stay 0

  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', deflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, with padding) of `bytes`. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

/** A `data:image/png;base64,…` URL of PNG bytes. */
export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${base64(png)}`;
}
