import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureUsableLanguage, usableLocale } from '../../src/components/charts/locale.ts';

test('usableLocale keeps a tag Intl accepts', () => {
  assert.equal(usableLocale('de-CH'), 'de-CH');
  assert.equal(usableLocale('en-US'), 'en-US');
});

test('usableLocale replaces what Intl rejects (WebKitGTK under LANG=C.UTF-8 reports "C")', () => {
  assert.throws(() => new Intl.NumberFormat('C'), RangeError);
  for (const bad of ['C', 'C.UTF-8', '', undefined]) {
    const tag = usableLocale(bad);
    assert.ok(tag.length > 0);
    assert.doesNotThrow(() => new Intl.NumberFormat(tag), `usableLocale(${bad}) gave ${tag}`);
  }
});

test('ensureUsableLanguage fixes navigator.language only when Intl rejects it', () => {
  const bad = { language: 'C' };
  ensureUsableLanguage(bad);
  assert.notEqual(bad.language, 'C');
  assert.doesNotThrow(() => new Intl.NumberFormat(bad.language));

  const good = { language: 'fr-FR' };
  ensureUsableLanguage(good);
  assert.equal(good.language, 'fr-FR');
  assert.deepEqual(Object.getOwnPropertyDescriptor(good, 'language')?.value, 'fr-FR');
});
