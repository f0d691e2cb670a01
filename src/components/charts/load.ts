import { codeLoadFailed } from '../../core/errors.ts';

/** The chart module (uPlot and the chart factories). */
export type Charts = typeof import('./charts.ts');

let charts: Promise<Charts> | undefined;

/**
 * The chart module, loaded once per page on first use (it is not part of the
 * element's first script). A failure is kept: JavaScriptCore lets a later
 * import of a module that threw resolve to a half-initialised copy, so the
 * page says the charts could not load rather than failing anew in every draw.
 */
export function loadCharts(): Promise<Charts> {
  charts ??= import('./charts.ts').catch((cause: unknown) => {
    throw codeLoadFailed('The charts', cause);
  });
  return charts;
}

/**
 * The chart module, or undefined once `failed` has been given the reason it
 * could not load: each figure says so in its own box.
 */
export async function chartsOr(failed: (error: unknown) => void): Promise<Charts | undefined> {
  try {
    return await loadCharts();
  } catch (error) {
    failed(error);
    return undefined;
  }
}

/**
 * Shows `error` in words in a chart's box, in place of the chart: a figure
 * whose chart cannot be drawn is never left blank.
 */
export function showChartError(box: HTMLElement, error: unknown): void {
  const text = document.createElement('p');
  text.className = 'chart-error';
  text.dataset.chartError = '';
  text.textContent = error instanceof Error ? error.message : String(error);
  box.replaceChildren(text);
}
