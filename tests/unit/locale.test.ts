import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deferIntl, usableLocale } from '../../src/components/charts/locale.ts';
import { formatNumber } from '../../src/components/shared/format.ts';

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

test('deferIntl: no Intl object is made until one is used, in a locale Intl accepts', () => {
  const { NumberFormat, DateTimeFormat } = Intl;
  const restore = deferIntl();
  try {
    // What uPlot does when its module loads, with WebKitGTK's navigator.language.
    const numbers = new Intl.NumberFormat('C');
    assert.equal(new Intl.DateTimeFormat().resolvedOptions().timeZone, 'UTC');
    assert.notEqual(Intl.NumberFormat, NumberFormat);
    assert.equal(numbers.format(12345.5), new NumberFormat(usableLocale('C')).format(12345.5));
    assert.equal(new Intl.NumberFormat('en-US').format(0.125), '0.125');
  } finally {
    restore();
  }
  assert.equal(Intl.NumberFormat, NumberFormat);
  assert.equal(Intl.DateTimeFormat, DateTimeFormat);
});

test("formatNumber writes numbers as Intl.NumberFormat('en-US') does", () => {
  const intl = new Intl.NumberFormat('en-US');
  const values = [0, 1, 12, 999, 1000, 10000, 12345.678, 1234567, -2.5, 0.1 + 0.2];
  for (const v of [...values, 0.125, -1500.25, 1e-7, 987654321.123]) {
    assert.equal(formatNumber(v), intl.format(v), String(v));
  }
  assert.equal(formatNumber(12345.678, 0), '12,346');
  assert.equal(formatNumber(2000, 0), '2,000');
  // Intl writes "-0" there; an axis tick reads better without the sign.
  assert.equal(formatNumber(-0.0001), '0');
});
