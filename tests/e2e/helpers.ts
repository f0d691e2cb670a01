import type { Browser, Locator, Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import type { AeTrainedDetail } from '../../src/components/ae-demo/events.ts';
import { inPage } from '../../src/testing/index.ts';
import type { AuthorSet } from '../fixtures/author-set.ts';

/** Console errors and uncaught exceptions, of the page and of its workers. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('worker', (worker) =>
    worker.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`worker: ${msg.text()}`);
    }),
  );
  return errors;
}

/** The page's console warnings (Lit's dev-mode notice, Vue's hydration mismatches…), as they come. */
export function collectWarnings(page: Page): string[] {
  const warnings: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  return warnings;
}

/** Distinct grey levels on a canvas: 1 for a blank one, dozens for drawn digits. */
export function greyLevels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += 4) levels.add(data[i]);
    return levels.size;
  });
}

/** Messages of every `ae-error` event the page fires, from its start. */
export async function collectAeErrors(page: Page): Promise<string[]> {
  const failures: string[] = [];
  await page.exposeFunction('__aeError', (message: string) => failures.push(message));
  await page.addInitScript(() =>
    addEventListener('ae-error', (e) =>
      (window as unknown as { __aeError: (m: string) => void }).__aeError(
        (e as CustomEvent<{ message: string }>).detail.message,
      ),
    ),
  );
  return failures;
}

/**
 * Records every `securitypolicyviolation` of the page from its start; the
 * returned function reads them as "directive blocked URI".
 */
export async function collectCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = violations;
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

/** Serves the demo page with `markup` in place of its `<ae-demo></ae-demo>` (the page routed, not rebuilt). */
export async function routeDemoMarkup(page: Page, markup: string): Promise<void> {
  await page.route(/\/(index\.html)?$/, async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    if (!html.includes('<ae-demo></ae-demo>')) throw new Error('the demo page has no <ae-demo>');
    await route.fulfill({ response, body: html.replace('<ae-demo></ae-demo>', markup) });
  });
}

/** The element's `ae-trained` and `ae-error` details since the page opened, in order. */
export interface DemoEvents {
  trained: AeTrainedDetail[];
  errors: unknown[];
}

/**
 * Opens the demo page with `markup`, an author's image set served under my-data/ (a gzip idx
 * file, my-data/digits-idx3-ubyte.gz, and a CSV, my-data/digits.csv), and every `ae-trained`
 * and `ae-error` of the page logged from its first script on for {@link demoEvents}.
 */
export async function openWithAuthorSet(page: Page, set: AuthorSet, markup: string): Promise<void> {
  await page.route('**/my-data/digits-idx3-ubyte.gz', (route) =>
    route.fulfill({ contentType: 'application/gzip', body: gzipSync(set.idx) }),
  );
  await page.route('**/my-data/digits.csv', (route) =>
    route.fulfill({ contentType: 'text/csv', body: set.csv }),
  );
  await page.addInitScript(() => {
    const log: { trained: unknown[]; errors: unknown[] } = { trained: [], errors: [] };
    (window as unknown as { __demoEvents: typeof log }).__demoEvents = log;
    addEventListener('ae-trained', (e) => log.trained.push((e as CustomEvent).detail));
    addEventListener('ae-error', (e) => log.errors.push((e as CustomEvent).detail));
  });
  await routeDemoMarkup(page, markup);
  await page.goto('./');
}

/** What {@link openWithAuthorSet} logged so far. */
export const demoEvents = (page: Page): Promise<DemoEvents> =>
  page.evaluate(() => (window as unknown as { __demoEvents: DemoEvents }).__demoEvents);

/** The browser whose Chromium trace runs for recordLongTasks (one trace at a time per browser). */
let tracing: Browser | undefined;
let clockMarks = 0;

/**
 * Records the page's main-thread long tasks from its first script on, and a
 * Chromium trace of the tasks' thread time beside them; read them with
 * longTasksSince.
 */
export async function recordLongTasks(page: Page): Promise<void> {
  // The page-side half is the package's own (ae-demo/testing), every long task kept.
  await page.addInitScript(inPage.recordLongTasks, 0);
  // A trace an earlier test left running (it failed before reading it) ends here.
  await tracing?.stopTracing().catch(() => {});
  tracing = page.context().browser() ?? undefined;
  await tracing?.startTracing(undefined, { categories: ['toplevel', 'blink.user_timing'] });
}

