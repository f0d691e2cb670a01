/**
 * The server the browser tests load the demo from (playwright.config.ts's
 * webServer): the built dist/site (the page with the standalone folder in
 * ae-demo/) served by the plain static server under a sub-path, the way a
 * docs host serves it, cross-origin isolated as `vite preview` serves it too,
 * sending the build's precompressed copies where the browser accepts them.
 *
 *   node --import tsx tests/e2e/serve-site.ts   (AE_DEMO_PORT, AE_DEMO_SITE_DIR)
 */
import { existsSync } from 'node:fs';
import { SITE_PREFIX } from './site.ts';
import { serveStatic } from './static-server.ts';

const port = Number(process.env.AE_DEMO_PORT ?? 4173);
const dir = process.env.AE_DEMO_SITE_DIR ?? 'dist/site';
if (!existsSync(`${dir}/ae-demo/ae-demo.js`)) {
  console.error(`serve-site: ${dir} is not a built site; run \`npm run build\` first.`);
  process.exit(1);
}
const server = await serveStatic(dir, {
  prefix: SITE_PREFIX,
  port,
  // Its .br and .gz copies (scripts/precompress.mjs), as a host with gzip_static/brotli_static sends them.
  precompressed: true,
  headers: {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  },
});
console.log(`serve-site: ${dir} at ${server.url}`);
