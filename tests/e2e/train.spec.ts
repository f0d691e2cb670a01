import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import {
  collectAeErrors,
  collectErrors,
  greyLevels,
  longTasksSince,
  pageNow,
  recordLongTasks,
  recordRendered,
} from './helpers.ts';

interface TrainLog {
  /** `detail.epoch` of every ae-train-epoch event, in order. */
  epochs: number[];
  /** `detail.etaSeconds` of each of those events: the time the rest of the run should take. */
  etas: (number | null)[];
  trained: { testScore: number; epochs: number; samplesPerSecond: number } | undefined;
}

/** Records ae-train-epoch and ae-trained events from the page's start. */
async function observeTraining(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: TrainLog = { epochs: [], etas: [], trained: undefined };
    (window as unknown as { __train: TrainLog }).__train = log;
    addEventListener('ae-train-epoch', (e) => {
      const detail = (e as CustomEvent<{ epoch: number; etaSeconds: number | null }>).detail;
      log.epochs.push(detail.epoch);
      log.etas.push(detail.etaSeconds);
    });
    addEventListener('ae-trained', (e) => (log.trained = (e as CustomEvent).detail));
  });
}

const trainLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { __train: TrainLog }).__train);

/** How many ae-train-epoch events have come so far. */
const epochCount = async (page: Page) => (await trainLog(page)).epochs.length;

/** 1, 2, …, n. */
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('the shipped autoencoder and VAE show their digits after the PCA figures', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('http://127.0.0.1') && !request.url().startsWith('blob:'))
      outside.push(request.url());
  });
  await page.goto('./');
  const demo = page.locator('ae-demo');
  const reconstructions = demo.locator('[data-notebook] canvas[data-digits=ae]');
  const samples = demo.locator('[part=models] canvas[data-digits=samples]');
  await expect(reconstructions).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  await expect(reconstructions).toHaveAttribute('data-source', 'pretrained');
  await expect(demo.locator('[data-notebook] canvas[data-digits=originals]')).toHaveAttribute(
    'data-drawn',
    'true',
  );
  await expect(samples).toHaveAttribute('data-drawn', 'true');
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
  expect(await greyLevels(samples)).toBeGreaterThan(20);
  // The shipped AE's test MSE, set against PCA's at k = 10 and the VAE's on the same digits.
  await expect(demo.locator('[data-notebook] [data-summary=reconstructions]')).toHaveText(
    /over the 10,000 test digits: PCA with 10 components\s+0\.0339, the shipped autoencoder 0\.0\d{3},\s+the shipped VAE \(from μ\) 0\.0\d{3}/,
  );
  // Threads when the site is cross-origin isolated (it is: serve-site.ts) on 4+ cores
  // (MIN_CORES_FOR_THREADS in src/core/models/backend.ts).
  const threads = await page.evaluate(
    () => crossOriginIsolated && navigator.hardwareConcurrency >= 4,
  );
  await expect(demo.locator('[data-backend]')).toHaveText(
    `TF.js wasm, SIMD on, threads ${threads ? 'on' : 'off'} (in a worker).`,
  );

  // New samples are new digits.
  const before = await samples.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await demo.getByRole('button', { name: 'New samples' }).click();
  await expect
    .poll(() => samples.evaluate((c: HTMLCanvasElement) => c.toDataURL()))
    .not.toBe(before);
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

