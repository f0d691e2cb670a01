import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { collectAeErrors, collectErrors, greyLevels } from './helpers.ts';

interface TrainLog {
  /** `detail.epoch` of every ae-train-epoch event, in order. */
  epochs: number[];
  trained: { testScore: number; epochs: number; samplesPerSecond: number } | undefined;
  longTasks: { start: number; duration: number }[];
}

/** Records ae-train-epoch and ae-trained events and main-thread long tasks from the start. */
async function observeTraining(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: TrainLog = { epochs: [], trained: undefined, longTasks: [] };
    (window as unknown as { __train: TrainLog }).__train = log;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        log.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    addEventListener('ae-train-epoch', (e) =>
      log.epochs.push((e as CustomEvent<{ epoch: number }>).detail.epoch),
    );
    addEventListener('ae-trained', (e) => (log.trained = (e as CustomEvent).detail));
  });
}

const trainLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { __train: TrainLog }).__train);

/** The progress bar's value, or null without one. */
function progressValue(demo: Locator): Promise<number | null> {
  return demo.evaluate((el) => {
    const bar = el.shadowRoot!.querySelector<HTMLProgressElement>('[part=train] progress');
    return bar ? bar.value : null;
  });
}

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
  await page.goto('./');
  const demo = page.locator('ae-demo');
  const train = demo.getByRole('button', { name: 'Train an autoencoder here' });
  await expect(train).toBeEnabled({ timeout: 60_000 });
  await page.evaluate(() => document.querySelector('ae-demo')!.setAttribute('train-epochs', '6'));
  const start = await page.evaluate(() => performance.now());
  await train.click();

  // The curve grows epoch by epoch, and the events come 1, 2, 3, … in order.
  const figure = demo.locator('[data-figure=loss]');
  await expect(figure).toHaveAttribute('data-epochs', '1', { timeout: 30_000 });
  await expect(figure.locator('canvas').first()).toBeVisible();
  await expect(figure).toHaveAttribute('data-epochs', '2');
  expect((await trainLog(page)).epochs).toEqual([1, 2]);
  const speed = demo.locator('[data-speed]');
  await expect(speed).toHaveText(/[\d,]+ samples\/s · .+ left/);
  console.log(`quick preset in Chromium: ${(await speed.textContent())?.replace(/\s+/g, ' ')}`);

  // The page answers at once while the worker trains.
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.evaluate(() => document.querySelector('ae-demo')!.shadowRoot!.childElementCount);
    expect(Date.now() - t0).toBeLessThan(100);
  }

  // Pause: nothing moves; resume: it goes on.
  await demo.getByRole('button', { name: 'Pause' }).click();
  const status = demo.locator('[part=train-status]');
  await expect(status).toContainText('Paused after');
  await expect(demo.getByRole('button', { name: 'Resume' })).toBeEnabled();
  // Let reports already on their way land, then watch for a second: nothing may change.
  await page.waitForTimeout(300);
  const held = { epochs: (await trainLog(page)).epochs.length, value: await progressValue(demo) };
  await page.waitForTimeout(1000);
  expect({
    epochs: (await trainLog(page)).epochs.length,
    value: await progressValue(demo),
  }).toEqual(held);
  await demo.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(async () => (await trainLog(page)).epochs.length).toBeGreaterThan(held.epochs);

  // Done: the trained model's reconstructions replace the shipped ones.
  await expect(status).toHaveText(
    /Trained 6 epochs on 2,000 digits at [\d,]+ samples\/s; test MSE 0\.0\d{3}\./,
    {
      timeout: 60_000,
    },
  );
  const log = await trainLog(page);
  expect(log.epochs).toEqual([1, 2, 3, 4, 5, 6]);
  expect(log.trained?.epochs).toBe(6);
  expect(log.trained?.testScore).toBeLessThan(0.1);
  await expect(figure).toHaveAttribute('data-epochs', '6');
  const reconstructions = demo.locator('[data-notebook] canvas[data-digits=ae]');
  await expect(reconstructions).toHaveAttribute('data-source', 'trained');
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
  await expect(demo.locator('[data-notebook] [data-figure=reconstructions]')).toContainText(
    'Your autoencoder (6 epochs, trained here)',
  );

  // Training never blocked the page's main thread for over 100 ms.
  expect(log.longTasks.filter((t) => t.duration > 100 && t.start + t.duration > start)).toEqual([]);

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
  await train.click();
  await expect(demo.locator('[data-figure=loss]')).toHaveAttribute('data-epochs', '1', {
    timeout: 30_000,
  });
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
  expect((await trainLog(page)).trained).toBeUndefined();

  // The worker still serves the element: a fresh run starts from epoch 1.
  await page.evaluate(() => document.querySelector('ae-demo')!.setAttribute('train-epochs', '1'));
  await train.click();
  await expect(status).toHaveText(/Trained 1 epoch on 2,000 digits/, { timeout: 60_000 });
  expect((await trainLog(page)).epochs.at(-1)).toBe(1);
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
