import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SHORT_URL_MAX, shortUrl, shortUrlsIn } from '../../src/core/short-url.ts';

/** A data: URL of `bytes` bytes of `mime`, base64 as Vite inlines an asset. */
const inlined = (mime: string, bytes: number) =>
  `data:${mime};base64,${Buffer.alloc(bytes, 7).toString('base64')}`;

describe('shortUrl', () => {
  test('a data: URL shows its type and size, never its payload', () => {
    // The case met: a 5 kB model.json that a Vite host inlined, shown in an error under a CSP.
    const url = inlined('application/json', 5123);
    assert.ok(url.length > 6000);
    assert.equal(shortUrl(url), 'data:application/json,… (5,123 bytes)');
    assert.equal(shortUrl(inlined('application/wasm', 1)), 'data:application/wasm,… (1 byte)');
    // Sizes to the byte whatever the padding.
    for (const bytes of [0, 1, 2, 3, 4, 100, 101, 102]) {
      assert.equal(
        shortUrl(inlined('a/b', bytes)),
        `data:a/b,… (${bytes} ${bytes === 1 ? 'byte' : 'bytes'})`,
      );
    }
    // Parameters go, the type stays; percent-encoded text counts bytes, not characters.
    assert.equal(shortUrl('data:text/csv;charset=utf-8,0%2C255%0A'), 'data:text/csv,… (6 bytes)');
    assert.equal(shortUrl('data:,h%C3%A9'), 'data:,… (3 bytes)');
    assert.equal(shortUrl('data:text/plain,hé'), 'data:text/plain,… (3 bytes)');
    assert.equal(shortUrl('DATA:image/png;BASE64,AAAA'), 'data:image/png,… (3 bytes)');
    // A URL object too, and a malformed one without a comma.
    assert.equal(
      shortUrl(new URL('data:application/octet-stream;base64,AAAA')),
      'data:application/octet-stream,… (3 bytes)',
    );
    assert.equal(shortUrl(`data:${'x'.repeat(500)}`).length <= SHORT_URL_MAX, true);
  });

  test('short URLs, blob: URLs and names are left as they are', () => {
    for (const url of [
      'blob:http://127.0.0.1:4173/4b2f8a50-6c0e-4f4e-9d3a-0b7e1c2d3e4f',
      'https://example.org/data/t10k-images-idx3-ubyte.gz?v=2',
      'indexeddb://ae-demo-autoencoder',
      'model.json',
      './assets/model-ywAqvdAb.json',
      '',
    ]) {
      assert.equal(shortUrl(url), url);
    }
  });

  test('a long http URL keeps its origin and file name, then the folders that fit', () => {
    const url =
      'http://127.0.0.1:4173/docs/ae-demo/demo/ae-demo/assets/t10k-images-idx3-ubyte-D3xk2QpZ.gz';
    assert.ok(url.length > SHORT_URL_MAX);
    const short = shortUrl(url);
    assert.equal(
      short,
      'http://127.0.0.1:4173/…/demo/ae-demo/assets/t10k-images-idx3-ubyte-D3xk2QpZ.gz',
    );
    assert.ok(short.length <= SHORT_URL_MAX);
    // A long query goes first: the path alone fits here.
    assert.equal(
      shortUrl(`https://cdn.example.org/assets/model.json?token=${'a'.repeat(200)}`),
      'https://cdn.example.org/assets/model.json?…',
    );
    // A long host goes before the file name does.
    const host = `https://${'sub.'.repeat(20)}example.org/x/y/weights.bin`;
    assert.equal(shortUrl(host), '…/x/y/weights.bin');
    // Only a file name too long by itself loses its middle, keeping its extension.
    const name = `https://example.org/${'n'.repeat(150)}.weights.bin`;
    const shortName = shortUrl(name);
    assert.equal(shortName.length, SHORT_URL_MAX);
    assert.match(shortName, /^…\/n+…n+\.weights\.bin$/);
  });

  test('never longer than the limit, whatever it is given', () => {
    const inputs = [
      `blob:https://${'h'.repeat(120)}.org/4b2f8a50-6c0e-4f4e-9d3a-0b7e1c2d3e4f`,
      `indexeddb://${'m'.repeat(200)}`,
      `${'folder/'.repeat(30)}file.csv`,
      `C:\\${'dir\\'.repeat(30)}labels.gz`,
      `/${'a'.repeat(300)}`,
      'x'.repeat(300),
      `file:///${'deep/'.repeat(30)}t10k-labels-idx1-ubyte`,
    ];
    for (const input of inputs) {
      for (const max of [SHORT_URL_MAX, 40, 24]) {
        const short = shortUrl(input, max);
        assert.ok(short.length <= max, `${short} (${short.length} > ${max})`);
        assert.ok(short.includes('…'), short);
      }
    }
    assert.equal(shortUrl(`${'folder/'.repeat(30)}file.csv`), `…/${'folder/'.repeat(10)}file.csv`);
    assert.equal(
      shortUrl(`file:///${'deep/'.repeat(30)}t10k-labels-idx1-ubyte`),
      `file:///…/${'deep/'.repeat(9)}t10k-labels-idx1-ubyte`,
    );
    assert.equal(shortUrl(`blob:https://${'h'.repeat(120)}.org/4b2f8a50`), 'blob:…/4b2f8a50');
  });

  test('shortening twice changes nothing', () => {
    for (const url of [
      inlined('application/json', 5123),
      'data:,',
      `https://example.org/${'d/'.repeat(60)}model.json?x=${'1'.repeat(80)}`,
      `${'n'.repeat(200)}.bin`,
    ]) {
      assert.equal(shortUrl(shortUrl(url)), shortUrl(url));
    }
  });
});

describe('shortUrlsIn', () => {
  test("shortens each URL in another error's message, and only URLs", () => {
    const wasm = inlined('application/wasm', 40_000);
    assert.equal(
      shortUrlsIn(`Aborted(failed to load wasm binary file at '${wasm}')`),
      "Aborted(failed to load wasm binary file at 'data:application/wasm,… (40,000 bytes)')",
    );
    const chunk = `http://127.0.0.1:4173/docs/ae-demo/demo/ae-demo/assets/${'x'.repeat(30)}.js`;
    const message = shortUrlsIn(
      `Failed to fetch dynamically imported module: ${chunk}. Then ${chunk}`,
    );
    assert.equal(message.split('…/').length, 3, message);
    assert.match(
      message,
      /^Failed to fetch dynamically imported module: http:\/\/127\.0\.0\.1:4173\/…\/demo\/ae-demo\/assets\/x{30}\.js\. Then /,
    );
    // Words that are not URLs stay, and so do short URLs; it can run twice.
    for (const text of [
      'metadata: none; data: 3 rows; see https://example.org/a.csv.',
      'Could not download data:application/json,… (5,123 bytes): Failed to fetch.',
    ]) {
      assert.equal(shortUrlsIn(text), text);
    }
  });
});
