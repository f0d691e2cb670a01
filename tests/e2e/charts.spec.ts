import { readdir, readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectFiguresAndShippedModel, expectPcaFigures } from './demo-checks.ts';
import { collectAeErrors, collectErrors } from './helpers.ts';

test('no chunk imports the worker entry (WebKit would evaluate it, and expose the API, twice)', async () => {
  const dir = 'dist/standalone/assets';
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'));
  const entries = files.filter(
    (f) => /^worker-[\w-]+\.js$/.test(f) && !f.startsWith('worker-api-'),
  );
  expect(entries).toHaveLength(1);
  const importers: string[] = [];
  for (const file of files) {
    const code = await readFile(`${dir}/${file}`, 'utf8');
    if (code.includes(`./${entries[0]}`)) importers.push(file);
  }
  // Only the element's bridge names it (as `new Worker(new URL(…))`), never an import.
  for (const file of importers) {
    const code = await readFile(`${dir}/${file}`, 'utf8');
    expect(code, file).not.toMatch(new RegExp(`(from|import)\\s*\\(?\\s*["'\`]\\./${entries[0]}`));
  }
});

test('a chart chunk that fails to load says so in every chart, and the rest still works', async ({
  page,
}) => {
  const failures = await collectAeErrors(page);
  // A deploy that removed the chunk, or a blocked request.
  await page.route(/\/assets\/charts-[\w-]+\.js$/, (route) =>
    route.fulfill({ status: 404, body: 'not found' }),
  );
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[data-summary=variance]')).toHaveText(
    '84 components explain 90.07 % of the variance.',
    { timeout: 60_000 },
  );
  for (const figure of ['variance', 'scatter', 'mse']) {
    await expect(demo.locator(`[data-figure=${figure}] [data-chart-error]`)).toHaveText(
      /^The charts could not load \(.+\)\. Reload the page to try again\.$/,
    );
    await expect(demo.locator(`[data-figure=${figure}] canvas`)).toHaveCount(0);
  }
  // The digits do not need uPlot: the shipped models still show theirs.
  const reconstructions = demo.locator('canvas[data-digits=ae]');
  await expect(reconstructions).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  // One ae-error for the failure, however many charts it blanked.
  await expect
    .poll(() => failures.filter((m) => m.startsWith('The charts could not load')))
    .toHaveLength(1);
});

test('a navigator.language that Intl rejects ("C", as WebKitGTK reports under LANG=C.UTF-8) still draws every chart', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.addInitScript(() =>
    Object.defineProperty(navigator, 'language', { configurable: true, get: () => 'C' }),
  );
  await page.goto('./');
  expect(await page.evaluate(() => navigator.language)).toBe('C');
  const demo = page.locator('ae-demo');
  await expectPcaFigures(demo);
  await expectFiguresAndShippedModel(demo);
  await expect(demo.locator('[data-chart-error]')).toHaveCount(0);
  expect(errors).toEqual([]);
});
