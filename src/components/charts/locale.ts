/**
 * A locale tag that `Intl` accepts: `tag` itself when valid, else the
 * runtime's default locale, else `en-US`. WebKitGTK reports
 * `navigator.language` as `C` under `LANG=C.UTF-8`, which `Intl` rejects.
 */
export function usableLocale(tag: string | undefined): string {
  if (tag && accepted(tag)) return tag;
  try {
    // What Intl resolves its own default to, so a tag it accepts.
    return new Intl.NumberFormat().resolvedOptions().locale;
  } catch {
    return 'en-US';
  }
}

function accepted(tag: string | undefined): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `nav.language` a tag `Intl` accepts, if it is not one already: uPlot
 * calls `new Intl.NumberFormat(navigator.language)` when its module loads, and
 * a `RangeError` there would leave every chart blank. A valid language is
 * never touched.
 */
export function ensureUsableLanguage(nav: { language: string } | undefined): void {
  if (!nav) return;
  const language = nav.language;
  const usable = usableLocale(language);
  if (usable !== language) {
    Object.defineProperty(nav, 'language', { configurable: true, get: () => usable });
  }
}

ensureUsableLanguage(globalThis.navigator);
