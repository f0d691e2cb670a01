import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '../..');
const pkgText = await readFile(join(root, 'package.json'), 'utf8');
const pkg = JSON.parse(pkgText) as {
  customElements: string;
  files: string[];
};

/** The parts of the Custom Elements Manifest schema this test reads. */
interface Named {
  name: string;
}
interface Declaration extends Named {
  tagName?: string;
  customElement?: boolean;
  attributes?: (Named & { fieldName?: string })[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface Manifest {
  schemaVersion: string;
  modules: {
    path: string;
    declarations?: Declaration[];
    exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
  }[];
}

const names = (list: Named[] | undefined) => (list ?? []).map((x) => x.name).sort();

// The element's public API, as its JSDoc and `static properties` state it.
const attributes = [
  'autostart',
  'components',
  'data-name',
  'data-shape',
  'data-src',
  'epochs',
  'labels-src',
  'latent',
  'method',
  'model-src',
  'model-weights-src',
  'seed',
  'split',
  'test-data-src',
  'test-labels-src',
  'train-epochs',
  'train-preset',
  'train-size',
  'url-state',
  'views',
];
const events = [
  'ae-error',
  'ae-progress',
  'ae-ready',
  'ae-train-epoch',
  'ae-train-progress',
  'ae-trained',
];
const parts = [
  'base',
  'error',
  'figure',
  'link',
  'link-error',
  'models',
  'models-error',
  'open-error',
  'progress',
  'settings-error',
  'status',
  'train',
  'train-error',
  'train-settings',
  'train-status',
];
const cssProperties = [
  '--ae-demo-accent',
  '--ae-demo-bg',
  '--ae-demo-error',
  '--ae-demo-fg',
  '--ae-demo-font',
  '--ae-demo-grid',
  '--ae-demo-muted',
];

describe('custom-elements.json', () => {
  let dir: string;
  let manifest: Manifest;

  // The analyzer itself, with the repository's config, into a temporary directory
  // (about a second), so the test reads the current source rather than an old build.
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ae-demo-cem-'));
    const cli = join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
    // The analyzer joins --outdir onto its working directory, so it has to be relative.
    await promisify(execFile)(
      process.execPath,
      [cli, 'analyze', '--quiet', '--outdir', relative(root, dir)],
      { cwd: root },
    );
    manifest = JSON.parse(await readFile(join(dir, 'custom-elements.json'), 'utf8'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const element = () => {
    const found = manifest.modules.flatMap((m) =>
      (m.declarations ?? []).map((d) => ({ path: m.path, declaration: d })),
    );
    const elements = found.filter((x) => x.declaration.customElement);
    assert.deepEqual(
      elements.map((x) => x.declaration.tagName),
      ['ae-demo'],
      'exactly one custom element, <ae-demo>',
    );
    return elements[0];
  };

  test('declares <ae-demo> with its attributes, events, parts and CSS properties', () => {
    const { declaration } = element();
    assert.equal(declaration.name, 'AeDemo');
    assert.deepEqual(names(declaration.attributes), attributes);
    assert.deepEqual(names(declaration.events), events);
    assert.deepEqual(names(declaration.cssParts), parts);
    assert.deepEqual(names(declaration.cssProperties), cssProperties);
  });

  test('registers the tag in the define file', () => {
    const definitions = manifest.modules.flatMap((m) =>
      (m.exports ?? [])
        .filter((e) => e.kind === 'custom-element-definition')
        .map((e) => ({ path: m.path, name: e.name, declaration: e.declaration })),
    );
    assert.deepEqual(definitions, [
      {
        path: 'dist/lib/components/ae-demo/ae-demo.js',
        name: 'ae-demo',
        declaration: { name: 'AeDemo', module: 'dist/lib/components/ae-demo/ae-demo.component.js' },
      },
    ]);
  });

  test('names the JavaScript that the library build emits for each module', () => {
    for (const { path } of manifest.modules) {
      assert.match(path, /^dist\/lib\/.*\.js$/);
      const source = path.replace(/^dist\/lib\/(.*)\.js$/, 'src/$1.ts');
      assert.ok(existsSync(join(root, source)), `${path} is built from ${source}`);
    }
  });

  test('package.json points at the manifest, and the package ships it', async () => {
    assert.equal(pkg.customElements, 'dist/lib/custom-elements.json');
    assert.ok(
      pkg.files.some((f) => pkg.customElements.startsWith(`${f}/`)),
      `"files" ${JSON.stringify(pkg.files)} include ${pkg.customElements}`,
    );
    // The analyzer rewrites `customElements` unless its config says `packagejson: false`.
    assert.equal(
      await readFile(join(root, 'package.json'), 'utf8'),
      pkgText,
      'analyzing left package.json alone',
    );
  });
});
