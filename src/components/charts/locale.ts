// The real constructor, whatever deferIntl puts in its place meanwhile.
const RealNumberFormat = Intl.NumberFormat;

/**
 * A locale tag that `Intl` accepts: `tag` itself when valid, else the
 * runtime's default locale, else `en-US`. WebKitGTK reports
 * `navigator.language` as `C` under `LANG=C.UTF-8`, which `Intl` rejects.
 */
export function usableLocale(tag: string | undefined): string {
  if (tag && accepted(tag)) return tag;
  try {
    // What Intl resolves its own default to, so a tag it accepts.
    return new RealNumberFormat().resolvedOptions().locale;
  } catch {
    return 'en-US';
  }
}

function accepted(tag: string | undefined): boolean {
  try {
    new RealNumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

type Locales = string | readonly string[] | undefined;

/**
 * Until the returned function is called, `Intl.NumberFormat` and
 * `Intl.DateTimeFormat` make stand-ins that create the real formatter (in a
 * locale Intl accepts, see usableLocale) only when it is first used; the date
 * format's `resolvedOptions().timeZone`, read at once, is `UTC`.
 *
 * uPlot makes both when its module loads (charts.ts defers them around its
 * import). The page's first Intl object is ICU starting up: 12–70 ms of the
 * main thread here, one long task of 50–280 ms at 4× CPU throttling, and the
 * charts never use either: every axis has its own formatter, no chart has a
 * legend, none a time scale (the only user of uPlot's time zone). And
 * `navigator.language` = `C` (WebKitGTK) no longer throws there.
 */
export function deferIntl(): () => void {
  const { NumberFormat, DateTimeFormat } = Intl;
  const locale = (locales: Locales) =>
    usableLocale(typeof locales === 'string' ? locales : locales?.[0]);
  function LazyNumberFormat(locales?: Locales, options?: Intl.NumberFormatOptions) {
    let made: Intl.NumberFormat | undefined;
    const real = () => (made ??= new NumberFormat(locale(locales), options));
    return {
      format: (value: number | bigint) => real().format(value),
      formatToParts: (value: number | bigint) => real().formatToParts(value),
      resolvedOptions: () => real().resolvedOptions(),
    };
  }
  function LazyDateTimeFormat(locales?: Locales, options?: Intl.DateTimeFormatOptions) {
    let made: Intl.DateTimeFormat | undefined;
    const real = () => (made ??= new DateTimeFormat(locale(locales), options));
    return {
      format: (date?: Date | number) => real().format(date),
      formatToParts: (date?: Date | number) => real().formatToParts(date),
      resolvedOptions: () => ({ timeZone: 'UTC' }),
    };
  }
  Intl.NumberFormat = LazyNumberFormat as unknown as typeof Intl.NumberFormat;
  Intl.DateTimeFormat = LazyDateTimeFormat as unknown as typeof Intl.DateTimeFormat;
  return () => {
    Intl.NumberFormat = NumberFormat;
    Intl.DateTimeFormat = DateTimeFormat;
  };
}
