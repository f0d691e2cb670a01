import { expect, fired, test } from '../../../tests/parts/fixture.ts';

const trainedVae = {
  modelId: 'vae-trained',
  kind: 'vae',
  inputSize: 784,
  latentSize: 2,
  description: {},
  label: 'Your VAE (2 epochs, trained here)',
  source: 'trained',
} as const;

/** The seeds the part asked the (fake) worker to sample with, in order. */
const sampleCalls = (page: import('@playwright/test').Page) =>
  page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'sample').map((c) => c.args),
  );

test('draws 16 digits of the shipped VAE with seed 1; New samples draws seed 2, then 3', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-samples');
  const figure = page.locator('ae-samples [data-figure=samples]');
  const canvas = figure.locator('canvas[data-digits=samples]');
  await expect(canvas).toHaveAttribute('data-drawn', 'true');
  await expect(canvas).toHaveAttribute('data-source', 'pretrained');
  await expect(figure.locator('figcaption')).toHaveText('Digits the shipped VAE dreams up');
  const summary = figure.locator('[data-summary=samples]');
  await expect(summary).toContainText(
    'Decoded by the shipped VAE from 16 random points of its 10-dimensional latent space (seed 1).',
  );
  const first = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const button = figure.getByRole('button', { name: 'New samples' });
  await button.click();
  await expect(summary).toContainText('(seed 2).');
  await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(first);
  await button.click();
  await expect(summary).toContainText('(seed 3).');
  const vae = await page.evaluate(() => window.part.store.models.vae?.modelId);
  expect(await sampleCalls(page)).toEqual([
    [vae, 16, 1],
    [vae, 16, 2],
    [vae, 16, 3],
  ]);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('while new samples are drawn the last stay and the button waits', async ({
  page,
  mountPart,
}) => {
  // Every draw waits for release('sample').
  await mountPart('ae-samples', { script: { hold: ['sample'] } });
  const figure = page.locator('ae-samples [data-figure=samples]');
  await expect(figure.locator('.summary')).toHaveText('Loading the shipped VAE…');
  await page.evaluate(() => window.part.bridge.release('sample'));
  const button = figure.getByRole('button', { name: 'New samples' });
  await expect(figure.locator('[data-summary=samples]')).toContainText('(seed 1).');
  await button.click();
  await expect(button).toBeDisabled();
  await expect(figure.locator('[data-summary=samples]')).toContainText('(seed 1).');
  await page.evaluate(() => window.part.bridge.release('sample'));
  await expect(figure.locator('[data-summary=samples]')).toContainText('(seed 2).');
  await expect(button).toBeEnabled();
});

test('a newly shown VAE draws from seed 1 again, and says whose digits they are', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-samples');
  const figure = page.locator('ae-samples [data-figure=samples]');
  await figure.getByRole('button', { name: 'New samples' }).click();
  await expect(figure.locator('[data-summary=samples]')).toContainText('(seed 2).');
  await page.evaluate((model) => window.part.store.show({ ...model }), trainedVae);
  const canvas = figure.locator('canvas[data-digits=samples]');
  await expect(canvas).toHaveAttribute('data-source', 'trained');
  await expect(figure.locator('figcaption')).toHaveText(
    'Digits your VAE (2 epochs, trained here) dreams up',
  );
  await expect(figure.locator('[data-summary=samples]')).toContainText(
    'Decoded by your VAE (2 epochs, trained here) from 16 random points of its 2-dimensional latent space (seed 1).',
  );
  expect((await sampleCalls(page)).at(-1)).toEqual(['vae-trained', 16, 1]);
});

test('before the VAE is loaded it says so; a failed draw is said and fired once', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-samples', { models: false, script: { fail: { sample: 'no latent space' } } });
  const figure = page.locator('ae-samples [data-figure=samples]');
  await expect(figure.locator('.summary')).toHaveText('Loading the shipped VAE…');
  expect(await sampleCalls(page)).toEqual([]);
  await page.evaluate(
    (model) => window.part.store.show({ ...model, label: 'The shipped VAE', source: 'pretrained' }),
    { ...trainedVae, modelId: 'vae-1' },
  );
  await expect(figure.locator('[role=alert]')).toHaveText(
    /^\s*Could not draw this figure\.\s*no latent space\s*$/,
  );
  await expect(figure.locator('canvas[data-digits=samples]')).toHaveCount(0);
  await page.evaluate(() => window.part.store.changed());
  await expect(figure.locator('.summary')).toHaveText('Loading the shipped VAE…');
  const errors = await fired(page, 'ae-error');
  expect(errors).toEqual([{ code: 'INTERNAL', message: 'no latent space' }]);
});

test('Show the nearest training digits draws each sample’s nearest training digit and the distances', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-samples');
  const figure = page.locator('ae-samples [data-figure=samples]');
  await expect(figure.locator('canvas[data-digits=samples]')).toHaveAttribute('data-drawn', 'true');
  await figure.getByRole('button', { name: 'Show the nearest training digits' }).click();
  const nearest = figure.locator('canvas[data-digits=nearest]');
  await expect(nearest).toHaveAttribute('data-drawn', 'true');
  // The fake worker puts sample j at 0.1 + j / 100 from its neighbour: 0.100 to 0.250, 0.175 on average.
  await expect(figure.locator('[data-summary=nearest]')).toContainText(
    'They are 0.100 to 0.250 apart (0.175 on average; root mean square per pixel, 0 would be a copy)',
  );
  const calls = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'nearest' || c.name === 'loadDataset')
      .map((c) => [c.name, c.name === 'nearest' ? (c.args[1] as Float32Array).length : 0]),
  );
  // One search, over the 16 samples' 16 × 784 pixels, in the training set loaded for it.
  expect(calls.filter(([name]) => name === 'nearest')).toEqual([['nearest', 16 * 784]]);
  expect(calls.some(([name]) => name === 'loadDataset')).toBe(true);
  // New samples forget their neighbours until asked again.
  await figure.getByRole('button', { name: 'New samples' }).click();
  await expect(figure.locator('[data-summary=samples]')).toContainText('(seed 2).');
  await expect(nearest).toHaveCount(0);
  await expect(
    figure.getByRole('button', { name: 'Show the nearest training digits' }),
  ).toBeVisible();
  expect(await fired(page, 'ae-error')).toEqual([]);
});
