import { createRequire } from 'node:module';
import { defineConfig } from 'vitepress';

/**
 * A VitePress docs site with `<ae-demo>` on a page, built by `npm run build:examples`.
 * The page imports `ae-demo/element`, the package's npm build, resolved through
 * package.json's `exports` (Node's self-reference: this folder is inside the
 * package), so the build goes through a real bundler the way a user's does.
 */
const element = createRequire(import.meta.url).resolve('ae-demo/element');
// The sub-path the site is served from; the e2e test serves it there too.
const base = '/ae-demo/';

export default defineConfig({
  title: 'ae-demo in VitePress',
  description: 'PCA vs autoencoders on MNIST, inside a VitePress page.',
  base,
  head: [['link', { rel: 'icon', href: `${base}favicon.svg`, type: 'image/svg+xml' }]],
  outDir: '../../dist/examples/vitepress',
  cleanUrls: false,
  vue: {
    template: {
      // <ae-demo> is a custom element, not a Vue component.
      compilerOptions: { isCustomElement: (tag) => tag === 'ae-demo' },
    },
  },
  vite: {
    resolve: { alias: { 'ae-demo/element': element } },
    // A worker inside a dependency breaks in the dependency optimizer (vite#8427).
    optimizeDeps: { exclude: ['ae-demo'] },
    // The element's worker splits into chunks (TF.js loads lazily).
    worker: { format: 'es' },
    // The shipped models' small .json files stay files: inlined as data: URLs,
    // a Content-Security-Policy without data: in connect-src would block them.
    build: { assetsInlineLimit: 0 },
  },
});