/** One event of a Chromium trace (the JSON of browser.stopTracing()), as far as these tools read it. */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  /** Microseconds; `dur` of wall-clock time, `tdur` of the thread's own (CPU) time. */
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: Record<string, unknown>; name?: string };
}

/**
 * Durations of the main-thread tasks over 100 ms since `since` (the page's
 * performance.now()), those not yet delivered to the observer included.
 *
 * A task counts when the page's own work kept its main thread busy that long:
 * the observer measures wall-clock time, which a loaded machine stretches
 * (here, at a load average of 10 on 2 cores, a 30 ms task took 80 ms), so each
 * long task is matched with its event in the trace and kept only if its thread
 * time is over 100 ms too. A task the trace does not cover counts.
 */
export async function longTasksSince(page: Page, since: number): Promise<number[]> {
  const mark = `ae-e2e-clock-${++clockMarks}`;
  const tasks = (await page.evaluate(inPage.readLongTasks)) ?? [];
  const markTime = await page.evaluate((name) => performance.mark(name).startTime, mark);
  const long = tasks.filter((e) => e.start >= since && e.duration > 100);
  const browser = tracing;
  if (!browser) return long.map((e) => Math.round(e.duration));
  const events = (
    JSON.parse((await browser.stopTracing()).toString()) as {
      traceEvents: TraceEvent[];
    }
  ).traceEvents;
  // Go on tracing, for a later reading in the same test.
  await browser.startTracing(undefined, { categories: ['toplevel', 'blink.user_timing'] });
  // The mark ties the page's clock to the trace's, and names the page's main thread.
  const clock = events.find((e) => e.name === mark);
  if (!clock) return long.map((e) => Math.round(e.duration));
  const runs = events.filter(
    (e) =>
      e.ph === 'X' &&
      e.name === 'ThreadControllerImpl::RunTask' &&
      e.pid === clock.pid &&
      e.tid === clock.tid,
  );
  const toTrace = (ms: number) => clock.ts + (ms - markTime) * 1000;
  return long
    .filter((task) => {
      const from = toTrace(task.start);
      const to = toTrace(task.start + task.duration);
      const overlap = (e: TraceEvent) => Math.min(to, e.ts + e.dur!) - Math.max(from, e.ts);
      const run = runs.filter((e) => overlap(e) > 0).sort((a, b) => overlap(b) - overlap(a))[0];
      return run?.tdur === undefined || run.tdur > 100_000;
    })
    .map((e) => Math.round(e.duration));
}

/**
 * Resolves after the page has drawn two more frames: work it queued for an
 * animation frame (pointer hover, chart frames) has run and rendered by then.
 */
export function nextFrames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/**
 * Records every value the first element matching `selector` takes, in the
 * document or any shadow root, from the page's start: its `attribute`, or its
 * trimmed text without one. A MutationObserver sees each rendered state, where
 * polling would sample them and miss those a fast or a slow run shows briefly.
 * The returned function reads the values in order, each change once; moments
 * without such an element are left out.
 */
export async function recordRendered(
  page: Page,
  selector: string,
  attribute?: string,
): Promise<() => Promise<string[]>> {
  const key = `${selector}\n${attribute ?? ''}`;
  await page.addInitScript(
    ({ key, selector, attribute }) => {
      const values: string[] = [];
      const store = ((window as unknown as { __rendered?: Record<string, string[]> }).__rendered ??=
        {});
      store[key] = values;
      const roots: ParentNode[] = [document];
      const check = () => {
        for (const root of roots) {
          const el = root.querySelector(selector);
          if (!el) continue;
          const value = attribute ? el.getAttribute(attribute) : el.textContent!.trim();
          if (value !== null && value !== values.at(-1)) values.push(value);
          return;
        }
      };
      const observer = new MutationObserver(check);
      const watch = (root: Node) =>
        observer.observe(root, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      // Shadow roots are created by the page's own scripts, after this one: watch each as it comes.
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init: ShadowRootInit) {
        const root = attach.call(this, init);
        roots.push(root);
        watch(root);
        return root;
      };
      watch(document);
    },
    { key, selector, attribute },
  );
  return () =>
    page.evaluate(
      (k) => (window as unknown as { __rendered: Record<string, string[]> }).__rendered[k],
      key,
    );
}

/** The page's performance.now(). */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());
