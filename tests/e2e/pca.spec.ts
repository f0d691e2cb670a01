import { expect, test, type Page } from '@playwright/test';
import { expectPcaFigures } from './demo-checks.ts';
import {
  collectErrors,
  longTasksSince,
  nextFrames,
  recordLongTasks,
  recordRendered,
} from './helpers.ts';

/** `text` as a regular expression matching itself. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Progress {
  stage: string;
  fraction: number;
}

/** Records every ae-progress event's stage and fraction, and the page's time at the first. */
async function observeProgress(
  page: Page,
): Promise<() => Promise<{ events: Progress[]; start: number }>> {
  await page.addInitScript(() => {
    const log = { events: [] as Progress[], start: NaN };
    (window as unknown as { __progress: typeof log }).__progress = log;
    addEventListener('ae-progress', (event) => {
      if (log.events.length === 0) log.start = performance.now();
      const { stage, fraction } = (event as CustomEvent<Progress>).detail;
      log.events.push({ stage, fraction });
    });
  });
  return () =>
    page.evaluate(
      () => (window as unknown as { __progress: { events: Progress[]; start: number } }).__progress,
    );
}

/** The stages' words in the status line (STAGE_WORDS in ae-demo.component.ts), in their order. */
const STAGES: Record<string, string> = {
  download: 'Loading the digits',
  gram: 'Computing the covariance matrix',
  spectrum: 'Computing all eigenvalues',
  eigenvectors: 'Finding the leading components (power iteration)',
  projection: 'Projecting the digits',
};

/** Whether each number is at least the one before it. */
const neverDecreases = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]);

test('the element renders the three PCA figures from the bundled data', async ({ page }) => {
  const errors = collectErrors(page);
  await recordLongTasks(page);
  const progress = await observeProgress(page);
  const statuses = await recordRendered(page, '[part=status]');
  await page.goto('./');
  const demo = page.locator('ae-demo');

  await expectPcaFigures(demo);
  await expect(demo.locator('[data-summary=scatter]')).toContainText('All 10,000 digits');
  await expect(demo.locator('[data-summary=mse]')).toContainText('0.0606 with 1 component to');
  await expect(demo.locator('[part=status]')).toContainText(/PCA of 10,000 digits in [0-9.]+ s/);

  // Progress came as events for every stage; within a stage the fraction never
  // steps back (the power iteration's estimate may), and each stage ends at 1.
  const { events, start } = await progress();
  for (const stage of Object.keys(STAGES)) {
    const fractions = events.filter((e) => e.stage === stage).map((e) => e.fraction);
    expect(fractions.length, stage).toBeGreaterThan(0);
    expect(
      fractions.every((f) => f >= 0 && f <= 1),
      stage,
    ).toBe(true);
    if (stage !== 'eigenvectors') expect(neverDecreases(fractions), stage).toBe(true);
    expect(fractions.at(-1), stage).toBe(1);
  }
  // The PCA's own stages come in their order (one task, one stream of reports).
  const pcaStages = events.map((e) => e.stage).filter((stage) => stage !== 'download');
  const order = Object.keys(STAGES);
  expect(neverDecreases(pcaStages.map((stage) => order.indexOf(stage)))).toBe(true);

  // While the worker worked, the status said so in words, with a percentage:
  // every line it showed (each render, recorded) names a stage and how far it
  // is, the element enters the download and the covariance stage before it asks
  // the worker for them, and it ends with the summary.
  const shown = await statuses();
  expect(shown.at(-1)).toMatch(/^PCA of 10,000 digits in [0-9.]+ s/);
  const working = shown.slice(0, -1).filter((line) => line !== '' && line !== 'Waiting to start.');
  const said = new RegExp(`^(${Object.values(STAGES).map(escape).join('|')})… (\\d+) %$`);
  expect(working.filter((line) => !said.test(line))).toEqual([]);
  for (const [stage, words] of Object.entries(STAGES)) {
    const percents = working
      .map((line) => said.exec(line)!)
      .filter((m) => m[1] === words)
      .map((m) => Number(m[2]));
    expect(
      percents.every((p) => p <= 100),
      stage,
    ).toBe(true);
    if (stage !== 'eigenvectors') expect(neverDecreases(percents), stage).toBe(true);
  }
  expect(working.some((line) => line.startsWith('Loading the digits… '))).toBe(true);
  expect(working.some((line) => line.startsWith('Computing the covariance matrix… '))).toBe(true);

  // The PCA ran in the worker: from the first report to the figures' frames, the
  // page's main thread never blocked for over 100 ms.
  await nextFrames(page);
  expect(await longTasksSince(page, start)).toEqual([]);
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
    // The element finds the point under the pointer on the next frame.
    await nextFrames(page);
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
