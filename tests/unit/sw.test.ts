import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import {
  buildServiceWorker,
  listFiles,
  precacheManifest,
  SW_FILE,
} from '../../scripts/build-sw.mjs';
import {
  assetsBase,
  cacheNames,
  fallbackUrls,
  KEEP_MESSAGE,
  keepUrls,
  route,
  staleCaches,
} from '../../src/sw/precache.ts';

const ORIGIN = 'https://docs.example';
const HASHED = `${ORIGIN}/docs/ae-demo/assets/worker-dRFzOmIR.js`;
const immutable = new Set([HASHED]);

function request(url: string, init: { method?: string; mode?: string; cache?: string } = {}) {
  return { method: 'GET', mode: 'cors', url, headers: new Set<string>(), ...init };
}

describe('service worker decisions (src/sw/precache.ts)', () => {
  it('names caches per scope, and deletes only its own older builds', () => {
    const docs = cacheNames(`${ORIGIN}/docs/`, 'v2');
    const site = cacheNames(`${ORIGIN}/`, 'v1');
    assert.notEqual(docs.precache, site.precache);
    const all = [
      docs.precache,
      docs.runtime,
      cacheNames(`${ORIGIN}/docs/`, 'v1').precache,
      site.precache,
      site.runtime,
      'someone-else',
    ];
    assert.deepEqual(staleCaches(all, docs), [cacheNames(`${ORIGIN}/docs/`, 'v1').precache]);
    assert.deepEqual(staleCaches(all, site), [], "a site's worker keeps an embedded copy's caches");
  });

  it('finds the files next to the script, or in the folder ?assets= names, on its origin only', () => {
    assert.equal(assetsBase(`${ORIGIN}/docs/demo/ae-demo-sw.js`).href, `${ORIGIN}/docs/demo/`);
    for (const assets of ['deep/ae-demo/', 'deep/ae-demo', './deep/ae-demo/']) {
      assert.equal(
        assetsBase(`${ORIGIN}/docs/ae-demo-sw.js?assets=${encodeURIComponent(assets)}`).href,
        `${ORIGIN}/docs/deep/ae-demo/`,
      );
    }
    assert.equal(
      assetsBase(`${ORIGIN}/docs/guide/ae-demo-sw.js?assets=../ae-demo/`).href,
      `${ORIGIN}/docs/ae-demo/`,
    );
    assert.throws(
      () => assetsBase(`${ORIGIN}/ae-demo-sw.js?assets=https://cdn.example/x/`),
      /must be a folder of https:\/\/docs\.example/,
    );
  });

  it('answers hashed files from the cache, pages and the rest network-first, and leaves others', () => {
    assert.equal(route(request(HASHED), ORIGIN, immutable), 'cache-first');
    assert.equal(route(request(`${HASHED}#x`), ORIGIN, immutable), 'cache-first');
    assert.equal(route(request(`${HASHED}?v=2`), ORIGIN, immutable), 'network-first');
    assert.equal(
      route(request(`${ORIGIN}/docs/guide/`, { mode: 'navigate' }), ORIGIN, immutable),
      'network-first',
    );
    assert.equal(
      route(request(`${ORIGIN}/docs/ae-demo/ae-demo.js`), ORIGIN, immutable),
      'network-first',
      'the unhashed entry script changes with each deploy',
    );
    assert.equal(route(request(HASHED, { method: 'POST' }), ORIGIN, immutable), 'pass');
    assert.equal(route(request(HASHED, { cache: 'no-store' }), ORIGIN, immutable), 'pass');
    const ranged = { ...request(HASHED), headers: new Set(['range']) };
    assert.equal(route(ranged, ORIGIN, immutable), 'pass');
    assert.equal(route(request('https://cdn.example/lib.js'), ORIGIN, immutable), 'pass');
  });

  it('falls back to the URL without its query, and to index.html for a folder', () => {
    assert.deepEqual(fallbackUrls(`${ORIGIN}/docs/demo/?x=1#top`), [
      `${ORIGIN}/docs/demo/?x=1`,
      `${ORIGIN}/docs/demo/`,
      `${ORIGIN}/docs/demo/index.html`,
    ]);
    assert.deepEqual(fallbackUrls(`${ORIGIN}/docs/guide/page.html`), [
      `${ORIGIN}/docs/guide/page.html`,
    ]);
  });

  it("keeps a page's same-origin files on request, nothing else", () => {
    const urls = [
      `${ORIGIN}/docs/guide/page.html#intro`,
      `${ORIGIN}/docs/guide/page.html`,
      `${ORIGIN}/docs/guide/guide.css`,
      HASHED,
      'https://cdn.example/font.woff2',
      'not a url',
      42,
    ];
    assert.deepEqual(keepUrls({ type: KEEP_MESSAGE, urls }, ORIGIN, immutable), [
      `${ORIGIN}/docs/guide/page.html`,
      `${ORIGIN}/docs/guide/guide.css`,
    ]);
    assert.deepEqual(keepUrls({ type: 'other', urls }, ORIGIN, immutable), []);
    assert.deepEqual(keepUrls({ type: KEEP_MESSAGE, urls: 'x' }, ORIGIN, immutable), []);
    assert.deepEqual(keepUrls(null, ORIGIN, immutable), []);
  });
});

describe('scripts/build-sw.mjs', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ae-demo-sw-'));
    await mkdir(join(dir, 'assets'));
    await mkdir(join(dir, '.cache'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'assets/worker-abc12345.js'), 'postMessage(1)');
    await writeFile(join(dir, 'assets/weights-def67890.bin'), new Uint8Array([1, 2, 3]));
    await writeFile(join(dir, '.cache/x'), 'ignored');
    await writeFile(join(dir, '.DS_Store'), 'ignored');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lists every file but dotfiles and itself; assets/ names are hashed', async () => {
    await writeFile(join(dir, SW_FILE), 'an older one');
    assert.deepEqual(await listFiles(dir), [
      'assets/weights-def67890.bin',
      'assets/worker-abc12345.js',
      'index.html',
    ]);
    const { files, bytes } = await precacheManifest(dir);
    assert.deepEqual(
      files.map((f) => [f.path, f.immutable]),
      [
        ['assets/weights-def67890.bin', true],
        ['assets/worker-abc12345.js', true],
        ['index.html', false],
      ],
    );
    assert.equal(bytes, 3 + 14 + 15);
  });

  it('changes the version with any content, not with its own output', async () => {
    const first = (await precacheManifest(dir)).version;
    assert.match(first, /^[0-9a-f]{16}$/);
    await writeFile(join(dir, SW_FILE), 'rebuilt');
    assert.equal((await precacheManifest(dir)).version, first);
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>new</title>');
    assert.notEqual((await precacheManifest(dir)).version, first);
  });

  it('writes one classic script (no import/export) carrying the list', async () => {
    const { file, version } = await buildServiceWorker(dir);
    assert.equal(file, join(dir, SW_FILE));
    const code = await readFile(file, 'utf8');
    assert.doesNotThrow(() => new Script(code), 'parses as a classic script');
    assert.doesNotMatch(code, /^\s*(import|export)\s/m);
    assert.match(code, new RegExp(`"version":\\s*"${version}"`));
    assert.match(code, /"path":\s*"assets\/worker-abc12345\.js",\s*"immutable":\s*true/);
    assert.ok(!code.includes('__AE_DEMO_PRECACHE__'));
  });
});
