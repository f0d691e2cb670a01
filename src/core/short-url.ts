/** How long a URL or file name in a message may get, in characters. */
export const SHORT_URL_MAX = 80;

const ELLIPSIS = '…';

/**
 * A URL (or file name, or path) as a message should show it: at most about
 * `max` characters, file name kept. A `data:` URL, which a bundler may inline
 * whole, becomes `data:<mime>,… (N bytes)`; a `blob:` URL keeps its id; a long
 * URL loses its query, then the folders before the file name
 * (`http://host/…/assets/t10k-images-idx3-ubyte-1a2b3c.gz`), then its origin,
 * then the middle of the file name. A long path or name is cut the same way.
 * Used for every URL and file name an error message shows (see errors.ts).
 */
export function shortUrl(url: string | URL, max = SHORT_URL_MAX): string {
  const text = String(url);
  if (/^data:/i.test(text)) return dataUrl(text, max);
  if (text.length <= max) return text;
  const scheme = /^([a-z][a-z\d+.-]*:)(\/\/[^/?#]*)?/i.exec(text);
  // blob:https://host/<uuid>: the uuid is what tells two apart.
  if (scheme?.[1].toLowerCase() === 'blob:') {
    return elideMiddle(`blob:${ELLIPSIS}/`, text.slice(text.lastIndexOf('/') + 1), max);
  }
  const origin = scheme?.[2] ? scheme[0] : '';
  const rest = text.slice(origin.length);
  const path = rest.split(/[?#]/, 1)[0];
  const more = path.length < rest.length ? `?${ELLIPSIS}` : '';
  const segments = path.split(/[/\\]/).filter(Boolean);
  const file = segments.pop();
  if (!file) return elideMiddle('', text, max);
  const lead = /^[/\\]/.test(path) ? '/' : '';
  // The origin and as many whole folders before the file name as fit; then the same without the origin.
  for (const head of origin ? [origin, ''] : ['']) {
    for (let kept = segments.length; kept >= 0; kept--) {
      const body = [...segments.slice(segments.length - kept), file].join('/') + more;
      const elided = kept < segments.length || (origin !== '' && head === '');
      const shown = head + (elided ? (head ? `/${ELLIPSIS}/` : `${ELLIPSIS}/`) : lead) + body;
      if (shown.length <= max) return shown;
    }
  }
  const prefix = segments.length || origin ? `${ELLIPSIS}/` : '';
  return elideMiddle(prefix, file, max - more.length) + more;
}

/**
 * `text` (another error's message, say) with each URL in it shortened by
 * {@link shortUrl}: `data:`, `blob:`, `http(s):` and `file:` URLs, up to a
 * space, quote or bracket; punctuation that ends a sentence stays outside.
 */
export function shortUrlsIn(text: string, max = SHORT_URL_MAX): string {
  return text.replace(/\b(?:data|blob|https?|file):[^\s"'`<>()]+/gi, (found) => {
    const url = found.replace(/[.,;:!?]+$/, '');
    return shortUrl(url, max) + found.slice(url.length);
  });
}

/** `data:<mime>,… (N bytes)`: the type and the size of what it holds, never its payload. */
function dataUrl(text: string, max: number): string {
  const comma = text.indexOf(',');
  const meta = comma < 0 ? text.slice(5) : text.slice(5, comma);
  const payload = comma < 0 ? '' : text.slice(comma + 1);
  // Already shortened (a message that passes through twice keeps its count).
  if (/^…( \([\d,]+ bytes?\))?$/.test(payload) && text.length <= max) return text;
  const params = meta.split(';');
  const base64 = params.slice(1).some((p) => p.trim().toLowerCase() === 'base64');
  const mime = elideMiddle('', params[0].trim(), Math.max(8, max - 30));
  const bytes = base64 ? base64Bytes(payload) : textBytes(payload);
  return `data:${mime},${ELLIPSIS} (${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'})`;
}

/** Bytes a base64 payload decodes to (percent-escapes and whitespace ignored, as browsers do). */
function base64Bytes(payload: string): number {
  let decoded = payload;
  try {
    decoded = decodeURIComponent(payload);
  } catch {
    // Left as it is: a stray '%' only costs the count a byte or two.
  }
  const digits = decoded.replace(/[\s=]/g, '').length;
  return Math.floor((digits * 3) / 4);
}

/** Bytes of a percent-encoded payload: one per escape, UTF-8 for the rest. */
function textBytes(payload: string): number {
  const escapes = payload.match(/%[\da-f]{2}/gi)?.length ?? 0;
  const rest = payload.replace(/%[\da-f]{2}/gi, '');
  return escapes + new TextEncoder().encode(rest).length;
}

/**
 * `prefix` then `name`, at most `max` characters: a long name loses its
 * middle, keeping its start and its end (the extension).
 */
function elideMiddle(prefix: string, name: string, max: number): string {
  const room = max - prefix.length;
  if (name.length <= room) return prefix + name;
  if (room <= 1) return prefix + ELLIPSIS;
  const end = Math.ceil((room - 1) / 2);
  return `${prefix}${name.slice(0, room - 1 - end)}${ELLIPSIS}${name.slice(name.length - end)}`;
}