test('training in the worker: live loss curve, pause and resume, a responsive page', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await observeTraining(page);
  await recordLongTasks(page);
  const pointsShown = await recordRendered(page, '[data-figure=loss]', 'data-epochs');
  const speedShown = await recordRendered(page, '[part=train] [data-speed]');
  await page.goto('./');
  const demo = page.locator('ae-demo');
  const train = demo.getByRole('button', { name: 'Train an autoencoder here' });
  await expect(train).toBeEnabled({ timeout: 60_000 });
  // Enough epochs that Pause, clicked after the first, lands well before the last on any machine.
  const epochs = 10;
  await demo.evaluate((el, n) => el.setAttribute('train-epochs', String(n)), epochs);
  const start = await pageNow(page);
  await train.click();

  // The first epoch's point is on the curve while training goes on.
  const figure = demo.locator('[data-figure=loss]');
  await expect.poll(() => epochCount(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await expect(figure.locator('canvas').first()).toBeVisible();

  // Pause: the element says so at once. The worker takes the pause at its next
  // batch, so an epoch already finished (or nearly) may still report; after
  // that the run holds until Resume.
  await demo.getByRole('button', { name: 'Pause' }).click();
  const status = demo.locator('[part=train-status]');
  await expect(status).toContainText(`Paused after epoch `);
  const resume = demo.getByRole('button', { name: 'Resume' });
  await expect(resume).toBeEnabled();
  const speed = demo.locator('[part=train] [data-speed]');
  await expect(speed).toHaveText(
    new RegExp(`^Epoch \\d+ of ${epochs} · [\\d,]+ samples/s · paused$`),
  );
  console.log(`quick preset in Chromium: ${(await speed.textContent())?.replace(/\s+/g, ' ')}`);
  // Held as long as the rest of the run would take at its pace so far (at
  // least a second): an unpaused run would run its epochs out meanwhile, a
  // paused one never. The wait sets how sure the check is, not whether it passes.
  const eta = (await trainLog(page)).etas.at(-1) ?? 0;
  await page.waitForTimeout(Math.min(15_000, Math.max(1_000, 1_000 * eta)));
  const held = await trainLog(page);
  expect(held.trained).toBeUndefined();
  expect(held.epochs.length).toBeLessThan(epochs);
  expect(held.epochs).toEqual(oneTo(held.epochs.length));
  await expect(status).toContainText(`Paused after epoch `);
  await expect(resume).toBeEnabled();
  // The curve shows every epoch that has come, and no more.
  await expect
    .poll(async () => Number(await figure.getAttribute('data-epochs')) - (await epochCount(page)))
    .toBe(0);

  // Resume: it goes on to the end.
  await resume.click();
  await expect(status).toHaveText(
    new RegExp(
      `Trained ${epochs} epochs on 2,000 digits at [\\d,]+ samples/s; test MSE 0\\.0\\d{3}\\.`,
    ),
    { timeout: 60_000 },
  );
  // Every epoch came once, in order, across the pause; the curve has one point per epoch.
  const log = await trainLog(page);
  expect(log.epochs).toEqual(oneTo(epochs));
  expect(log.trained?.epochs).toBe(epochs);
  expect(log.trained?.testScore).toBeLessThan(0.1);
  await expect(figure).toHaveAttribute('data-epochs', String(epochs));
  // The curve grew epoch by epoch: it never lost a point, and it ended with all of them.
  const points = (await pointsShown()).map(Number);
  expect(points).toEqual([...points].sort((a, b) => a - b));
  expect(points.at(-1)).toBe(epochs);
  // The speed line said the pace and the time left while training ran (it does
  // from Resume on), "paused" while paused, and never anything else.
  const lines = await speedShown();
  const line = new RegExp(
    `^(Starting…|Scoring on the test digits…|Epoch \\d+ of ${epochs} · ` +
      '(measuring speed|[\\d,]+ samples/s) · (time left unknown|paused|.+ left))$',
  );
  expect(lines.filter((l) => !line.test(l))).toEqual([]);
  expect(lines.some((l) => /· [\d,]+ samples\/s · (under a second|about .+) left$/.test(l))).toBe(
    true,
  );
  const reconstructions = demo.locator('[data-notebook] canvas[data-digits=ae]');
  await expect(reconstructions).toHaveAttribute('data-source', 'trained');
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
  await expect(demo.locator('[data-notebook] [data-figure=reconstructions]')).toContainText(
    `Your autoencoder (${epochs} epochs, trained here)`,
  );

  // The page stayed responsive: training never blocked its main thread for over 100 ms.
  expect(await longTasksSince(page, start)).toEqual([]);

  // Save in IndexedDB (from the worker), and download the two files.
  await demo.getByRole('button', { name: 'Save in this browser' }).click();
  await expect(demo.locator('[data-note]')).toContainText(
    'Saved in this browser (IndexedDB) as indexeddb://ae-demo-autoencoder',
  );
  const download = page.waitForEvent('download');
  await demo.getByRole('button', { name: 'Download model' }).click();
  expect((await download).suggestedFilename()).toBe('ae-demo-autoencoder.json');
  await expect(demo.locator('a[download]')).toHaveCount(2);
  expect(errors).toEqual([]);
});

test('a model saved in this browser or downloaded loads back and rebuilds the digits', async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  const train = demo.getByRole('button', { name: 'Train an autoencoder here' });
  const loadSaved = demo.getByRole('button', { name: 'Load your autoencoder from this browser' });
  await expect(train).toBeEnabled({ timeout: 60_000 });
  // A fresh browser has nothing saved.
  await expect(loadSaved).toHaveCount(0);
  await page.evaluate(() => document.querySelector('ae-demo')!.setAttribute('train-epochs', '2'));
  await train.click();
  const status = demo.locator('[part=train-status]');
  await expect(status).toHaveText(/Trained 2 epochs on 2,000 digits .*; test MSE 0\.0\d{3}\./, {
    timeout: 60_000,
  });
  const trainedMse = /test MSE (0\.\d{4})/.exec((await status.textContent()) ?? '')![1];

  await demo.getByRole('button', { name: 'Save in this browser' }).click();
  await expect(demo.locator('[data-note]')).toContainText('Saved in this browser (IndexedDB)');
  await expect(loadSaved).toBeEnabled();
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await demo.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const saved = new Map<string, string>();
  for (const d of downloads) {
    const path = testInfo.outputPath(d.suggestedFilename());
    await d.saveAs(path);
    saved.set(d.suggestedFilename(), path);
  }
  const jsonPath = saved.get('ae-demo-autoencoder.json')!;
  const weightsPath = saved.get('ae-demo-autoencoder.weights.bin')!;
  expect([...saved.keys()].sort()).toEqual([
    'ae-demo-autoencoder.json',
    'ae-demo-autoencoder.weights.bin',
  ]);

  // A new visit finds the saved model and shows what it does, scored in the worker.
  await page.reload();
  await expect(loadSaved).toBeEnabled({ timeout: 60_000 });
  await loadSaved.click();
  const reconstructions = demo.locator('[data-notebook] canvas[data-digits=ae]');
  const caption = demo.locator('[data-notebook] [data-figure=reconstructions]');
  const summary = demo.locator('[data-notebook] [data-summary=reconstructions]');
  await expect(reconstructions).toHaveAttribute('data-source', 'saved', { timeout: 60_000 });
  await expect(reconstructions).toHaveAttribute('data-drawn', 'true');
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
  await expect(caption).toContainText(
    'The autoencoder saved in this browser (indexeddb://ae-demo-autoencoder, saved ',
  );
  await expect(summary).toContainText(`this browser (indexeddb://ae-demo-autoencoder, saved `);
  await expect(summary).toContainText(` ${trainedMse}, `);

  // Files: one alone, or another project's model, is an error in words, shown and fired.
  const open = demo.getByLabel('Open a downloaded model…');
  const openError = demo.locator('[part=open-error]');
  await open.setInputFiles(jsonPath);
  await expect(openError).toContainText(
    'ae-demo-autoencoder.json needs its weights too: choose ae-demo-autoencoder.weights.bin with it.',
  );
  const foreign = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    userDefinedMetadata: Record<string, unknown>;
  };
  delete foreign.userDefinedMetadata.aeDemo;
  await open.setInputFiles([
    {
      name: 'other.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(foreign)),
    },
    {
      name: 'ae-demo-autoencoder.weights.bin',
      mimeType: 'application/octet-stream',
      buffer: await readFile(weightsPath),
    },
  ]);
  await expect(openError).toContainText('other.json is a TF.js model but not one saved by ae-demo');
  expect(failures).toEqual([
    expect.stringContaining('needs its weights too'),
    expect.stringContaining('not one saved by ae-demo'),
  ]);
  await expect(reconstructions).toHaveAttribute('data-source', 'saved');

  // The two downloaded files load back the same model.
  await open.setInputFiles([jsonPath, weightsPath]);
  await expect(reconstructions).toHaveAttribute('data-source', 'file');
  await expect(openError).toHaveCount(0);
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
  await expect(caption).toContainText('The autoencoder from ae-demo-autoencoder.json');
  await expect(summary).toContainText(`ae-demo-autoencoder.json ${trainedMse}, `);
  expect(failures).toHaveLength(2);

  // Save and Download now act on the model opened, not on one trained on the page.
  await expect(demo.locator('[data-keep]')).toHaveText(
    'Save and Download act on the autoencoder from ae-demo-autoencoder.json.',
  );
  const again: Download[] = [];
  page.on('download', (d) => again.push(d));
  await demo.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => again.length).toBe(2);
  const weightsAgain = again.find((d) => d.suggestedFilename().endsWith('.weights.bin'))!;
  const copy = testInfo.outputPath('again.weights.bin');
  await weightsAgain.saveAs(copy);
  expect((await readFile(copy)).equals(await readFile(weightsPath))).toBe(true);
  expect(errors).toEqual([]);
});

