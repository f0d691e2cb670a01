import { authorImages, expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';

const ROWS = ['clean', 'noisy', 'dae', 'ae', 'pca'];

test('clean, noisy and three rebuilt rows, with each error in the sentence and the data attributes', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise');
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  for (const name of ROWS) {
    await expect(figure.locator(`canvas[data-digits=denoise-${name}]`)).toHaveAttribute(
      'data-drawn',
      'true',
    );
  }
  await expect(figure).toHaveAttribute('data-noise', 'gaussian:0.3');
  await expect(figure).toHaveAttribute('data-denoiser', 'pretrained');
  await expect(figure).toHaveAttribute('data-count', '100');
  await expect(figure).toHaveAttribute('data-k', '10');
  // The fake's errors follow the level: noisy σ/6, denoiser σ/12, plain AE σ/5, PCA σ/8.
  expect(Number(await figure.getAttribute('data-mse-noisy'))).toBeCloseTo(0.05, 10);
  expect(Number(await figure.getAttribute('data-mse-dae'))).toBeCloseTo(0.025, 10);
  expect(Number(await figure.getAttribute('data-mse-ae'))).toBeCloseTo(0.06, 10);
  expect(Number(await figure.getAttribute('data-mse-pca'))).toBeCloseTo(0.0375, 10);
  await expect(figure.locator('[data-summary=denoise]')).toHaveText(
    "With Gaussian noise σ = 0.30 on the 100 test digits, the noisy digits' error is 0.0500; " +
      'the shipped denoising autoencoder (trained with σ = 0.30) brings it to 0.0250, the shipped ' +
      'autoencoder to 0.0600 and PCA (10 components) to 0.0375 (mean squared error per pixel ' +
      'against the clean digits; lower is better).',
  );
  // The shipped denoiser is loaded once, and the worker is asked for the first 8 digits, PCA at k = 10.
  const calls = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'denoise' || c.name === 'loadModel'),
  );
  // The shipped AE and VAE (the store's), then the shipped denoiser (the figure's).
  expect(calls.filter((c) => c.name === 'loadModel')).toHaveLength(3);
  const asked = calls.filter((c) => c.name === 'denoise');
  expect(asked).toHaveLength(1);
  const [ids, , request] = asked[0].args as [{ dae: string; ae: string }, string, object];
  expect(ids.ae).not.toEqual(ids.dae);
  expect(request).toMatchObject({
    noise: { kind: 'gaussian', sigma: 0.3 },
    seed: 1,
    shown: 8,
    k: 10,
  });
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('the slider and the kind re-noise and re-run, from the keyboard too', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise');
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  await expect(figure).toHaveAttribute('data-noise', 'gaussian:0.3');
  const slider = figure.getByRole('slider', { name: /Standard deviation σ/ });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(figure).toHaveAttribute('data-noise', 'gaussian:0.4');
  await expect(figure.locator('output[data-level]')).toHaveText('σ = 0.40');
  await expect(figure.locator('[data-summary=denoise]')).toContainText(
    "With Gaussian noise σ = 0.40 on the 100 test digits, the noisy digits' error is 0.0667",
  );
  await figure.getByRole('combobox', { name: 'Noise' }).selectOption('mask');
  await expect(figure).toHaveAttribute('data-noise', 'mask:0.5');
  await expect(figure.locator('[data-summary=denoise]')).toContainText(
    '50 % of the pixels masked (set to 0)',
  );
  await expect(figure.getByRole('slider', { name: /Fraction of pixels masked/ })).toHaveValue(
    '0.5',
  );
  // Back to Gaussian: its own level was kept.
  await figure.getByRole('combobox', { name: 'Noise' }).selectOption('gaussian');
  await expect(figure).toHaveAttribute('data-noise', 'gaussian:0.4');
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('moving the slider cancels the run still in the worker; the last level is shown', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise', { script: { hold: ['denoise'] } });
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  await expect
    .poll(() =>
      page.evaluate(() => window.part.bridge.calls.filter((c) => c.name === 'denoise').length),
    )
    .toBe(1);
  const slider = figure.getByRole('slider', { name: /Standard deviation σ/ });
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect
    .poll(() =>
      page.evaluate(() => window.part.bridge.calls.filter((c) => c.name === 'denoise').length),
    )
    .toBe(2);
  await page.keyboard.press('ArrowLeft');
  await expect
    .poll(() =>
      page.evaluate(() => window.part.bridge.calls.filter((c) => c.name === 'denoise').length),
    )
    .toBe(3);
  // Each move cancelled the run before it, while it waited in the (fake) worker.
  expect(await page.evaluate(() => window.part.bridge.cancelled)).toEqual(['denoise', 'denoise']);
  expect(await figure.getAttribute('data-noise')).toBeNull();
  await page.evaluate(() => window.part.bridge.release('denoise'));
  await expect(figure).toHaveAttribute('data-noise', 'gaussian:0.2');
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('train one here: a denoiser with the chosen noise, its progress, then its rows', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise', { script: { hold: ['train:epoch'] } });
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  await expect(figure).toHaveAttribute('data-denoiser', 'pretrained');
  await figure.getByRole('combobox', { name: 'Noise' }).selectOption('mask');
  await expect(figure).toHaveAttribute('data-noise', 'mask:0.5');
  await figure.getByRole('button', { name: 'Train a denoising autoencoder here' }).click();
  await expect(figure.locator('[data-training]')).toContainText(
    'Training a denoising autoencoder with 50 % of the pixels masked (set to 0): epoch 1 of 3',
  );
  const spec = await page.evaluate(
    () => window.part.bridge.calls.find((c) => c.name === 'train')!.args[0],
  );
  expect(spec).toEqual({
    kind: 'ae',
    seed: 1,
    denoise: { kind: 'mask', fraction: 0.5 },
    preset: 'quick',
    trainSize: 12000,
    epochs: 3,
  });
  await page.evaluate(() => window.part.bridge.release('train:epoch'));
  await expect(figure.locator('[data-training]')).toContainText('epoch 2 of 3');
  await page.evaluate(() => window.part.bridge.release('train:epoch'));
  await page.evaluate(() => window.part.bridge.release('train:epoch'));
  await expect(figure).toHaveAttribute('data-denoiser', 'trained');
  await expect(figure.locator('[data-training]')).toHaveCount(0);
  await expect(figure.locator('canvas[data-digits=denoise-dae]')).toHaveAttribute(
    'aria-label',
    /^Your denoising autoencoder \(50 % of the pixels masked \(set to 0\), 3 epochs, trained here\)/,
  );
  await expect(figure.locator('[data-summary=denoise]')).toContainText(
    'your denoising autoencoder (50 % of the pixels masked (set to 0), 3 epochs, trained here) brings it to',
  );
  // Back to the shipped one, and again to the one trained here.
  await figure.getByRole('button', { name: 'Use the shipped one' }).click();
  await expect(figure).toHaveAttribute('data-denoiser', 'pretrained');
  await figure.getByRole('button', { name: 'Use the one trained here' }).click();
  await expect(figure).toHaveAttribute('data-denoiser', 'trained');
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a cancelled training leaves the shipped denoiser shown, and says nothing went wrong', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise', { script: { hold: ['train:epoch'] } });
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  await expect(figure).toHaveAttribute('data-denoiser', 'pretrained');
  await figure.getByRole('button', { name: 'Train a denoising autoencoder here' }).click();
  await expect(figure.locator('[data-training]')).toContainText('epoch 1 of 3');
  await figure.getByRole('button', { name: 'Cancel' }).click();
  // The fake's training goes on to its next epoch, where it sees its signal aborted.
  await page.evaluate(() => window.part.bridge.release('train:epoch'));
  await expect(
    figure.getByRole('button', { name: 'Train a denoising autoencoder here' }),
  ).toBeEnabled();
  await expect(figure).toHaveAttribute('data-denoiser', 'pretrained');
  expect(
    await page.evaluate(() => window.part.bridge.calls.filter((c) => c.name === 'train')),
  ).toHaveLength(1);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a failure of the worker is shown in the figure and fired', async ({ page, mountPart }) => {
  await mountPart('ae-denoise', { script: { fail: { denoise: 'the worker ran out of memory' } } });
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  await expect(figure.locator('[data-error=denoise]')).toContainText(
    'the worker ran out of memory',
  );
  expect(await fired(page, 'ae-error')).toEqual([
    { code: 'INTERNAL', message: 'the worker ran out of memory' },
  ]);
});

