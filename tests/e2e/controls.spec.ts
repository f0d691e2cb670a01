import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadMnist } from '../../src/core/data/node.ts';
import { collectErrors, greyLevels, routeDemoMarkup } from './helpers.ts';

// page.route must see every request, and a service worker from an earlier test would answer first.
test.use({ serviceWorkers: 'block' });

/** The built site the tests run against (playwright.config.ts serves the same folder). */
const siteDir = resolve(process.env.AE_DEMO_SITE_DIR ?? 'dist/site');

/**
 * The shipped autoencoder's files in the built site (hashed names). The shipped denoiser has
 * the same architecture and kind, and weights of the same size, so they are told apart by
 * their bytes: those of build/models/ae-notebook (npm run build:models), which the site copies.
 */
function shippedAutoencoder(): { json: string; weights: Buffer } {
  const assets = join(siteDir, 'ae-demo', 'assets');
  const built = (file: string) => readFileSync(join('build', 'models', 'ae-notebook', file));
  const find = (pattern: RegExp, bytes: Buffer) =>
    readdirSync(assets)
      .filter((n) => pattern.test(n))
      .map((n) => readFileSync(join(assets, n)))
      .find((b) => b.equals(bytes));
  const json = find(/^model-.*\.json$/, built('model.json'));
  const weights = find(/^weights.*\.gz$/, built('weights.bin.gz'));
  if (!json || !weights) throw new Error(`no copy of build/models/ae-notebook in ${assets}`);
  return { json: json.toString('utf8'), weights };
}

/** Opens the demo page with `markup` in place of its `<ae-demo></ae-demo>`, as an author would write it. */
async function openWith(page: Page, markup: string): Promise<void> {
  await routeDemoMarkup(page, markup);
  await page.goto('./');
}

interface Events {
  errors: { code: string; message: string }[];
  progress: { fraction: number; epoch: number; epochs: number; kind: string }[];
  epochs: { epoch: number; epochs: number }[];
  trained: {
    kind: string;
    testScore: number;
    latentSize: number;
    epochs: number;
    seed: number;
    trainCount: number;
  }[];
}

/** Records ae-error, ae-train-progress, ae-train-epoch and ae-trained details from the page's start. */
async function recordEvents(page: Page): Promise<() => Promise<Events>> {
  await page.addInitScript(() => {
    const events: Events = { errors: [], progress: [], epochs: [], trained: [] };
    (window as unknown as { __events: Events }).__events = events;
    addEventListener('ae-error', (e) => events.errors.push((e as CustomEvent).detail));
    addEventListener('ae-train-progress', (e) => events.progress.push((e as CustomEvent).detail));
    addEventListener('ae-train-epoch', (e) => events.epochs.push((e as CustomEvent).detail));
    addEventListener('ae-trained', (e) => events.trained.push((e as CustomEvent).detail));
  });
  return () => page.evaluate(() => (window as unknown as { __events: Events }).__events);
}

