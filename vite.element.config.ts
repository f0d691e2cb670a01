import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { elementBuild } from './vite.standalone.config.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Leaves out of this build every file that `dir` (the standalone build, built
 * first) already holds byte for byte (the worker and its chunks, the wasm, the
 * MNIST data, the shipped models, the charts) and points the files that stay
 * at that copy instead: `./assets/worker-….js` becomes
 * `../standalone/assets/worker-….js`. So the package carries one copy of the
 * heavy files, and the standalone folder still works copied alone. A shared
 * JavaScript file keeps its own relative references, so it is shared only when
 * everything it references is shared too; names carry content hashes, so a
 * reference can only mean one file.
 */
function shareWith(dir: string): Plugin {
  const other = resolve(root, dir);
  // A relative reference as the bundles write it: an import specifier or a literal URL.
  const reference = /(["'`])(\.{1,2}\/[\w./-]+)\1/g;
  return {
    name: 'ae-demo-share-with-standalone',
    apply: 'build',
    generateBundle: {
      // After literalFileUrls, so that both builds' files are compared in their final form.
      order: 'post',
      handler(options, bundle) {
        if (!existsSync(join(other, 'ae-demo.js'))) {
          this.error(`${dir}/ is missing: run \`npm run build:standalone\` before this build.`);
        }
        const outDir = resolve(root, options.dir ?? '.');
        const text = (name: string): string | undefined => {
          const out = bundle[name];
          if (out.type === 'chunk') return out.code;
          return name.endsWith('.js') && typeof out.source === 'string' ? out.source : undefined;
        };
        const bytes = (name: string): Buffer => {
          const out = bundle[name];
          return Buffer.from(out.type === 'chunk' ? out.code : out.source);
        };
        /** The bundle's files that `name` references. */
        const referenced = (name: string): string[] =>
          [...(text(name) ?? '').matchAll(reference)]
            .map((m) => posix.join(posix.dirname(name), m[2]))
            .filter((target) => target in bundle);

        const shared = new Set(
          Object.keys(bundle).filter((name) => {
            const copy = join(other, name);
            return existsSync(copy) && readFileSync(copy).equals(bytes(name));
          }),
        );
        for (let changed = true; changed;) {
          changed = false;
          for (const name of shared) {
            if (referenced(name).some((target) => !shared.has(target))) {
              shared.delete(name);
              changed = true;
            }
          }
        }
        for (const name of Object.keys(bundle)) {
          if (shared.has(name) || text(name) === undefined) continue;
          const from = dirname(join(outDir, name));
          const rewritten = text(name)!.replace(reference, (match, q: string, path: string) => {
            const target = posix.join(posix.dirname(name), path);
            if (!shared.has(target)) return match;
            const there = relative(from, join(other, target)).split('\\').join('/');
            return `${q}${there.startsWith('.') ? there : `./${there}`}${q}`;
          });
          const out = bundle[name];
          if (out.type === 'chunk') out.code = rewritten;
          else out.source = rewritten;
        }
        let sharedBytes = 0;
        for (const name of shared) {
          sharedBytes += bytes(name).length;
          delete bundle[name];
        }
        this.info(
          `shares ${shared.size} files (${(sharedBytes / 1e6).toFixed(1)} MB) with ${dir}/`,
        );
      },
    },
  };
}

/**
 * dist/element/: the npm build of `<ae-demo>` (package export `ae-demo/element`).
 * Lit stays a bare import, so a page that already uses Lit loads one copy. Its
 * own files are the ones that import Lit; the worker, wasm, data and models it
 * loads from ../standalone/assets/ (shareWith), which must ship beside it.
 */
const base = elementBuild('dist/element', /^(lit|lit-html|lit-element|@lit\/[^/]+)(\/.*)?$/);

export default defineConfig({
  ...base,
  plugins: [...(base.plugins ?? []), shareWith('dist/standalone')],
});