test('cancelling training leaves the element ready to train again', async ({ page }) => {
  const errors = collectErrors(page);
  await observeTraining(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  const train = demo.getByRole('button', { name: 'Train an autoencoder here' });
  await expect(train).toBeEnabled({ timeout: 60_000 });
  // The most epochs allowed: Cancel, clicked after the first, lands mid-run on any machine.
  await demo.evaluate((el) => el.setAttribute('train-epochs', '100'));
  await train.click();
  await expect.poll(() => epochCount(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await demo.getByRole('button', { name: 'Cancel' }).click();

  const status = demo.locator('[part=train-status]');
  await expect(status).toHaveText('Training cancelled.');
  await expect(train).toBeEnabled();
  await expect(demo.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await expect(demo.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  await expect(demo.locator('[data-figure=loss]')).toHaveCount(0);
  await expect(demo.locator('[part=train] progress')).toHaveCount(0);
  await expect(demo.locator('[part=train-error]')).toHaveCount(0);
  await expect(demo.locator('[data-notebook] canvas[data-digits=ae]')).toHaveAttribute(
    'data-source',
    'pretrained',
  );
  // The epochs before the cancel came in order; none comes after it, and the run never ended.
  const cancelled = await trainLog(page);
  expect(cancelled.epochs).toEqual(oneTo(cancelled.epochs.length));
  expect(cancelled.trained).toBeUndefined();

  // The worker still serves the element: a fresh run starts from epoch 1.
  await demo.evaluate((el) => el.setAttribute('train-epochs', '1'));
  await train.click();
  await expect(status).toHaveText(/Trained 1 epoch on 2,000 digits/, { timeout: 60_000 });
  const log = await trainLog(page);
  expect(log.epochs).toEqual([...cancelled.epochs, 1]);
  expect(log.trained?.epochs).toBe(1);
  expect(errors).toEqual([]);
});

test('missing shipped weights are an error in words; the PCA figures stay', async ({ page }) => {
  await page.route('**/assets/model-*.json', (route) =>
    route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
  );
  const failures = await collectAeErrors(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[part=models-error]')).toContainText(
    /Could not download http:\/\/127\.0\.0\.1:\d+\/docs\/ae-demo\/demo\/ae-demo\/assets\/model-[\w-]+\.json: HTTP 404/,
    { timeout: 60_000 },
  );
  await expect(demo.locator('[data-summary=variance]')).toHaveText(
    '84 components explain 90.07 % of the variance.',
  );
  expect(failures).toHaveLength(1);
});
