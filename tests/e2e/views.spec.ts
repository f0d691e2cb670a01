import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, greyLevels, routeDemoMarkup } from './helpers.ts';

interface CompareRow {
  k: number;
  pcaMse: number;
  aeMse: number;
  deadUnits: number;
}

/** The table the compare figure draws, read here independently of the element. */
const compare = JSON.parse(
  readFileSync(new URL('../../pretrained/compare.json', import.meta.url), 'utf8'),
) as { rows: CompareRow[]; testCount: number };

/** What the build shipped (scripts/build-models.ts): each model's encoding and test scores. */
const shipped = JSON.parse(
  readFileSync(new URL('../../build/models/manifest.json', import.meta.url), 'utf8'),
) as { tolerance: number; models: Record<string, { shippedScore: number }> };

/** The new figures live in their own section (the models section has an older reconstructions figure). */
const notebook = (page: Page) => page.locator('ae-demo [data-notebook]');

/** The pixels of a canvas, to tell two drawings apart. */
const pixels = (canvas: Locator) => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());

test('PCA, AE and VAE rebuild the same digits; AE vs PCA draws the shipped table', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('./');
  const figure = notebook(page).locator('[data-figure=reconstructions]');
  await expect(figure.locator('canvas[data-digits=vae]')).toHaveAttribute('data-drawn', 'true', {
    timeout: 60_000,
  });
  for (const name of ['originals', 'pca', 'ae', 'vae']) {
    const canvas = figure.locator(`canvas[data-digits=${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    // Ten digits in grey levels, not a blank canvas.
    expect(await greyLevels(canvas), name).toBeGreaterThan(20);
  }
  await expect(figure.locator('canvas[data-digits=ae]')).toHaveAttribute(
    'data-source',
    'pretrained',
  );
  // The three rebuilt rows differ from each other: each method draws its own.
  const drawn = await Promise.all(
    ['pca', 'ae', 'vae'].map((n) => pixels(figure.locator(`canvas[data-digits=${n}]`))),
  );
  expect(new Set(drawn).size).toBe(3);

  // PCA's MSE at k = 10 is the notebook's 0.0339. The shipped AE is the table's k = 10 model with
  // its weights in uint8: its MSE is the one the build measured, within 1 % of the table's row.
  const k10 = compare.rows.find((r) => r.k === 10)!;
  const shippedMse = shipped.models['ae-notebook'].shippedScore;
  expect(Math.abs(shippedMse - k10.aeMse) / k10.aeMse).toBeLessThanOrEqual(shipped.tolerance);
  const summary = figure.locator('[data-summary=reconstructions]');
  await expect(summary).not.toContainText('scoring…');
  await expect(summary).toContainText('over the 10,000 test digits: PCA with 10 components 0.0339');
  await expect(summary).toContainText(`the shipped autoencoder ${shippedMse.toFixed(4)}`);
  const vaeMse = Number((await summary.textContent())!.match(/\(from μ\) (\d\.\d{4})/)![1]);
  // Per pixel, on PCA's scale (a VAE's own loss is per image, in the tens), and below PCA's k = 1.
  expect(vaeMse).toBeGreaterThan(0.001);
  expect(vaeMse).toBeLessThan(compare.rows[0].pcaMse);

  const chart = notebook(page).locator('[data-figure=compare]');
  const first = compare.rows[0];
  const last = compare.rows[compare.rows.length - 1];
  const ratio = (r: CompareRow) => (r.aeMse / r.pcaMse).toFixed(2);
  const allWins = compare.rows.every((r) => r.aeMse < r.pcaMse);
  const compareSummary = chart.locator('[data-summary=compare]');
  await expect(compareSummary).toContainText(
    `${allWins ? 'The autoencoder beats PCA at every k' : 'The autoencoder beats PCA at k ='}`,
  );
  await expect(compareSummary).toContainText(
    `(AE/PCA ${ratio(first)} at k = ${first.k} … ${ratio(last)} at k = ${last.k})`,
  );
  await expect(compareSummary).toContainText('measured by `ae-demo reproduce`');
  // This page's live PCA agrees with the table at k = 10.
  await expect(compareSummary).toContainText(
    `gives 0.0339 at k = 10; the table has ${last.pcaMse.toFixed(4)}`,
  );
  await expect(chart.locator('.chart')).toHaveAttribute('data-drawn', /.+/);
  expect(await greyLevels(chart.locator('canvas').first())).toBeGreaterThan(2);
  expect(errors).toEqual([]);
});

test('the latent scatter encodes the test digits once seen; its selects change the plot', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('./');
  const figure = notebook(page).locator('[data-figure=latent]');
  await expect(figure).toBeVisible({ timeout: 60_000 });
  await figure.scrollIntoViewIfNeeded();
  const summary = figure.locator('[data-summary=latent]');
  await expect(summary).toContainText(
    "10,000 test digits on dimensions 1 and 2 of the shipped VAE's 10-D latent space (μ)",
    { timeout: 60_000 },
  );
  await expect(summary).toContainText(/z1 spans −?\d+\.\d\d to −?\d+\.\d\d/);
  const box = figure.locator('[data-scatter=latent]');
  await expect(box).toHaveAttribute('data-drawn', /:0:1$/);
  const canvas = box.locator('canvas').first();
  const before = await pixels(canvas);

  await figure.locator('select[data-control=latent-x]').selectOption({ label: 'z3' });
  await expect(summary).toContainText('on dimensions 3 and 2 of');
  await expect(box).toHaveAttribute('aria-label', /dimensions z3 and z2/);
  await expect(box).toHaveAttribute('data-drawn', /:2:1$/);
  expect(await pixels(box.locator('canvas').first())).not.toEqual(before);

  await figure.locator('select[data-control=latent-model]').selectOption('ae');
  await expect(summary).toContainText("of the shipped autoencoder's 10-D latent space:");

  // The keyboard reaches the same digits the pointer does.
  await box.focus();
  await page.keyboard.press('ArrowRight');
  const live = figure.locator('[data-live=latent]');
  await expect(live).toHaveText(/Digit \d \(#\d+\): z3 −?\d+\.\d\d, z2 −?\d+\.\d\d/);
  await expect(figure.locator('[data-tooltip] canvas')).toHaveAttribute('data-drawn', /^\d+$/);
  expect(errors).toEqual([]);
});

test('the PC1–PC2 scatter takes the keyboard: arrows pick digits, Escape clears', async ({
  page,
}) => {
  await page.goto('./');
  const figure = page.locator('ae-demo [data-figure=scatter]');
  const plot = figure.locator('[data-scatter=pca]');
  await expect(plot.locator('canvas')).toBeVisible({ timeout: 60_000 });
  await plot.focus();
  await page.keyboard.press('ArrowRight');
  const live = figure.locator('[data-live=scatter]');
  const said = /Digit (\d) \(#(\d+)\): PC1 (−?\d+\.\d\d), PC2 (−?\d+\.\d\d)/;
  await expect(live).toHaveText(said);
  const tooltip = figure.locator('[data-tooltip]');
  const [, label, index, pc1] = (await live.textContent())!.trim().match(said)!;
  // The tooltip shows the digit the live text names, with its pixels from the worker.
  await expect(tooltip).toContainText(`digit ${label} · #${index}`);
  await expect(tooltip.locator('canvas')).toHaveAttribute('data-drawn', index);
  expect(await greyLevels(tooltip.locator('canvas'))).toBeGreaterThan(5);

  // ArrowRight again moves right: PC1 grows.
  await page.keyboard.press('ArrowRight');
  await expect(live).not.toContainText(`(#${index})`);
  const next = (await live.textContent())!.trim().match(said)!;
  const value = (s: string) => Number(s.replace('−', '-'));
  expect(value(next[3])).toBeGreaterThanOrEqual(value(pc1));

  // End goes to the rightmost digit; Escape clears.
  await page.keyboard.press('End');
  await expect(live).not.toContainText(`(#${next[2]})`);
  await page.keyboard.press('Escape');
  await expect(tooltip).toHaveCount(0);
  await expect(live).toHaveText(/arrow keys/);
});

test('views="latent compare" shows only those figures', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('./');
  await page.evaluate(() =>
    document.querySelector('ae-demo')!.setAttribute('views', 'latent compare'),
  );
  const figures = notebook(page).locator('[data-figure]');
  await expect(figures).toHaveCount(2, { timeout: 60_000 });
  await expect(figures.nth(0)).toHaveAttribute('data-figure', 'latent');
  await expect(figures.nth(1)).toHaveAttribute('data-figure', 'compare');
  await expect(page.locator('ae-demo [data-figure=variance]')).toBeHidden();
  await expect(page.locator('ae-demo [data-figure=scatter]')).toBeHidden();
  await expect(notebook(page).locator('[data-summary=compare]')).toContainText(
    'The autoencoder beats PCA',
  );
  expect(errors).toEqual([]);
});

