/**
 * `ae-demo/testing`: Playwright helpers for pages that embed `<ae-demo>`.
 * Wait until the element is ready, read a figure's numbers, run a tiny
 * seeded training, and collect the element's `ae-error` events and the
 * page's long main-thread tasks. Only types come from `@playwright/test`
 * (a peer dependency), so the helpers run with whichever Playwright the
 * project has. The page-side halves are plain functions in {@link inPage},
 * which other drivers (puppeteer, WebDriver) can evaluate too.
 */
import type { Locator, Page } from '@playwright/test';
import type { AeErrorDetail, AeTrainedDetail } from '../components/ae-demo/events.ts';

export type { AeErrorDetail, AeTrainedDetail };

/** What a figure shows, read from the page: its sentence, its numbers and its data attributes. */
export interface FigureReading {
  /** The figure's name: variance, scatter, mse, reconstructions, latent, walk… */
  figure: string;
  /** The text summary under the figure ('' while there is none). */
  summary: string;
  /** Every number in the summary, in order (thousands separators removed). */
  numbers: number[];
  /** The figure element's `data-*` attributes, without the prefix (`figure`, `epochs`…). */
  data: Record<string, string>;
  /** Canvases in the figure, and how many of them are drawn (`data-drawn="true"`). */
  canvases: number;
  drawn: number;
}

/** A main-thread task longer than the threshold, as the Long Tasks API reports it. */
export interface LongTask {
  /** Milliseconds since navigation. */
  start: number;
  duration: number;
}

/**
 * The page-side halves, self-contained (no closures, no imports): pass them
 * to any driver's evaluate. Each searches open shadow roots, which is where
 * the element's figures live.
 */
