import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
};
/**
 * What a gzipping host (GitHub Pages, Netlify, nginx's `gzip_types`) compresses on the fly:
 * text, scripts, JSON, SVG and wasm; not `application/octet-stream` (the weights) nor the
 * gzip data files.
 */
const GZIPPED = new Set(['.html', '.js', '.css', '.json', '.svg', '.wasm']);

/** One file the server sent. */
export interface SentFile {
  path: string;
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
  /** The file's own size (what the browser decodes). */
  raw: number;
  /** Body bytes on the wire: gzip when the host compresses that type, else `raw`. */
  sent: number;
}

/** A running server. */
export interface GzipServer {
  url: string;
  sent: SentFile[];
  close(): Promise<void>;
}

const gz = promisify(gzip);

/**
 * Serves `root` under `prefix` on a free port of 127.0.0.1 the way a gzipping docs host does
 * (cross-origin isolated, as the e2e server and `vite preview` serve the site): each
 * compressible type gzipped (level 6, nginx's and most hosts' default; cached per file), the
 * rest as it is. The build's own `.br`/`.gz` copies are never sent: this is a host that does
 * not look for them. Records every file sent.
 */
export async function serveGzip(root: string, prefix: string): Promise<GzipServer> {
  const top = normalize(root.endsWith(sep) ? root : root + sep);
  const sent: SentFile[] = [];
  const cache = new Map<string, Buffer>();
  const server = createServer((request, response) => {
    const at = Date.now();
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-cache',
    };
    const fail = (status: number) => {
      sent.push({ path, status, at, raw: 0, sent: 0 });
      response.writeHead(status, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    };
    if (!path.startsWith(prefix)) return fail(404);
    let file = normalize(join(top, decodeURIComponent(path.slice(prefix.length))));
    if (!file.startsWith(top)) return fail(403);
    const accepts = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    void (async () => {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (accepts && GZIPPED.has(extname(file))) {
        let zipped = cache.get(file);
        if (!zipped) cache.set(file, (zipped = await gz(body, { level: 6 })));
        sent.push({ path, status: 200, at, raw: body.length, sent: zipped.length });
        response
          .writeHead(200, {
            ...headers,
            'Content-Type': type,
            'Content-Encoding': 'gzip',
            Vary: 'Accept-Encoding',
          })
          .end(zipped);
      } else {
        sent.push({ path, status: 200, at, raw: body.length, sent: body.length });
        response.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
      }
    })().catch(() => fail(404));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
