import { expect, test, type Page } from '@playwright/test';
import { expectPcaFigures } from './demo-checks.ts';
import { collectErrors } from './helpers.ts';

interface LongTaskLog {
  tasks: { start: number; duration: number }[];
  /** performance.now() when the element first reported progress (work began). */
  workStart: number | undefined;
}

/**
 * Records main-thread long tasks (PerformanceObserver) from the very start of
 * the page, when the element's work began, and its status line at each progress event.
 */
async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: LongTaskLog = { tasks: [], workStart: undefined };
    const statuses: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = statuses;
    (window as unknown as { __longTasks: LongTaskLog }).__longTasks = log;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        log.tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    addEventListener('ae-progress', (event) => {
      log.workStart ??= performance.now();
      // Read the status line once the element has rendered this progress.
      const demo = event.target as HTMLElement;
      requestAnimationFrame(() => {
        const text = demo.shadowRoot?.querySelector('[part=status]')?.textContent?.trim();
        if (text) statuses.push(text);
      });
    });
  });
}

/** Long tasks over `limit` ms that ended after the element's work began. */
async function longTasksDuringWork(page: Page, limit: number) {
  const log = await page.evaluate(
    () => (window as unknown as { __longTasks: LongTaskLog }).__longTasks,
  );
  expect(log.workStart).toBeDefined();
  return log.tasks.filter((t) => t.duration > limit && t.start + t.duration > log.workStart!);
}

test('the element renders the three PCA figures from the bundled data', async ({ page }) => {
  const errors = collectErrors(page);
  await observeLongTasks(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');

  await expectPcaFigures(demo);
  await expect(demo.locator('[data-summary=scatter]')).toContainText('All 10,000 digits');
  await expect(demo.locator('[data-summary=mse]')).toContainText('0.0606 with 1 component to');
  await expect(demo.locator('[part=status]')).toContainText(/PCA of 10,000 digits in [0-9.]+ s/);

  // While the worker worked, the status said so in words, with a percentage.
  const statuses = await page.evaluate(
    () => (window as unknown as { __statuses: string[] }).__statuses,
  );
  expect(statuses.some((s) => /^Loading the digits… \d+ %$/.test(s))).toBe(true);
  expect(statuses.some((s) => /^Computing the covariance matrix… \d+ %$/.test(s))).toBe(true);

  // The PCA ran in the worker: the page's main thread never blocked for over 100 ms.
  await page.waitForTimeout(500); // let the charts' frames (and any long task) finish
  expect(await longTasksDuringWork(page, 100)).toEqual([]);
  expect(errors).toEqual([]);
});

test('hovering the PC1–PC2 scatter shows that digit', async ({ page }) => {
  await page.goto('./');
  const demo = page.locator('ae-demo');
  const plot = demo.locator('[data-figure=scatter] .u-over');
  await expect(plot).toBeVisible({ timeout: 60_000 });
  const box = (await plot.boundingBox())!;

  // Sweep across the middle of the plot until the cursor is over a point.
  const tooltip = demo.locator('[data-tooltip]');
  for (let step = 0; step <= 20 && !(await tooltip.isVisible()); step++) {
    await page.mouse.move(box.x + (box.width * (step + 5)) / 30, box.y + box.height / 2);
    await page.waitForTimeout(50);
  }
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(/digit [0-9] · #\d+/);
  // The digit's pixels arrived from the worker and were drawn.
  await expect(tooltip.locator('canvas')).toHaveAttribute('data-drawn', /\d+/);

  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
  await expect(tooltip).toHaveCount(0);
});

test('a corrupt data file shows its error in the element', async ({ page }) => {
  await page.route('**/t10k-images-idx3-ubyte*', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/octet-stream',
      body: Buffer.from([0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]),
    }),
  );
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[part=error]')).toContainText('wrong magic number 0x00000804');
  await expect(demo.locator('[part=error]')).toContainText('t10k-images-idx3-ubyte');
  await expect(demo.locator('[part=status]')).toContainText('Something went wrong');
});