test('the reader trains a VAE with their settings; the samples switch to it', async ({ page }) => {
  const errors = collectErrors(page);
  const events = await recordEvents(page);
  await openWith(page, '<ae-demo views="samples train"></ae-demo>');
  const demo = page.locator('ae-demo');
  const panel = demo.locator('[part=train]');
  await expect(panel.getByRole('button', { name: 'Train an autoencoder here' })).toBeEnabled({
    timeout: 60_000,
  });
  // Every control has a label and takes the keyboard.
  await panel.getByLabel('Method').selectOption('vae');
  await panel.getByLabel('Latent size').fill('2');
  await panel.getByLabel('Epochs').fill('2');
  await panel.getByLabel('Training digits').fill('600');
  await panel.getByLabel('Seed').fill('7');
  await panel.getByLabel('Seed').press('Tab');
  const train = panel.getByRole('button', { name: 'Train a VAE here' });
  await train.focus();
  await page.keyboard.press('Enter');

  const status = panel.locator('[part=train-status]');
  await expect(status).toHaveText(
    /Done: a VAE with latent size 2 \(seed 7\)\. Trained 2 epochs on 600 digits at [\d,]+ samples\/s; test loss \d+\.\d\d per digit\./,
    { timeout: 60_000 },
  );
  const samples = demo.locator('[part=models] canvas[data-digits=samples]');
  await expect(samples).toHaveAttribute('data-source', 'trained');
  expect(await greyLevels(samples)).toBeGreaterThan(20);
  const figure = demo.locator('[part=models] [data-figure=samples]');
  await expect(figure.locator('figcaption')).toHaveText(
    'Digits your VAE (2 epochs, trained here) dreams up',
  );
  await expect(figure.locator('[data-summary=samples]')).toContainText(
    'Decoded by your VAE (2 epochs, trained here) from 16 random points of its 2-dimensional latent space (seed 1).',
  );
  // The loss curve is in the VAE's units, and Save/Download act on the VAE.
  await expect(panel.locator('[data-figure=loss]')).toHaveAttribute('data-epochs', '2');
  await expect(panel.locator('[data-keep]')).toHaveText(
    'Save and Download act on your VAE (2 epochs, trained here).',
  );
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download model' }).click();
  expect((await download).suggestedFilename()).toBe('ae-demo-vae.json');

  const log = await events();
  expect(log.trained).toEqual([
    expect.objectContaining({ kind: 'vae', latentSize: 2, epochs: 2, seed: 7, trainCount: 600 }),
  ]);
  // Progress came as events, in order: each epoch once, and the progress reports
  // (at most one a frame, so a quick run may have few or none) for the VAE,
  // within the run's epochs, never stepping back.
  expect(log.epochs).toEqual([
    expect.objectContaining({ epoch: 1, epochs: 2 }),
    expect.objectContaining({ epoch: 2, epochs: 2 }),
  ]);
  expect(log.progress.every((p) => p.kind === 'vae' && p.epochs === 2 && p.epoch <= 2)).toBe(true);
  const fractions = log.progress.map((p) => p.fraction);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
  expect(log.errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('attributes reach the worker: latent size and seed; the same seed gives the same loss', async ({
  page,
}) => {
  const events = await recordEvents(page);
  await openWith(
    page,
    '<ae-demo views="train" latent="3" epochs="1" train-size="300" seed="5"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  const panel = demo.locator('[part=train]');
  await expect(panel.getByLabel('Latent size')).toHaveValue('3');
  await expect(panel.getByLabel('Training digits')).toHaveValue('300');
  const train = panel.getByRole('button', { name: 'Train an autoencoder here' });
  const status = panel.locator('[part=train-status]');
  const run = async (n: number) => {
    await expect(train).toBeEnabled({ timeout: 60_000 });
    await train.click();
    await expect.poll(async () => (await events()).trained.length, { timeout: 60_000 }).toBe(n);
  };
  await run(1);
  await expect(status).toContainText(
    /Done: an autoencoder with latent size 3 \(seed 5\)\. Trained 1 epoch on 300 digits/,
  );
  await run(2);
  // The reader's own seed overrides the attribute.
  await panel.getByLabel('Seed').fill('6');
  await panel.getByLabel('Seed').blur();
  await run(3);
  await expect(status).toContainText('(seed 6)');
  const [a, b, c] = (await events()).trained;
  expect(a).toMatchObject({ kind: 'ae', latentSize: 3, epochs: 1, seed: 5, trainCount: 300 });
  expect(b.testScore).toBe(a.testScore);
  expect(c.seed).toBe(6);
  expect(c.testScore).not.toBe(a.testScore);

  // A value out of range is said in words and blocks the start button.
  await panel.getByLabel('Latent size').fill('40');
  await panel.getByLabel('Latent size').blur();
  await expect(panel.locator('[data-form-error]')).toHaveText(
    'Latent size must be a whole number from 1 to 32.',
  );
  await expect(train).toBeDisabled();
});

test('autostart trains without a click', async ({ page }) => {
  const events = await recordEvents(page);
  await openWith(
    page,
    '<ae-demo views="reconstructions train" autostart train-epochs="1" train-size="200"></ae-demo>',
  );
  const status = page.locator('ae-demo [part=train-status]');
  await expect(status).toContainText('Trained 1 epoch on 200 digits', { timeout: 60_000 });
  await expect(page.locator('ae-demo [data-notebook] canvas[data-digits=ae]')).toHaveAttribute(
    'data-source',
    'trained',
  );
  expect((await events()).trained).toHaveLength(1);
});

test("model-src shows the author's model; a broken one is an error in words", async ({ page }) => {
  const { json, weights } = shippedAutoencoder();
  await page.route('**/elsewhere/my-ae.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: json }),
  );
  await page.route('**/elsewhere/renamed-weights.bin', (route) =>
    route.fulfill({ contentType: 'application/octet-stream', body: weights }),
  );
  const events = await recordEvents(page);
  await openWith(
    page,
    '<ae-demo views="reconstructions" model-src="elsewhere/my-ae.json" model-weights-src="elsewhere/renamed-weights.bin"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  const reconstructions = demo.locator('[data-notebook] canvas[data-digits=ae]');
  await expect(reconstructions).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  await expect(reconstructions).toHaveAttribute('data-source', 'url');
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
  await expect(demo.locator('[data-notebook] [data-figure=reconstructions]')).toContainText(
    /The autoencoder from http:\/\/127\.0\.0\.1:\d+\/docs\/ae-demo\/demo\/elsewhere\/my-ae\.json/,
  );
  await expect(demo.locator('[data-notebook] [data-summary=reconstructions]')).toContainText(
    /my-ae\.json 0\.0\d{3}/,
  );
  expect((await events()).errors).toEqual([]);

  // A model-src that is not there: the error in words, fired, and the shipped model instead.
  await demo.evaluate((el) => el.setAttribute('model-src', 'elsewhere/missing.json'));
  const error = demo.locator('[data-author-error]');
  await expect(error).toContainText(
    /model-src="http:\/\/127\.0\.0\.1:\d+\/docs\/ae-demo\/demo\/elsewhere\/missing\.json": Could not download .*missing\.json: HTTP 404 Not Found/,
    { timeout: 60_000 },
  );
  await expect(error).toContainText('The shipped model is shown instead.');
  await expect(reconstructions).toHaveAttribute('data-source', 'pretrained');
  const log = await events();
  expect(log.errors).toEqual([
    expect.objectContaining({
      code: 'DATA_FETCH_FAILED',
      message: expect.stringContaining('model-src='),
    }),
  ]);

  // A model-src that a bundler inlined as a data: URL (5 kB here) is named by type and size, never shown whole.
  const json5k = JSON.stringify({ note: 'x'.repeat(5000) });
  const inlined = `data:application/json;base64,${Buffer.from(json5k).toString('base64')}`;
  await demo.evaluate((el, url) => el.setAttribute('model-src', url), inlined);
  const named = `data:application/json,… (${json5k.length.toLocaleString('en-US')} bytes)`;
  await expect(error).toContainText(
    `model-src="${named}": ${named} is not a TF.js model.json (no modelTopology). The shipped model is shown instead.`,
    { timeout: 60_000 },
  );
  expect((await error.textContent())!.length).toBeLessThan(300);
  await expect.poll(async () => (await events()).errors.length).toBe(2);
  expect((await events()).errors[1].message).not.toContain(inlined.slice(0, 60));
});

test('a CSV data-src (500 MNIST test digits, Kaggle layout) draws the PCA figures', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const mnist = await loadMnist('test');
  const count = 500;
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
  const rows = Array.from({ length: count }, (_, i) =>
    [mnist.labels[i], ...mnist.pixels.subarray(i * 784, (i + 1) * 784)].join(','),
  );
  const csv = `${header}\r\n${rows.join('\r\n')}\r\n`;
  await page.route('**/my-data/mnist_test.csv', (route) =>
    route.fulfill({ contentType: 'text/csv', body: csv }),
  );
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openWith(
    page,
    '<ae-demo views="variance scatter" data-src="my-data/mnist_test.csv"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[part=status]')).toContainText('PCA of 500 digits', {
    timeout: 60_000,
  });
  await expect(demo.locator('[data-summary=variance]')).toHaveText(
    /\d+ components explain 9\d\.\d\d % of the variance\./,
  );
  await expect(demo.locator('[data-figure=scatter] canvas').first()).toBeVisible();
  await expect(demo.locator('[data-summary=scatter]')).toContainText(
    'All 500 digits on PC1 and PC2',
  );
  // Views not asked for draw nothing and load nothing: no mse chart, no models, no TF.js.
  await expect(demo.locator('[data-figure=mse] canvas')).toHaveCount(0);
  await expect(demo.locator('[part=models]')).toHaveCount(0);
  expect(requests.filter((u) => /\/assets\/(models-.*\.js|model-.*\.json)$/.test(u))).toEqual([]);

  // Asked for later, the samples load the models then.
  await demo.evaluate((el) => el.setAttribute('views', 'variance scatter samples'));
  await expect(demo.locator('[part=models] canvas[data-digits=samples]')).toHaveAttribute(
    'data-drawn',
    'true',
    { timeout: 60_000 },
  );
  expect(errors).toEqual([]);
});

test('invalid attributes are errors in words naming what is valid; the defaults stay', async ({
  page,
}) => {
  const events = await recordEvents(page);
  await openWith(page, '<ae-demo views="nonsense" method="cnn" latent="99" seed="x"></ae-demo>');
  const demo = page.locator('ae-demo');
  const box = demo.locator('[part=settings-error]');
  await expect(box).toContainText(
    'views="nonsense" names "nonsense", which is not a view; use any of variance, scatter, mse, reconstructions, samples, latent, compare, walk, interpolate, draw, plane-curve, denoise, train (or "all").',
  );
  await expect(box).toContainText('method="cnn" must be "ae" (an autoencoder) or "vae"');
  await expect(box).toContainText('latent="99" must be a whole number from 1 to 32.');
  await expect(box).toContainText('seed="x" must be a whole number from 0 to 2,147,483,647.');
  const log = await events();
  expect(log.errors.map((e) => e.code)).toEqual([
    'BAD_ARGUMENT',
    'BAD_ARGUMENT',
    'BAD_ARGUMENT',
    'BAD_ARGUMENT',
  ]);
  // Every view still shows, and the training panel keeps its defaults.
  const panel = demo.locator('[part=train]');
  await expect(panel.getByLabel('Latent size')).toHaveValue('10', { timeout: 60_000 });
  await expect(panel.getByLabel('Method')).toHaveValue('ae');
  await expect(panel.getByLabel('Seed')).toHaveValue('1');

  // Fixing the attribute clears its error.
  await demo.evaluate((el) => el.setAttribute('views', 'variance train'));
  await expect(box).not.toContainText('views=');
});

for (const width of [360, 1280]) {
  test(`fits a ${width} px wide page without sideways scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('./');
    const demo = page.locator('ae-demo');
    await expect(demo.locator('[part=train] [data-action=train]')).toBeEnabled({
      timeout: 60_000,
    });
    await expect(demo.locator('[data-figure=mse] canvas').first()).toBeVisible();
    // The figures are in the parts' shadow roots, which locators pierce.
    const top = async (name: string) =>
      (await demo.locator(`[data-figure=${name}]`).boundingBox())!.y;
    const box = {
      ...(await demo.evaluate((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        pageScroll: document.documentElement.scrollWidth,
        viewport: innerWidth,
      }))),
      variance: await top('variance'),
      scatter: await top('scatter'),
    };
    expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth);
    expect(box.pageScroll).toBeLessThanOrEqual(box.viewport);
    // Narrow: one figure per row; wide: side by side.
    if (width < 600) expect(box.scatter).toBeGreaterThan(box.variance);
    else expect(box.scatter).toBe(box.variance);
  });
}
