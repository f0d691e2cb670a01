// Builds examples/plain into dist/examples/plain: the page as it is, with
// dist/standalone copied next to it as ae-demo/, the way an author installs it.
// (The VitePress example is built by `vitepress build examples/vitepress`.)
import { cpSync, existsSync, rmSync } from 'node:fs';

const standalone = new URL('../dist/standalone/', import.meta.url);
const page = new URL('../examples/plain/', import.meta.url);
const out = new URL('../dist/examples/plain/', import.meta.url);
if (!existsSync(new URL('ae-demo.js', standalone))) {
  console.error(
    'build-examples: dist/standalone/ is missing; run `npm run build:standalone` first.',
  );
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
cpSync(page, out, { recursive: true });
cpSync(standalone, new URL('ae-demo/', out), { recursive: true });
console.log('build-examples: wrote dist/examples/plain/ (the page and ae-demo/)');