test('the noise follows the store’s view state (as a link sets it), and the reader’s goes there', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise');
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  await expect(figure).toHaveAttribute('data-noise', 'gaussian:0.3');
  await page.evaluate(() =>
    window.part.store.view.update({ noise: { kind: 'mask', fraction: 0.25 } }, 'link'),
  );
  await expect(figure).toHaveAttribute('data-noise', 'mask:0.25');
  await expect(figure.getByRole('combobox', { name: 'Noise' })).toHaveValue('mask');
  await expect(figure.getByRole('slider', { name: /Fraction of pixels masked/ })).toHaveValue(
    '0.25',
  );
  await figure.getByRole('slider', { name: /Fraction of pixels masked/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(figure).toHaveAttribute('data-noise', 'mask:0.3');
  expect(await page.evaluate(() => window.part.store.view.value.noise)).toEqual({
    kind: 'mask',
    fraction: 0.3,
  });
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test("on an author's 16 × 12 images: no shipped denoiser, train one here on the author's images, then the plain AE of that shape joins", async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-denoise', authorImages());
  const figure = page.locator('ae-denoise [data-figure=denoise]');
  const summary = figure.locator('[data-summary=denoise]');
  await expect(summary).toHaveText(
    'No denoising autoencoder is shipped for 16 × 12 images (the shipped one takes 28 × 28 ' +
      'digits): train one here with the button above, on your training images. It is then ' +
      'compared with the noisy images, the plain autoencoder of that shape if one is trained ' +
      'here and PCA, on the test images.',
  );
  await expect(figure.locator('.denoise-training')).toContainText(
    'With the noise above, on up to 12,000 of your 16 × 12 training images, for as many epochs ' +
      'as make 36,000 images seen (as on MNIST; 3 to 30).',
  );
  let names = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  expect(names).not.toContain('denoise');
  expect(names).not.toContain('loadModel');

  // From the keyboard: the denoiser is trained on the author's training images, not MNIST's.
  await figure.getByRole('button', { name: 'Train a denoising autoencoder here' }).focus();
  await page.keyboard.press('Enter');
  await expect(figure).toHaveAttribute('data-denoiser', 'trained');
  const loaded = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'loadDataset')
      .map((c) => (c.args[0] as { images: string; heldOut?: string }).heldOut ?? 'all'),
  );
  expect(loaded).toEqual(['all', 'test', 'train']);
  // 100 training images: 36,000 images seen would be 360 epochs, so the most, 30.
  const spec = await page.evaluate(
    () => window.part.bridge.calls.find((c) => c.name === 'train')!.args[0],
  );
  expect(spec).toMatchObject({ kind: 'ae', trainSize: 12000, epochs: 30 });
  for (const name of ['clean', 'noisy', 'dae', 'pca']) {
    const canvas = figure.locator(`canvas[data-digits=denoise-${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    await expect(canvas).toHaveAttribute('data-shape', '16x12');
    // Eight 16 × 12 images, 2 pixels apart.
    expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([110, 16]);
  }
  // No plain autoencoder of that shape yet: no row, no error, no words for it.
  await expect(figure.locator('canvas[data-digits=denoise-ae]')).toHaveCount(0);
  await expect(figure).not.toHaveAttribute('data-mse-ae', /.*/);
  await expect(figure).toHaveAttribute('data-k', '10');
  await expect(summary).toHaveText(
    'With Gaussian noise σ = 0.30 on the 100 test images held out from my digits (its last 20 %, ' +
      "not trained on), the noisy images' error is 0.0500; your denoising autoencoder (Gaussian " +
      'noise σ = 0.30, 30 epochs, trained here) brings it to 0.0250 and PCA (10 components) to ' +
      '0.0375 (mean squared error per pixel against the clean images; lower is better).',
  );
  // The shipped denoiser takes 28 × 28 digits: there is none to switch back to.
  await expect(figure.getByRole('button', { name: 'Use the shipped one' })).toHaveCount(0);

  // A plain 16 × 12 autoencoder trained here joins the comparison.
  await page.evaluate((model) => window.part.store.show({ ...model, inputSize: 192 }), trainedAe);
  await expect(figure.locator('canvas[data-digits=denoise-ae]')).toHaveAttribute(
    'data-drawn',
    'true',
  );
  await expect(summary).toContainText(
    'brings it to 0.0250, your autoencoder (3 epochs, trained here) to 0.0600 and PCA (10 components) to 0.0375',
  );
  const asked = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'denoise')
      .map((c) => ({ ids: c.args[0] as { dae: string; ae: string }, key: c.args[1] as string })),
  );
  expect(asked.at(-1)!.ids.ae).toBe('ae-trained');
  expect(asked.at(-1)!.ids.dae).not.toBe('ae-trained');
  // Scored on the held-out test images.
  expect(new Set(asked.map((a) => a.key))).toEqual(new Set(['http://x/my-digits.gz\ntest']));
  names = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  expect(names).not.toContain('loadModel');
  expect(await fired(page, 'ae-error')).toEqual([]);
});
