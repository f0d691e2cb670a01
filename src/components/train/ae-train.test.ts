import type { Page } from '@playwright/test';
import { expect, test } from '../../../tests/parts/fixture.ts';

/** The types of the events the part fired, and the details of those of `type`. */
const events = (page: Page, type?: string) =>
  page.evaluate(
    (t) => window.part.events.filter((e) => !t || e.type === t).map((e) => (t ? e.detail : e.type)),
    type,
  );

const panel = (page: Page) => page.locator('ae-train [part=train]');

test('trains with the author settings: every epoch once and in order, the loss curve, ae-trained, the model shown', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-train', { train: { preset: 'quick', epochs: 3, latent: 4 } });
  const train = panel(page).getByRole('button', { name: 'Train an autoencoder here' });
  await expect(panel(page).locator('[data-setting=epochs]')).toHaveValue('3');
  await expect(panel(page).locator('[part=train-status]')).toHaveText('Ready to train.');
  await train.click();
  const status = panel(page).locator('[part=train-status]');
  await expect(status).toHaveText(
    'Done: an autoencoder with latent size 4 (seed 1). Trained 3 epochs on 200 digits at 1,000 samples/s; test MSE 0.0200.',
  );
  const figure = panel(page).locator('[data-figure=loss]');
  await expect(figure).toHaveAttribute('data-epochs', '3');
  await expect(figure.locator('.chart')).toHaveAttribute('data-points', '3');
  expect(
    ((await events(page, 'ae-train-epoch')) as { epoch: number }[]).map((e) => e.epoch),
  ).toEqual([1, 2, 3]);
  expect(await events(page, 'ae-trained')).toEqual([
    {
      kind: 'ae',
      testScore: 0.02,
      testCount: 100,
      epochs: 3,
      latentSize: 4,
      seed: 1,
      trainCount: 200,
      samplesPerSecond: 1000,
      backend: expect.objectContaining({ name: 'wasm' }),
    },
  ]);
  expect(await events(page, 'ae-error')).toEqual([]);
  const spec = await page.evaluate(
    () => window.part.bridge.calls.find((c) => c.name === 'train')?.args[0],
  );
  expect(spec).toEqual({
    kind: 'ae',
    preset: 'quick',
    epochs: 3,
    latent: 4,
    seed: 1,
    trainSize: 2000,
  });
  const shown = await page.evaluate(() => {
    const ae = window.part.store.models.ae;
    return ae && { label: ae.label, source: ae.source, latentSize: ae.latentSize };
  });
  expect(shown).toEqual({
    label: 'Your autoencoder (3 epochs, trained here)',
    source: 'trained',
    latentSize: 4,
  });
  // The shipped autoencoder it replaced is freed in the worker.
  const freed = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'disposeModels').flatMap((c) => c.args),
  );
  expect(freed).toEqual([expect.stringMatching(/^ae-/)]);
  await expect(panel(page).locator('[data-keep]')).toHaveText(
    'Save and Download act on your autoencoder (3 epochs, trained here).',
  );
  await expect(train).toBeEnabled();
  await expect(panel(page).locator('[data-speed]')).toHaveCount(0);
});

test('pause holds the run, resume lets it go on, cancel ends it with nothing half-drawn', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-train', {
    train: { preset: 'quick', epochs: 3 },
    script: { hold: ['train:epoch'] },
  });
  const status = panel(page).locator('[part=train-status]');
  const speed = panel(page).locator('[data-speed]');
  await panel(page).locator('[data-action=train]').click();
  await expect(status).toHaveText('Training, epoch 1 of 3 (0 %).');
  await expect(panel(page).locator('[data-action=train]')).toBeDisabled();
  await expect(panel(page).locator('[part=train-settings] [data-setting=latent]')).toBeDisabled();
  await expect(panel(page).locator('progress')).toHaveJSProperty('value', 0);

  await panel(page).locator('[data-action=pause]').click();
  await expect(status).toHaveText('Paused after a few batches (0 %).');
  await expect(speed).toHaveText('Epoch 1 of 3 · measuring speed · paused');
  await panel(page).locator('[data-action=resume]').click();
  await expect(panel(page).locator('[data-action=pause]')).toBeEnabled();
  const taskId = await page.evaluate(() => window.part.store.training.taskId);
  const held = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => ['pause', 'resume'].includes(c.name)),
  );
  expect(held).toEqual([
    { name: 'pause', args: [taskId] },
    { name: 'resume', args: [taskId] },
  ]);

  await page.evaluate(() => window.part.bridge.release('train:epoch'));
  await expect(status).toHaveText(
    'Training, epoch 2 of 3 (33 %). Epoch 1: loss 0.1000, validation loss 0.1200.',
  );
  await expect(panel(page).locator('[data-figure=loss]')).toHaveAttribute('data-epochs', '1');
  await expect(panel(page).locator('[data-figure=loss] .chart')).toHaveAttribute(
    'data-points',
    '1',
  );
  await expect(speed).toHaveText(/^Epoch 2 of 3 · 1,000 samples\/s · /);

  await panel(page).locator('[data-action=cancel]').click();
  await page.evaluate(() => window.part.bridge.release('train:epoch'));
  await expect(status).toHaveText('Training cancelled.');
  await expect(panel(page).locator('[data-figure=loss]')).toHaveCount(0);
  await expect(panel(page).locator('progress')).toHaveCount(0);
  await expect(panel(page).locator('[data-action=train]')).toBeEnabled();
  await expect(panel(page).locator('[data-action=cancel]')).toBeDisabled();
  const progress = (await events(page, 'ae-train-progress')) as { paused: boolean }[];
  expect(progress.some((p) => p.paused)).toBe(true);
  expect(
    ((await events(page, 'ae-train-epoch')) as { epoch: number }[]).map((e) => e.epoch),
  ).toEqual([1]);
  expect(await events(page, 'ae-trained')).toEqual([]);
  expect(await events(page, 'ae-error')).toEqual([]);
  expect(await page.evaluate(() => window.part.store.models.ae?.source)).toBe('pretrained');
});

