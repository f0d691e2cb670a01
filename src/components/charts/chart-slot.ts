import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type uPlot from 'uplot';
import type { ChartTheme } from './charts.ts';
import { chartsOr, type Charts } from './load.ts';
import { paintSlot } from './paint-queue.ts';
import { themeSignature } from './theme.ts';

/** What a slot holds: a uPlot chart and whatever its maker returned with it. */
export interface Drawn {
  chart: uPlot;
}

/**
 * The one place that keeps a chart in a box: loads the chart module on
 * first use (a failure is shown in the box, through `failed`), draws on a
 * paint slot of its own (no long task on the page's main thread), lets the
 * newest draw win, skips a draw of what the box already shows in the same
 * colours, replaces the chart where it stands (a restyle never blanks it),
 * follows the box's width, and says in the box what it shows
 * (`data-drawn`, `data-theme`) for tests and tools. A controller of the
 * element it draws in: the chart goes when the element leaves the page.
 */
export class ChartSlot<T extends Drawn = Drawn> implements ReactiveController {
  private made: T | undefined;
  private box: HTMLElement | undefined;
  private shows = '';
  private generation = 0;
  private resizeObserver: ResizeObserver | undefined;

  private readonly failed: (box: HTMLElement, error: unknown) => void;
  private readonly resized: (made: T) => void;
  private readonly minWidth: number;

  constructor(
    host: ReactiveControllerHost,
    options: {
      /** Shows in the box that the chart could not be drawn (and fires ae-error). */
      failed: (box: HTMLElement, error: unknown) => void;
      /** After the chart takes a new width (a scatter places its marks again). */
      resized?: (made: T) => void;
      /** The narrowest the chart is drawn, in CSS pixels; default 200. */
      minWidth?: number;
    },
  ) {
    host.addController(this);
    this.failed = options.failed;
    this.resized = options.resized ?? (() => {});
    this.minWidth = options.minWidth ?? 200;
  }

  hostDisconnected(): void {
    this.destroy();
  }

  /** The chart drawn now, if any. */
  get current(): T | undefined {
    return this.made;
  }

  /**
   * Draws `make` in `box` unless the box shows `signature` in `theme`
   * already (or is being drawn with them). Resolves to the chart, or
   * undefined when a newer draw took over or the charts could not load.
   */
  async draw(
    box: HTMLElement,
    signature: string,
    theme: ChartTheme,
    make: (charts: Charts, width: number) => T | Promise<T>,
  ): Promise<T | undefined> {
    const shows = `${signature}\n${themeSignature(theme)}`;
    if (this.box === box && this.shows === shows) return this.made;
    if (this.box !== box) this.destroy();
    this.box = box;
    this.shows = shows;
    const generation = ++this.generation;
    const charts = await chartsOr((error) => {
      if (generation === this.generation) this.failed(box, error);
    });
    if (!charts) return undefined;
    await paintSlot();
    if (generation !== this.generation || !box.isConnected) return undefined;
    // Charts are made over several tasks (see charts.ts); a newer draw may have begun meanwhile.
    const made = await make(charts, Math.max(this.minWidth, box.clientWidth));
    if (generation !== this.generation || !box.isConnected) {
      made.chart.destroy();
      return undefined;
    }
    this.made?.chart.destroy();
    this.made = made;
    box.dataset.drawn = signature;
    box.dataset.theme = themeSignature(theme);
    this.follow(box);
    return made;
  }

  private follow(box: HTMLElement): void {
    if (this.resizeObserver) return;
    this.resizeObserver = new ResizeObserver(() => {
      const made = this.made;
      const width = box.clientWidth;
      if (!made || width <= 0 || Math.abs(width - made.chart.width) <= 1) return;
      made.chart.setSize({ width: Math.max(this.minWidth, width), height: made.chart.height });
      this.resized(made);
    });
    this.resizeObserver.observe(box);
  }

  /** Removes the chart; a draw under way is dropped. */
  destroy(): void {
    this.generation++;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.made?.chart.destroy();
    this.made = undefined;
    this.box = undefined;
    this.shows = '';
  }
}
