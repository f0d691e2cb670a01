// Prints every file of dist/standalone/ and dist/element/ with its size (and
// gzip size for JavaScript, .wasm and .json), then the entry scripts' gzip sizes:
// what a page pays before the worker starts. Run after `npm run build`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

for (const build of ['standalone', 'element']) {
  const dir = join(root, 'dist', build);
  if (!existsSync(dir)) {
    console.error(`sizes: dist/${build}/ is missing; run \`npm run build:${build}\` first.`);
    process.exitCode = 1;
    continue;
  }
  let total = 0;
  console.log(`dist/${build}/`);
  for (const file of files(dir)) {
    const size = statSync(file).size;
    total += size;
    const zipped = /\.(js|wasm|json)$/.test(file) ? `  (gzip ${kB(gzip(file))})` : '';
    console.log(`  ${relative(dir, file).padEnd(56)} ${kB(size).padStart(10)}${zipped}`);
  }
  console.log(`  ${'total'.padEnd(56)} ${kB(total).padStart(10)}`);
  console.log(`  entry ae-demo.js: ${kB(gzip(join(dir, 'ae-demo.js')))} gzip\n`);
}