test("the reader's settings override the author's until the author changes them", async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-train', { train: { preset: 'quick', latent: 4 } });
  const latent = panel(page).locator('[data-setting=latent]');
  await expect(latent).toHaveValue('4');
  await latent.fill('0');
  await latent.dispatchEvent('change');
  await expect(panel(page).locator('[data-form-error]')).toHaveText(
    'Latent size must be a whole number from 1 to 32.',
  );
  await expect(latent).toHaveAttribute('aria-invalid', 'true');
  await expect(panel(page).locator('[data-action=train]')).toBeDisabled();
  await latent.fill('6');
  await latent.dispatchEvent('change');
  await expect(panel(page).locator('[data-form-error]')).toHaveCount(0);
  await panel(page).locator('[data-setting=method]').selectOption('vae');
  await expect(panel(page).getByRole('button', { name: 'Train a VAE here' })).toBeEnabled();
  await expect(panel(page).locator('h3')).toHaveText('Train a VAE here');
  // The author sets new attributes: a new object, and the form takes them.
  await page.evaluate(() => {
    const attributes = { preset: 'quick' as const, latent: 8 };
    window.part.store.host.trainAttributes = () => attributes;
    window.part.store.changed();
  });
  await expect(latent).toHaveValue('8');
  await expect(
    panel(page).getByRole('button', { name: 'Train an autoencoder here' }),
  ).toBeVisible();
});

test('autostart trains once with the author settings; a failed run is said and fired', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-train', {
    train: { preset: 'quick', method: 'vae', epochs: 2, seed: 7 },
    script: { fail: { train: 'out of memory' } },
  });
  await page.evaluate(async () => {
    await window.part.store.training.autostart();
    // Once: a run that has ended (here, failed) is not started again.
    await window.part.store.training.autostart();
  });
  const error = panel(page).locator('[part=train-error]');
  await expect(error).toHaveText(/^\s*Training failed\.\s*out of memory\s*$/);
  await expect(panel(page).locator('[part=train-status]')).toHaveText(
    'Training failed; see the message below.',
  );
  const specs = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'train').map((c) => c.args[0]),
  );
  expect(specs).toEqual([
    { kind: 'vae', preset: 'quick', epochs: 2, latent: 10, seed: 7, trainSize: 2000 },
  ]);
  expect(await events(page, 'ae-error')).toEqual([{ code: 'INTERNAL', message: 'out of memory' }]);
  expect(await events(page, 'ae-trained')).toEqual([]);
});

test('a trained model is saved in this browser, downloaded, and loaded back', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-train', { train: { preset: 'quick', epochs: 1 } });
  await panel(page).locator('[data-action=train]').click();
  await expect(panel(page).locator('[part=train-status]')).toContainText('Done:');
  await panel(page).locator('[data-action=save]').click();
  await expect(panel(page).locator('[data-note]')).toHaveText(
    'Saved in this browser (IndexedDB) as indexeddb://ae-demo-autoencoder, 0.0 MB.',
  );
  await panel(page).locator('[data-action=download]').click();
  await expect(panel(page).locator('.downloads a')).toHaveText([
    'ae-demo-autoencoder.json (0.00 MB)',
    'ae-demo-autoencoder.weights.bin (0.00 MB)',
  ]);
  const load = panel(page).getByRole('button', { name: 'Load your autoencoder from this browser' });
  await load.click();
  await expect(panel(page).locator('[data-keep]')).toContainText(
    'Save and Download act on the autoencoder saved in this browser (indexeddb://ae-demo-autoencoder, saved',
  );
  const loaded = await page.evaluate(
    () => window.part.bridge.calls.filter((c) => c.name === 'loadModel').at(-1)?.args[0],
  );
  expect(loaded).toEqual({ indexedDb: 'indexeddb://ae-demo-autoencoder' });
  expect(await page.evaluate(() => window.part.store.models.ae?.source)).toBe('saved');
  await expect(panel(page).locator('[part=open-error]')).toHaveCount(0);
});

test('the form shows the store’s view state (a link’s settings) over the author’s, and keeps the reader’s there', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-train', { train: { preset: 'quick', latent: 4 } });
  const form = panel(page);
  await expect(form.locator('[data-setting=latent]')).toHaveValue('4');
  await page.evaluate(() =>
    window.part.store.view.update({ train: { method: 'vae', seed: 9, epochs: 2 } }, 'link'),
  );
  await expect(form.locator('[data-setting=method]')).toHaveValue('vae');
  await expect(form.locator('[data-setting=seed]')).toHaveValue('9');
  await expect(form.locator('[data-setting=epochs]')).toHaveValue('2');
  // The author's latent size stays where the link says nothing.
  await expect(form.locator('[data-setting=latent]')).toHaveValue('4');
  await form.locator('[data-setting=trainSize]').fill('300');
  await form.locator('[data-setting=trainSize]').dispatchEvent('change');
  await expect
    .poll(() => page.evaluate(() => window.part.store.view.value.train))
    .toEqual({ method: 'vae', seed: 9, epochs: 2, trainSize: 300 });
});