test('removing the element ends its worker; adding it again starts afresh', async ({ page }) => {
  const errors = collectErrors(page);
  const workerStarted = page.waitForEvent('worker');
  await page.goto('./');
  const worker = await workerStarted;
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[data-summary=variance]')).toBeVisible({ timeout: 60_000 });

  // Remove it in the middle of nothing in particular: the worker must go.
  const closed = new Promise<void>((resolve) => worker.on('close', () => resolve()));
  await page.evaluate(() => {
    const el = document.querySelector('ae-demo')!;
    (window as unknown as { __parked: Element }).__parked = el;
    el.remove();
  });
  await closed;

  // Removing while loading cancels the work (and again ends the worker).
  const second = page.waitForEvent('worker');
  await page.evaluate(() =>
    document.querySelector('main')!.append(document.createElement('ae-demo')),
  );
  const secondWorker = await second;
  const secondClosed = new Promise<void>((resolve) => secondWorker.on('close', () => resolve()));
  await page.evaluate(() => document.querySelector('ae-demo')!.remove());
  await secondClosed;

  // Re-adding the original element works from scratch, in a new worker.
  const third = page.waitForEvent('worker');
  await page.evaluate(() =>
    document.querySelector('main')!.append((window as unknown as { __parked: Element }).__parked),
  );
  await third;
  await expect(demo.locator('[data-summary=variance]')).toHaveText(
    '84 components explain 90.07 % of the variance.',
  );
  expect(errors).toEqual([]);
});

test('changing the components attribute re-runs; the newest request wins', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[data-summary=mse]')).toContainText('with 10.', { timeout: 60_000 });

  // Two changes in a row: the first run is cancelled by the second.
  await page.evaluate(() => {
    const el = document.querySelector('ae-demo')!;
    el.setAttribute('components', '3');
    setTimeout(() => el.setAttribute('components', '5'), 0);
  });
  await expect(demo.locator('[data-summary=mse]')).toContainText('to 0.0444 with 5.');
  await expect(demo.locator('[part=status]')).toContainText('PCA of 10,000 digits');

  // A bad value is an error in words, not a blank.
  await page.evaluate(() => document.querySelector('ae-demo')!.setAttribute('components', '0'));
  await expect(demo.locator('[part=error]')).toContainText(
    'components="0" must be a whole number from 1 to 50.',
  );
  expect(errors).toEqual([]);
});

test('properties set right after the element is added are the ones its first run uses', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('./');
  await expect(page.locator('ae-demo [data-summary=mse]')).toContainText('with 10.', {
    timeout: 60_000,
  });
  // A page that builds its element in script, the way frameworks do: added, then configured.
  await page.evaluate(() => {
    document.querySelector('ae-demo')!.remove();
    const el = document.createElement('ae-demo') as HTMLElement & {
      components: number;
      split: string;
    };
    const ready: number[] = [];
    (window as unknown as { __ready: number[] }).__ready = ready;
    el.addEventListener('ae-ready', (e) => ready.push((e as CustomEvent).detail.samples));
    el.id = 'scripted';
    document.querySelector('main')!.append(el);
    el.components = 4;
    el.split = 'train';
  });
  const demo = page.locator('#scripted');
  await expect(demo.locator('[data-summary=mse]')).toContainText(/0\.\d{4} with 4\./, {
    timeout: 60_000,
  });
  await expect(demo.locator('[data-summary=scatter]')).toContainText('All 12,000 digits');
  // One analysis, of the training digits: no first run on the defaults.
  expect(await page.evaluate(() => (window as unknown as { __ready: number[] }).__ready)).toEqual([
    12_000,
  ]);
  expect(errors).toEqual([]);
});

test('two elements share one worker; split="train" analyses the 12,000 shipped training digits', async ({
  page,
}) => {
  const errors = collectErrors(page);
  let workers = 0;
  // TF.js's wasm threads are blob: workers of that one worker; count the element's own.
  page.on('worker', (worker) => {
    if (!worker.url().startsWith('blob:')) workers++;
  });
  await page.goto('./');
  await page.evaluate(() => {
    const el = document.createElement('ae-demo');
    el.setAttribute('split', 'train');
    el.id = 'train';
    document.querySelector('main')!.append(el);
  });
  const testSet = page.locator('ae-demo').first();
  const train = page.locator('ae-demo#train');
  await expect(testSet.locator('[data-summary=variance]')).toHaveText(
    '84 components explain 90.07 % of the variance.',
    { timeout: 60_000 },
  );
  // numpy on the first 12,000 training images: 85 components, 0.900746.
  await expect(train.locator('[data-summary=variance]')).toHaveText(
    '85 components explain 90.07 % of the variance.',
  );
  await expect(train.locator('[data-summary=scatter]')).toContainText('All 12,000 digits');
  await expect(train.locator('[data-summary=mse]')).toContainText('0.0338 with 10.');
  expect(workers).toBe(1);
  expect(errors).toEqual([]);
});

test('a worker that fails to start is an error in words, not an endless spinner', async ({
  page,
}) => {
  await page.route('**/assets/worker-*.js', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/javascript',
      body: 'throw new Error("boom");',
    }),
  );
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[part=error]')).toContainText('The ae-demo worker stopped');
  await expect(demo.locator('[part=status]')).toContainText('Something went wrong');
});
