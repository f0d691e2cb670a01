/**
 * What `npm pack` puts in the tarball, from the built tree (`npm run build`,
 * or `npm run build:package`): the files npm lists with `--dry-run`
 * (`--ignore-scripts`, so prepack does not build again), checked on disk.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  customElements: string;
  scripts: Record<string, string>;
  repository?: { url: string };
  homepage?: string;
  bugs?: { url: string };
};

/**
 * A relative reference a built module makes: `from`, `import()`, `new URL(…, import.meta.url)`
 * (a `new URL` against another base is not one of its files).
 */
const reference =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)(["'`])(\.{1,2}\/[\w./-]+)\1(?!\s*,(?!\s*import\.meta\.url))/g;
const isShipped = (files: Set<string>, path: string) => files.has(posix.normalize(path));

describe('npm pack', () => {
  let files: Set<string>;
  const text = (path: string) => readFile(join(root, path), 'utf8');
  const under = (dir: string) => [...files].filter((f) => f.startsWith(`${dir}/`));

  before(async () => {
    for (const entry of [
      'dist/lib/index.js',
      'dist/standalone/ae-demo.js',
      'dist/element/ae-demo.js',
    ]) {
      assert.ok(existsSync(join(root, entry)), `${entry} is built (npm run build:package)`);
    }
    const { stdout } = await promisify(execFile)(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts'],
      { cwd: root, maxBuffer: 16 << 20 },
    );
    const [result] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    files = new Set(result.files.map((f) => f.path));
  });

  test('ships the license, README, bin and every export', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json']) assert.ok(files.has(file), file);
    const targets = [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((t) =>
        typeof t === 'string' ? [t] : Object.values(t),
      ),
      pkg.customElements,
    ].map((t) => posix.normalize(t));
    for (const target of targets) assert.ok(files.has(target), `${target} is in the package`);
    assert.ok(files.has('dist/lib/cli/main.js'), 'the compiled CLI that bin/ae-demo.js runs');
    assert.ok(files.has('dist/standalone/ae-demo.js'), 'the standalone element');
  });

  test('is built by prepack, and ships none of the repository around it', () => {
    assert.match(pkg.scripts.prepack, /\bbuild:package\b/);
    for (const step of ['kernels', 'data', 'lib', 'manifest', 'standalone', 'element']) {
      assert.match(pkg.scripts['build:package'], new RegExp(`build:${step}\\b`), step);
    }
    const stray = [...files].filter((f) =>
      /^(src|tests|web|examples|scripts|assembly|bench|pretrained|build|dist\/(site|examples|parts))\//.test(
        f,
      ),
    );
    assert.deepEqual(stray, []);
  });

  test('ships the kernels, TF.js wasm, data and models where the library and element load them', () => {
    for (const kernel of ['pca.simd.wasm', 'pca.scalar.wasm']) {
      assert.ok(files.has(`dist/lib/core/wasm/generated/${kernel}`), `dist/lib kernel ${kernel}`);
    }
    const assets = under('dist/standalone/assets').map((f) => posix.basename(f));
    const expect = [
      /^pca\.simd-.+\.wasm$/,
      /^pca\.scalar-.+\.wasm$/,
      /^tfjs-backend-wasm-[^-]+\.wasm$/,
      /^tfjs-backend-wasm-simd-[^-]+\.wasm$/,
      /^tfjs-backend-wasm-threaded-simd-[^-]+\.wasm$/,
      /^t10k-images-idx3-ubyte-.+\.gz$/,
      /^t10k-labels-idx1-ubyte-.+\.gz$/,
      /^train12k-images-idx3-ubyte-.+\.gz$/,
      /^train12k-labels-idx1-ubyte-.+\.gz$/,
      /^compare-.+\.json$/,
      /^worker-.+\.js$/,
    ];
    for (const pattern of expect) {
      assert.ok(
        assets.some((a) => pattern.test(a)),
        `dist/standalone/assets/ has ${pattern}`,
      );
    }
    assert.equal(
      assets.filter((a) => /^weights\.bin-.+\.gz$/.test(a)).length,
      3,
      'AE, VAE and denoising AE weights (gzip)',
    );
    assert.equal(
      assets.filter((a) => /^model-.+\.json$/.test(a)).length,
      3,
      'AE, VAE and denoising AE model.json',
    );
  });

  test('every relative reference in the element, standalone and library entry points resolves to a shipped file', async () => {
    // The element's and standalone's files all; of dist/lib, what the exports and the CLI reach
    // (its component modules, which the exports do not, name files of the repository).
    const queue = [
      ...under('dist/element'),
      ...under('dist/standalone'),
      'dist/lib/index.js',
      'dist/lib/models.js',
      'dist/lib/node.js',
      'dist/lib/cli/main.js',
      'dist/lib/core/pca-thread.js',
      'dist/lib/cli/pool-thread.js',
    ].filter((f) => f.endsWith('.js'));
    const seen = new Set(queue);
    const missing: string[] = [];
    for (const file of queue) {
      for (const [, , path] of (await text(file)).matchAll(reference)) {
        const target = posix.join(posix.dirname(file), path);
        if (!isShipped(files, target)) missing.push(`${file} → ${path}`);
        else if (target.startsWith('dist/lib/') && target.endsWith('.js') && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  test('dist/element and dist/standalone share one copy of each file', async () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const file of [...under('dist/element'), ...under('dist/standalone')]) {
      const hash = createHash('sha256')
        .update(await readFile(join(root, file)))
        .digest('hex');
      const first = owner.get(hash);
      if (first && first.split('/')[1] !== file.split('/')[1]) twice.push(`${first} = ${file}`);
      owner.set(hash, first ?? file);
    }
    assert.deepEqual(twice, []);
    assert.ok(
      under('dist/element').every((f) => !/\.(wasm|gz|bin)$/.test(f)),
      'the element has no wasm, data or weights of its own',
    );
  });

  test('every source map carries its sources', async () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    const hollow: string[] = [];
    for (const file of maps) {
      const map = JSON.parse(await text(file)) as { sources: string[]; sourcesContent?: unknown[] };
      const ok =
        map.sourcesContent?.length === map.sources.length &&
        map.sourcesContent.every((s) => typeof s === 'string');
      if (!ok) hollow.push(file);
    }
    assert.deepEqual(hollow, []);
  });

  test('the license, the links and the README are the registry page’s', async () => {
    assert.match(
      await text('LICENSE'),
      /^MIT License\n\nCopyright \(c\) 2026 the ae-demo authors\n/,
    );
    assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/github\.com\/.+\.git$/);
    assert.match(pkg.homepage ?? '', /^https:\/\//);
    assert.match(pkg.bugs?.url ?? '', /^https:\/\/.+\/issues$/);
    const readme = (await text('README.md')).replace(/^```[^]*?^```$/gm, '');
    // Links and images that the package page cannot follow: relative, to a file not shipped.
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)|<img[^>]*\ssrc="([^"]+)"/g)].map(
      (m) => m[1] ?? m[2],
    );
    assert.ok(links.length > 0, 'the README has links');
    const dangling = links.filter(
      (l) => !/^(https?:|#|mailto:)/.test(l) && !isShipped(files, l.replace(/^\.\//, '')),
    );
    assert.deepEqual(dangling, []);
    // Repository files named in prose are links, since the package does not have them.
    const bare = [
      ...readme.matchAll(
        /(?<!\[)`((?:src|tests|examples|web|scripts|assembly|bench|docs|pretrained)\/[^`\s]*)`(?!\]\()/g,
      ),
    ].map((m) => m[1]);
    assert.deepEqual(bare, []);
  });
});
