import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { expectFiguresAndShippedModel, expectVaeSamples } from './demo-checks.ts';
import { collectErrors } from './helpers.ts';
import { SITE_PREFIX } from './site.ts';

/**
 * The site's precompressed copies (scripts/precompress.mjs) as a host with
 * brotli_static sends them: the page works from them, each one the browser
 * got decodes to exactly the file it stands for, and the shipped weights
 * crossed as uint8 in gzip (under a quarter of float32's bytes).
 */
interface ModelJson {
  weightsManifest: {
    weights: { name: string; shape: number[]; quantization?: { dtype: string } }[];
  }[];
}

const SITE = fileURLToPath(new URL('../../dist/site/', import.meta.url));

test('the scripts, wasm and weights arrive brotli-compressed and decode to the built files', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const encoded: { path: string; encoding: string; body: Promise<Buffer> }[] = [];
  const weights: Promise<Buffer>[] = [];
  page.on('response', (response) => {
    const encoding = response.headers()['content-encoding'];
    const path = new URL(response.url()).pathname;
    if (encoding && path.startsWith(SITE_PREFIX)) {
      encoded.push({ path: path.slice(SITE_PREFIX.length), encoding, body: response.body() });
    }
    if (/\/weights[^/]*\.gz$/.test(path)) weights.push(response.body());
  });
  await page.goto('./');
  const demo = page.locator('ae-demo').first();
  await expectFiguresAndShippedModel(demo);
  await expectVaeSamples(demo);

  const kinds = new Set(encoded.map((e) => e.path.split('.').pop()));
  for (const kind of ['js', 'wasm', 'json']) expect(kinds, kind).toContain(kind);
  for (const { path, encoding, body } of encoded) {
    expect(encoding, path).toBe('br');
    const file = path === '' || path.endsWith('/') ? `${path}index.html` : path;
    const built = await readFile(SITE + decodeURIComponent(file));
    expect((await body).equals(built), `${path} decodes to the built file`).toBe(true);
  }
  // The shipped models as the page got them: every weight uint8, one byte per value, in a
  // gzip file (no host compresses .bin files) that the worker gunzips.
  const manifests = await Promise.all(
    encoded
      .filter((e) => /\/model-[^/]+\.json$/.test(e.path))
      .map(async (e) => JSON.parse((await e.body).toString('utf8')) as ModelJson),
  );
  expect(manifests).toHaveLength(2);
  const weightBytes = (await Promise.all(weights))
    .map((b) => {
      expect([b[0], b[1]]).toEqual([0x1f, 0x8b]);
      return gunzipSync(b).byteLength;
    })
    .sort((a, b) => a - b);
  const params = manifests
    .map((m) => {
      const specs = m.weightsManifest.flatMap((g) => g.weights);
      for (const spec of specs) expect(spec.quantization?.dtype, spec.name).toBe('uint8');
      return specs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
    })
    .sort((a, b) => a - b);
  expect(weightBytes).toEqual(params);
  expect(errors).toEqual([]);
});
