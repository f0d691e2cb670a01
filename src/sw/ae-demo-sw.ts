/**
 * The service worker that keeps `<ae-demo>` working offline after one visit.
 * scripts/build-sw.mjs bundles this file with the list of every file of a
 * built folder and writes it there as `ae-demo-sw.js`.
 *
 * - install: precache every listed file (a cache per build version), then
 *   `skipWaiting`, so the first visit is covered as soon as it activates;
 * - activate: delete this registration's caches of older builds, `clients.claim`;
 * - fetch: content-hashed files cache-first; pages and every other same-origin
 *   GET network-first, kept in a runtime cache, answered from the caches only
 *   when the network fails (see precache.ts `route`);
 * - message `{ type: 'ae-demo-sw:keep', urls }`: keeps those files too. A page
 *   embedding the element sends its own URL and resources once the worker is
 *   ready, since the first visit fetched them before it ran (README).
 */
import {
  assetsBase,
  cacheNames,
  fallbackUrls,
  keepUrls,
  precacheUrls,
  route,
  staleCaches,
  type Precache,
} from './precache.ts';

/** Replaced by scripts/build-sw.mjs with the built folder's list. */
declare const __AE_DEMO_PRECACHE__: Precache;

// The few service worker types used; the DOM library has none of them.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
}
interface ServiceWorkerScope {
  readonly location: { href: string; origin: string };
  readonly registration: ServiceWorkerRegistration;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

const sw = self as unknown as ServiceWorkerScope;
const precache = __AE_DEMO_PRECACHE__;
const urls = precacheUrls(precache, assetsBase(sw.location.href));
const immutable = new Set(urls.filter((_, i) => precache.files[i].immutable));
const listed = new Set(urls);
const names = cacheNames(sw.registration.scope, precache.version);

/** Whole same-origin answers only: no errors, opaque or partial responses. */
const keepable = (response: Response) => response.type === 'basic' && response.status === 200;

/**
 * A copy that does not say it was redirected: browsers refuse a redirected
 * response for a navigation, and hosts that drop `.html` (`/index.html` → `/`)
 * redirect the precache's request.
 */
async function unredirected(response: Response): Promise<Response> {
  const { status, statusText, headers } = response;
  return new Response(await response.blob(), { status, statusText, headers });
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(names.precache);
      await Promise.all(
        urls.map(async (url, i) => {
          if (await cache.match(url)) return; // an install that was interrupted
          const hashed = precache.files[i].immutable;
          // A hashed file from an older build's cache or the HTTP cache is this
          // very file; anything else is revalidated with the server.
          const response =
            (hashed ? await caches.match(url) : undefined) ??
            (await fetch(url, { cache: hashed ? 'default' : 'no-cache' }));
          if (!response.ok) {
            throw new Error(`ae-demo-sw: ${url} answered ${response.status}; not installed.`);
          }
          await cache.put(url, response.redirected ? await unredirected(response) : response);
        }),
      );
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(staleCaches(await caches.keys(), names).map((name) => caches.delete(name)));
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const how = route(request, sw.location.origin, immutable);
  if (how === 'pass') return;
  const key = request.url.split('#', 1)[0];
  if (how === 'cache-first') {
    event.respondWith(
      caches
        .open(names.precache)
        .then((cache) => cache.match(key))
        .then((cached) => cached ?? fetch(request)),
    );
    return;
  }
  event.respondWith(
    fetch(request).then(
      (response) => {
        // Pages and the build's own files only: an author's data-src (a CSV can be
        // 100 MB) or anything else the page fetches is not hoarded.
        const store = request.mode === 'navigate' || listed.has(key);
        if (store && keepable(response)) {
          const copy = response.clone();
          event.waitUntil(caches.open(names.runtime).then((cache) => cache.put(key, copy)));
        }
        return response;
      },
      async (error: unknown) => {
        for (const url of fallbackUrls(key)) {
          for (const name of [names.runtime, names.precache]) {
            const cached = await (await caches.open(name)).match(url);
            if (cached) return cached;
          }
        }
        throw error;
      },
    ),
  );
});

sw.addEventListener('message', (event) => {
  const urls = keepUrls(event.data, sw.location.origin, immutable);
  if (urls.length === 0) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(names.runtime);
      await Promise.all(
        urls.map(async (url) => {
          if (await cache.match(url)) return;
          // The page has just loaded it: the HTTP cache usually still has it.
          const response = await fetch(url).catch(() => undefined);
          if (response && keepable(response)) {
            await cache.put(url, response.redirected ? await unredirected(response) : response);
          }
        }),
      );
    })(),
  );
});