test('an autoencoder trained here replaces the shipped one in the grid and joins the chart', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('./');
  const compareBox = notebook(page).locator('[data-figure=compare] .chart');
  await expect(compareBox).toHaveAttribute('data-drawn', /.+/, { timeout: 60_000 });
  const drawnBefore = await compareBox.getAttribute('data-drawn');
  await page.evaluate(() => document.querySelector('ae-demo')!.setAttribute('train-epochs', '1'));
  await page.locator('ae-demo [data-action=train]').click();
  const status = page.locator('ae-demo [part=train-status]');
  const trained = /Trained 1 epoch on 2,000 digits .*; test MSE (\d\.\d{4})\./;
  await expect(status).toHaveText(trained, { timeout: 60_000 });
  const mse = (await status.textContent())!.match(trained)![1];

  const grid = notebook(page).locator('[data-figure=reconstructions]');
  await expect(grid.locator('canvas[data-digits=ae]')).toHaveAttribute('data-source', 'trained');
  await expect(grid.locator('canvas[data-digits=ae]')).toHaveAttribute('data-drawn', 'true');
  // The grid and the chart score it with the worker's pixel MSE: the same number training reported.
  await expect(grid.locator('[data-summary=reconstructions]')).toContainText(
    `your autoencoder (1 epoch, trained here) ${mse}`,
  );
  const k10 = compare.rows.find((r) => r.k === 10)!;
  await expect(notebook(page).locator('[data-summary=compare]')).toContainText(
    `Your autoencoder (1 epoch, trained here) (k = 10, the filled point): test MSE ${mse}, ` +
      `against ${k10.aeMse.toFixed(4)} for the table's autoencoder and ${k10.pcaMse.toFixed(4)} for PCA.`,
  );
  // The chart was drawn again, with the reader's point.
  await expect(compareBox).not.toHaveAttribute('data-drawn', drawnBefore!);
  expect(errors).toEqual([]);
});

