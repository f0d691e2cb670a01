import type { ChartTheme } from './charts.ts';

/**
 * A short string naming a chart theme's colours and font. A chart stores the
 * one it was drawn with (and its box shows it as `data-theme`), so a change of
 * colour scheme, which changes the element's custom properties, tells which
 * charts to draw again.
 */
export function themeSignature(theme: ChartTheme): string {
  return [theme.fg, theme.grid, theme.accent, theme.font].join('|');
}
