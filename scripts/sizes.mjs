// Prints every file of dist/standalone/ and dist/element/ with its size (and
// gzip size for JavaScript, .wasm and .json), then what a page loads before
// anything else: ae-demo.js and the chunks it imports statically (the charts,
// the model views and TF.js load later). Run after `npm run build`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** `entry` and every relative module it imports statically, transitively. */
function staticGraph(entry) {
  const seen = new Set([entry]);
  for (const file of seen) {
    const code = readFileSync(file, 'utf8');
    // Static imports only: `import … from "./x.js"` and bare `import "./x.js"`, not import().
    for (const m of code.matchAll(
      /(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
    )) {
      seen.add(join(dirname(file), m[1]));
    }
  }
  return [...seen];
}

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
  if (build === 'element') {
    console.log(
      '  (its worker, wasm, data, models and charts are the files of dist/standalone/assets/)',
    );
  }
  const first = staticGraph(join(dir, 'ae-demo.js'));
  const firstGzip = first.reduce((sum, file) => sum + gzip(file), 0);
  console.log(`  entry ae-demo.js: ${kB(gzip(join(dir, 'ae-demo.js')))} gzip`);
  console.log(
    `  first load (ae-demo.js and its static imports, ${first.length} files): ${kB(firstGzip)} gzip\n`,
  );
}