test('a VAE trained here with latent size 2 draws the classic 2-D map of the digits', async ({
  page,
}) => {
  const errors = collectErrors(page);
  // Only the two figures involved: the page starts the models and the test digits, not the PCA charts.
  await routeDemoMarkup(page, '<ae-demo views="latent train"></ae-demo>');
  await page.goto('./');
  // First the shipped VAE's map, of its 10-D latent space.
  const figure = notebook(page).locator('[data-figure=latent]');
  await expect(figure).toBeVisible({ timeout: 60_000 });
  await figure.scrollIntoViewIfNeeded();
  const summary = figure.locator('[data-summary=latent]');
  await expect(summary).toContainText("of the shipped VAE's 10-D latent space (μ)", {
    timeout: 60_000,
  });
  const box = figure.locator('[data-scatter=latent]');
  await expect(box).toHaveAttribute('data-drawn', /:0:1$/);
  const shipped = await box.getAttribute('data-drawn');

  const panel = page.locator('ae-demo [part=train]');
  await expect(panel.getByRole('button', { name: 'Train an autoencoder here' })).toBeEnabled();
  await panel.getByLabel('Method').selectOption('vae');
  await panel.getByLabel('Latent size').fill('2');
  await panel.getByLabel('Epochs').fill('2');
  await panel.getByLabel('Training digits').fill('2000');
  await panel.getByRole('button', { name: 'Train a VAE here' }).click();
  await expect(panel.locator('[part=train-status]')).toHaveText(
    /Done: a VAE with latent size 2 \(seed \d+\)\. Trained 2 epochs on 2,000 digits/,
    { timeout: 60_000 },
  );

  await figure.scrollIntoViewIfNeeded();
  // The scatter offers the VAE, now the one trained here, on its only two dimensions.
  const model = figure.locator('select[data-control=latent-model]');
  await expect(model).toHaveValue('vae');
  await expect(model.locator('option:checked')).toHaveText('VAE (μ)');
  for (const axis of ['latent-x', 'latent-y']) {
    await expect(figure.locator(`select[data-control=${axis}] option`)).toHaveText(['z1', 'z2']);
  }
  await expect(figure.locator('select[data-control=latent-y]')).toHaveValue('1');
  await expect(summary).toContainText(
    "10,000 test digits on dimensions 1 and 2 of your VAE (2 epochs, trained here)'s 2-D latent space (μ)",
    { timeout: 30_000 },
  );
  await expect(summary).toContainText(/z1 spans −?\d+\.\d\d to −?\d+\.\d\d, z2 spans/);
  await expect(box).toHaveAttribute('aria-label', /dimensions z1 and z2/);
  // Drawn again for the trained VAE, which replaced the shipped one, on z1 and z2.
  await expect(box).toHaveAttribute('data-drawn', /:0:1$/);
  await expect(box).not.toHaveAttribute('data-drawn', shipped!);
  // The map itself: ten digit colours of points, not a blank canvas.
  const colours = await box.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<string>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 150) seen.add(`${data[i] >> 4},${data[i + 1] >> 4},${data[i + 2] >> 4}`);
    }
    return seen.size;
  });
  expect(colours).toBeGreaterThan(10);
  expect(errors).toEqual([]);
});

test('each VAE sample can show its nearest training digit, which is not a copy of it', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('./');
  const figure = page.locator('ae-demo [data-figure=samples]').first();
  await expect(figure.locator('canvas[data-digits=samples]')).toHaveAttribute(
    'data-drawn',
    'true',
    {
      timeout: 60_000,
    },
  );
  await figure.getByRole('button', { name: 'Show the nearest training digits' }).click();
  const nearest = figure.locator('canvas[data-digits=nearest]');
  await expect(nearest).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  expect(await greyLevels(nearest)).toBeGreaterThan(20);
  const summary = figure.locator('[data-summary=nearest]');
  await expect(summary).toContainText('the nearest of the 12,000 training digits to each');
  const [low, high] = (await summary.textContent())!
    .match(/They are (\d\.\d{3}) to (\d\.\d{3}) apart/)!
    .slice(1)
    .map(Number);
  // Real digits: some distance from every neighbour (a copy would be 0), and within pixel range.
  expect(low).toBeGreaterThan(0.01);
  expect(high).toBeGreaterThanOrEqual(low);
  expect(high).toBeLessThan(0.6);
  expect(errors).toEqual([]);
});
