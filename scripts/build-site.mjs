// Builds the demo site into dist/site: web/'s page as it is, with dist/standalone
// copied next to it as ae-demo/, the way an author embeds the element. So the
// demo and every browser test that loads it run the standalone bundle itself.
// (scripts/build-sw.mjs then adds the service worker.)
import { cpSync, existsSync, rmSync } from 'node:fs';

const web = new URL('../web/', import.meta.url);
const standalone = new URL('../dist/standalone/', import.meta.url);
const out = new URL('../dist/site/', import.meta.url);
if (!existsSync(new URL('ae-demo.js', standalone))) {
  console.error('build-site: dist/standalone/ is missing; run `npm run build:standalone` first.');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
for (const file of ['index.html', 'page.css', 'favicon.svg', 'register-sw.js']) {
  cpSync(new URL(file, web), new URL(file, out));
}
// The site's own service worker covers the folder; the standalone's copy would only confuse.
cpSync(standalone, new URL('ae-demo/', out), {
  recursive: true,
  filter: (src) => !src.endsWith('/ae-demo-sw.js'),
});
console.log('build-site: wrote dist/site/ (the page and ae-demo/)');