export const inPage = {
  /** Reads the first figure named `name` under `host` (an `<ae-demo>`), or null if none is there yet. */
  readFigure: (host: Element, name: string): FigureReading | null => {
    const deep = (root: Element | ShadowRoot, match: (el: Element) => boolean): Element[] => {
      const found: Element[] = [];
      const visit = (node: Element | ShadowRoot) => {
        for (const el of Array.from(node.querySelectorAll('*'))) {
          if (match(el)) found.push(el);
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      };
      if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
      visit(root);
      return found;
    };
    const figure = deep(host, (el) => el.getAttribute('data-figure') === name)[0];
    if (!figure) return null;
    const summaryEl =
      deep(figure, (el) => el.getAttribute('data-summary') === name)[0] ??
      deep(host, (el) => el.getAttribute('data-summary') === name)[0];
    const summary = (summaryEl?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const numbers = (summary.match(/-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?/g) ?? []).map((t) =>
      Number(t.replace(/,/g, '')),
    );
    const data: Record<string, string> = {};
    for (const a of Array.from(figure.attributes)) {
      if (a.name.startsWith('data-')) data[a.name.slice(5)] = a.value;
    }
    const canvases = deep(figure, (el) => el.tagName === 'CANVAS');
    return {
      figure: name,
      summary,
      numbers,
      data,
      canvases: canvases.length,
      drawn: canvases.filter((c) => c.getAttribute('data-drawn') === 'true').length,
    };
  },

  /** Starts recording `ae-error` events (run before the page's scripts, e.g. as an init script). */
  recordErrors: (): void => {
    const w = window as unknown as { __aeDemoErrors?: AeErrorDetail[] };
    if (w.__aeDemoErrors) return;
    const errors: AeErrorDetail[] = [];
    w.__aeDemoErrors = errors;
    addEventListener('ae-error', (e) => {
      const { code, message } = (e as CustomEvent<AeErrorDetail>).detail;
      errors.push({ code, message });
    });
  },

  /** Starts recording main-thread tasks over `threshold` ms, where the Long Tasks API exists. */
  recordLongTasks: (threshold: number): void => {
    type Log = { tasks: LongTask[]; take: () => void } | null;
    const w = window as unknown as { __aeDemoLongTasks?: Log };
    if (w.__aeDemoLongTasks !== undefined) return;
    const supported =
      typeof PerformanceObserver !== 'undefined' &&
      (PerformanceObserver.supportedEntryTypes ?? []).includes('longtask');
    if (!supported) {
      w.__aeDemoLongTasks = null;
      return;
    }
    const tasks: LongTask[] = [];
    const keep = (entries: PerformanceEntryList) => {
      for (const e of entries) {
        if (e.duration > threshold) tasks.push({ start: e.startTime, duration: e.duration });
      }
    };
    const observer = new PerformanceObserver((list) => keep(list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
    w.__aeDemoLongTasks = { tasks, take: () => keep(observer.takeRecords()) };
  },

  /** The tasks recordLongTasks saw, those not yet delivered to its observer included; null without the API. */
  readLongTasks: (): LongTask[] | null => {
    const log = (
      window as unknown as {
        __aeDemoLongTasks?: { tasks: LongTask[]; take: () => void } | null;
      }
    ).__aeDemoLongTasks;
    if (!log) return null;
    log.take();
    return log.tasks;
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of the waiting helpers. */
export interface WaitOptions {
  /** Milliseconds before giving up. Default 60,000 (a cold start on a slow machine). */
  timeout?: number;
}

/**
 * Reads figure `name` of the element `demo` once `until` holds for it,
 * polling the page; throws with the last reading when `timeout` passes.
 */
export async function waitForFigure(
  demo: Locator,
  name: string,
  until: (reading: FigureReading) => boolean = (r) => r.summary !== '',
  { timeout = 60_000 }: WaitOptions = {},
): Promise<FigureReading> {
  const end = Date.now() + timeout;
  let last: FigureReading | null;
  for (let wait = 50; ; wait = Math.min(500, wait * 2)) {
    last = await demo.evaluate(inPage.readFigure, name);
    if (last && until(last)) return last;
    if (Date.now() > end) {
      throw new Error(
        `ae-demo: figure "${name}" was not ready after ${timeout} ms; last seen: ` +
          (last ? JSON.stringify({ summary: last.summary, data: last.data }) : 'no such figure'),
      );
    }
    await sleep(wait);
  }
}

/** Reads figure `name` now (null when the element does not show it). */
export function readFigure(demo: Locator, name: string): Promise<FigureReading | null> {
  return demo.evaluate(inPage.readFigure, name);
}

/**
 * Waits until the element has its PCA figures: the variance sentence ("84
 * components explain 90.07 % of the variance." for MNIST) and its chart,
 * which is made a few tasks after the sentence (the element splits its work
 * so that no task blocks the page). Returns that figure's reading:
 * `numbers[0]` is the components for 90 %.
 */
export function waitForReady(demo: Locator, options: WaitOptions = {}): Promise<FigureReading> {
  return waitForFigure(
    demo,
    'variance',
    (r) => /components? explains? /.test(r.summary) && r.canvases > 0,
    options,
  );
}

/**
 * Records every `ae-error` event of the page from its start: call before
 * `page.goto`. The returned function reads them so far.
 */
export async function collectAeErrors(page: Page): Promise<() => Promise<AeErrorDetail[]>> {
  await page.addInitScript(inPage.recordErrors);
  return () =>
    page.evaluate(
      () => (window as unknown as { __aeDemoErrors?: AeErrorDetail[] }).__aeDemoErrors ?? [],
    );
}

/**
 * Records the page's main-thread tasks over `thresholdMs` (default 50) from
 * its start: call before `page.goto`. The returned function reads them so
 * far, or null where the browser has no Long Tasks API (Firefox, WebKit).
 */
export async function collectLongTasks(
  page: Page,
  thresholdMs = 50,
): Promise<() => Promise<LongTask[] | null>> {
  await page.addInitScript(inPage.recordLongTasks, thresholdMs);
  return () => page.evaluate(inPage.readLongTasks);
}

/** Options of {@link trainTiny}. */
export interface TinyTraining extends WaitOptions {
  /** 'ae' (default) or 'vae'. */
  method?: 'ae' | 'vae';
  /** Default 1. */
  epochs?: number;
  /** Training digits. Default 500. */
  trainSize?: number;
  /** Default 1: the same seed trains the same model. */
  seed?: number;
}

/**
 * Runs a tiny seeded training in the element through its own button and
 * resolves with the `ae-trained` event's detail; rejects with the message
 * of an `ae-error` that comes first, or after `timeout`.
 */
export async function trainTiny(
  demo: Locator,
  { method = 'ae', epochs = 1, trainSize = 500, seed = 1, timeout = 120_000 }: TinyTraining = {},
): Promise<AeTrainedDetail> {
  await demo.evaluate(
    (el, s) => {
      el.setAttribute('method', s.method);
      el.setAttribute('train-epochs', String(s.epochs));
      el.setAttribute('train-size', String(s.trainSize));
      el.setAttribute('seed', String(s.seed));
    },
    { method, epochs, trainSize, seed },
  );
  // The training panel's button, not the denoise view's "Train a denoising autoencoder here".
  const button = demo.getByRole('button', { name: /^Train (an autoencoder|a VAE) here$/ });
  await button.waitFor({ state: 'visible', timeout });
  // Listening before the click: the event cannot come and go unseen.
  await demo.evaluate((el) => {
    const w = el as Element & { __aeDemoTrained?: Promise<AeTrainedDetail> };
    w.__aeDemoTrained = new Promise((resolve, reject) => {
      const onError = (e: Event) => {
        el.removeEventListener('ae-trained', onDone);
        reject(new Error((e as CustomEvent<AeErrorDetail>).detail.message));
      };
      const onDone = (e: Event) => {
        el.removeEventListener('ae-error', onError);
        resolve((e as CustomEvent<AeTrainedDetail>).detail);
      };
      el.addEventListener('ae-trained', onDone, { once: true });
      el.addEventListener('ae-error', onError, { once: true });
    });
  });
  const end = Date.now() + timeout;
  while (!(await button.isEnabled())) {
    if (Date.now() > end)
      throw new Error(`ae-demo: the train button stayed disabled for ${timeout} ms.`);
    await sleep(100);
  }
  await button.click();
  return Promise.race([
    demo.evaluate(
      (el) => (el as Element & { __aeDemoTrained?: Promise<AeTrainedDetail> }).__aeDemoTrained!,
    ),
    sleep(Math.max(0, end - Date.now())).then(() => {
      throw new Error(`ae-demo: no ae-trained event within ${timeout} ms.`);
    }),
  ]);
}
