import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/** The types a docs host sends; wasm must be application/wasm for streaming compilation. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
};

/** One request the server answered. */
export interface ServedRequest {
  path: string;
  status: number;
}

/** A running static server. */
export interface StaticServer {
  /** The origin with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  origin: string;
  /** The URL of the served folder: the origin plus `prefix`. */
  url: string;
  /** Every request so far, in order of arrival. */
  requests: ServedRequest[];
  close(): Promise<void>;
}

/** Options of {@link serveStatic}. */
export interface StaticServerOptions {
  /** URL path the folder is served under, e.g. `/docs/`; other paths get 404. Default `/`. */
  prefix?: string;
  /** Headers added to every response (CSP, COOP/COEP…), errors included. */
  headers?: Record<string, string>;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** Extra files under `prefix`: URL name (e.g. `__probe.js`) → path on disk. */
  files?: Record<string, string>;
  /** Rewrites every HTML page before it is sent (the URL path is given). */
  transformHtml?: (html: string, path: string) => string;
  /**
   * Sends `file.br` or `file.gz` when it exists and the request accepts it, as
   * nginx's `brotli_static` / `gzip_static` and Caddy's `precompressed` do
   * (scripts/precompress.mjs writes them). Default false.
   */
  precompressed?: boolean;
}

/**
 * A plain static server for `root` on a free port of 127.0.0.1, the way a docs
 * host serves files: no rewrites, no special headers unless asked, `index.html`
 * for a folder, 404 for anything else. Records every request it answers.
 */
export async function serveStatic(
  root: string,
  {
    prefix = '/',
    headers = {},
    port: wanted = 0,
    files = {},
    transformHtml,
    precompressed = false,
  }: StaticServerOptions = {},
): Promise<StaticServer> {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const top = normalize(root.endsWith(sep) ? root : root + sep);
  const requests: ServedRequest[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const send = (
      status: number,
      type: string,
      body: Buffer | string,
      extra: Record<string, string> = {},
    ) => {
      requests.push({ path, status });
      response.writeHead(status, { ...headers, ...extra, 'Content-Type': type }).end(body);
    };
    const accepted = String(request.headers['accept-encoding'] ?? '');
    /** The body to send for `name`, precompressed when there is a copy the request accepts. */
    const read = async (
      name: string,
    ): Promise<{ body: Buffer; extra?: Record<string, string> }> => {
      if (precompressed && !(transformHtml && extname(name) === '.html')) {
        for (const [encoding, suffix] of [
          ['br', '.br'],
          ['gzip', '.gz'],
        ] as const) {
          if (!new RegExp(`\\b${encoding}\\b`).test(accepted)) continue;
          const body = await readFile(name + suffix).catch(() => undefined);
          if (body)
            return { body, extra: { 'Content-Encoding': encoding, Vary: 'Accept-Encoding' } };
        }
      }
      return { body: await readFile(name) };
    };
    if (!path.startsWith(base)) {
      send(404, 'text/plain', 'not found');
      return;
    }
    const name = decodeURIComponent(path.slice(base.length));
    let file = files[name] ?? normalize(join(top, name));
    if (!files[name] && !file.startsWith(top)) {
      send(403, 'text/plain', 'forbidden');
      return;
    }
    stat(file)
      .then((s) => (s.isDirectory() ? (file = join(file, 'index.html')) : file))
      .then((name) => read(name))
      .then(
        ({ body, extra }) =>
          transformHtml && extname(file) === '.html'
            ? send(200, TYPES['.html'], transformHtml(body.toString('utf8'), path))
            : send(200, TYPES[extname(file)] ?? 'application/octet-stream', body, extra),
        () => send(404, 'text/plain', 'not found'),
      );
  });
  await new Promise<void>((resolve) => server.listen(wanted, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}/`;
  return {
    origin,
    url: new URL(base, origin).href,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
