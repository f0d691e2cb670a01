/**
 * `v` the way `Intl.NumberFormat('en-US')` writes it (10,000 · 0.125 · -2.5),
 * rounded to at most `maxFraction` decimals, without Intl: the page's first
 * Intl object costs its main thread a long task (ICU starting up, see
 * charts/locale.ts), and these are the only numbers the element formats.
 */
export function formatNumber(v: number, maxFraction = 3): string {
  if (!Number.isFinite(v)) return String(v);
  let text = Math.abs(v).toFixed(maxFraction);
  if (maxFraction > 0) text = text.replace(/\.?0+$/, '');
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = v < 0 && /[1-9]/.test(text) ? '-' : '';
  return `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
}
