/**
 * What the service worker decides, without touching a cache: cache names,
 * where the precached files live, and how each request is answered. Pure, so
 * Node can test it; ae-demo-sw.ts does the caching.
 */

/** One file of the built folder, as scripts/build-sw.mjs lists it. */
export interface PrecacheEntry {
  /** Relative to the assets folder (the script's own unless `?assets=` names another). */
  path: string;
  /** Content-hashed name (Vite's `assets/`): the same URL never changes, so cache-first is safe. */
  immutable: boolean;
}

/** The list scripts/build-sw.mjs writes into the service worker. */
export interface Precache {
  /** A hash of every listed file's path and content: a new build gets new caches. */
  version: string;
  files: PrecacheEntry[];
}

/** Every cache of these service workers starts with this. */
export const CACHE_PREFIX = 'ae-demo';

/** The caches of one registration. */
export interface CacheNames {
  /** Prefix of every cache of this registration, and of no other. */
  base: string;
  /** This build's files. */
  precache: string;
  /** Pages and other same-origin files fetched while online, for offline use. */
  runtime: string;
}

/**
 * Cache names for a registration `scope` and a build `version`. Caches are
 * per origin, shared by every registration on it, so they carry the scope:
 * a site's and an embedded copy's service workers never delete each other's.
 */
export function cacheNames(scope: string, version: string): CacheNames {
  const base = `${CACHE_PREFIX} ${scope} `;
  return { base, precache: `${base}precache ${version}`, runtime: `${base}runtime` };
}

/** The caches this registration left from older builds. */
export function staleCaches(all: readonly string[], names: CacheNames): string[] {
  return all.filter(
    (name) => name.startsWith(names.base) && name !== names.precache && name !== names.runtime,
  );
}

/**
 * The folder the listed paths are relative to: the script's own, or the
 * folder its `?assets=` parameter names, relative to the script, e.g.
 * `/docs/ae-demo-sw.js?assets=ae-demo/` for files in `/docs/ae-demo/`. Same
 * origin only: a service worker cannot serve another origin's files.
 */
export function assetsBase(scriptUrl: string): URL {
  const script = new URL(scriptUrl);
  const assets = script.searchParams.get('assets');
  const base = new URL(assets ? (assets.endsWith('/') ? assets : `${assets}/`) : './', script);
  if (base.origin !== script.origin) {
    throw new Error(
      `ae-demo-sw: assets=${assets} is on ${base.origin}; it must be a folder of ${script.origin}.`,
    );
  }
  base.search = '';
  base.hash = '';
  return base;
}

/** The absolute URLs of the listed files, in order. */
export function precacheUrls(precache: Precache, base: URL): string[] {
  return precache.files.map((file) => new URL(file.path, base).href);
}

/** The parts of a Request that {@link route} reads. */
export interface RequestLike {
  method: string;
  url: string;
  mode: string;
  cache?: string;
  headers: { has(name: string): boolean };
}

/**
 * How a request is answered:
 * - `cache-first`: a content-hashed file of the build (never changes);
 * - `network-first`: a page (navigation) or any other same-origin file, the
 *   element's unhashed entry script included, so a new deploy is seen at
 *   once online; the cached copy answers only when the network fails;
 * - `pass`: left to the browser (other origins, non-GET, ranges, no-store).
 */
export function route(
  request: RequestLike,
  origin: string,
  immutable: ReadonlySet<string>,
): 'cache-first' | 'network-first' | 'pass' {
  if (request.method !== 'GET' || request.headers.has('range') || request.cache === 'no-store') {
    return 'pass';
  }
  const url = new URL(request.url);
  if (url.origin !== origin) return 'pass';
  url.hash = '';
  if (request.mode !== 'navigate' && immutable.has(url.href)) return 'cache-first';
  return 'network-first';
}

/**
 * Cached answers for a request the network failed, in order: the URL as
 * asked, then without its query, and for a folder its `index.html` (the first
 * visit's page was fetched before the service worker ran, so only the
 * precached index.html may be there).
 */
export function fallbackUrls(href: string): string[] {
  const url = new URL(href);
  url.hash = '';
  const out = [url.href];
  if (url.search) {
    url.search = '';
    out.push(url.href);
  }
  if (url.pathname.endsWith('/')) out.push(new URL('index.html', url).href);
  return out;
}

/** The type of the message that asks the service worker to keep a page's own files. */
export const KEEP_MESSAGE = 'ae-demo-sw:keep';

/**
 * The URLs a `{ type: KEEP_MESSAGE, urls }` message asks to keep: same-origin
 * http(s) ones without their fragment, minus the precached hashed files and
 * duplicates. Anything else in the message is ignored.
 */
export function keepUrls(data: unknown, origin: string, immutable: ReadonlySet<string>): string[] {
  const message = data as { type?: unknown; urls?: unknown } | null;
  if (message?.type !== KEEP_MESSAGE || !Array.isArray(message.urls)) return [];
  const out = new Set<string>();
  for (const raw of message.urls) {
    if (typeof raw !== 'string') continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    url.hash = '';
    if (url.origin === origin && !immutable.has(url.href)) out.add(url.href);
  }
  return [...out];
}
