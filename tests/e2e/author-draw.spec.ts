import { expect, test } from '@playwright/test';
import { type AuthorSet, makeAuthorSet } from '../fixtures/author-set.ts';
import { collectErrors, demoEvents, openWithAuthorSet } from './helpers.ts';

// page.route must see every request, and a service worker from an earlier test would answer first.
test.use({ serviceWorkers: 'block' });

/**
 * The draw pad on an author's own images (issue 13, part 3): 3,000 MNIST
 * digits averaged down to 16 × 12, served as a gzip idx file without labels.
 */
let set: AuthorSet;
test.beforeAll(async () => {
  set = await makeAuthorSet(3000, 16, 12);
});

test('the draw pad on 16 × 12 images: "train one here", then a stroke centred into 16 × 12 and rebuilt by the AE trained here', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits-idx3-ubyte.gz" data-name="my 16 × 12 digits" ' +
      'views="draw train"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[part=status]')).toContainText('PCA of 3,000 digits', {
    timeout: 60_000,
  });
  const summary = demo.locator('[data-summary=draw]');
  await summary.scrollIntoViewIfNeeded();
  await expect(summary).toHaveText(
    'The shipped models take 28 × 28 digits, but these images are 16 × 12: this figure needs an ' +
      'autoencoder of that shape. Train one here (the training panel below, method "Autoencoder").',
  );
  await expect(demo.locator('canvas[data-pad]')).toHaveCount(0);

  await demo.locator('[data-action=train]').click();
  await expect
    .poll(async () => (await demoEvents(page)).trained.length, { timeout: 120_000 })
    .toBe(1);
  const [trained] = (await demoEvents(page)).trained;
  expect(trained.kind).toBe('ae');

  const figure = demo.locator('[data-figure=draw]');
  await expect(figure).toHaveAttribute('data-shape', '16x12');
  await expect(summary).toContainText('it is centred into 16 × 12');
  const padCanvas = figure.locator('canvas[data-pad]');
  await padCanvas.scrollIntoViewIfNeeded();
  // The pad has the images' aspect ratio: 12 wide for 16 high.
  expect(await padCanvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
    210, 280,
  ]);

  // A stroke with the mouse: a "7", a bar across the top and a line down to the bottom left.
  const pad = (await padCanvas.boundingBox())!;
  expect(Math.abs(pad.width / pad.height - 12 / 16)).toBeLessThan(0.02);
  const at = (fx: number, fy: number) => [pad.x + fx * pad.width, pad.y + fy * pad.height] as const;
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  await page.mouse.move(...at(0.75, 0.2), { steps: 10 });
  await page.mouse.move(...at(0.4, 0.85), { steps: 12 });
  await page.mouse.up();

  for (const name of ['input', 'pca', 'ae']) {
    const canvas = figure.locator(`canvas[data-digits=draw-${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
    await expect(canvas).toHaveAttribute('data-shape', '16x12');
    expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([12, 16]);
  }
  // No VAE of that shape was trained: its canvas stays empty, and the sentence names no VAE.
  await expect(figure.locator('canvas[data-digits=draw-vae]')).not.toHaveAttribute(
    'data-drawn',
    'true',
  );
  const latent = trained.latentSize;
  await expect(summary).toHaveText(
    new RegExp(
      String.raw`^\s*On PC1–PC2 your drawing lands nearest to image #\d+ of the images\. ` +
        String.raw`With all ${latent} numbers of the autoencoder's code, its nearest test image is #\d+\. ` +
        String.raw`Rebuilt with MSE 0\.\d{4} by PCA \(10 components\), 0\.\d{4} by the autoencoder\.\s*$`,
    ),
  );
  // The drawing centred into 16 × 12 has ink, and the autoencoder's rebuild is not blank.
  const inked = await figure
    .locator('canvas[data-digits=draw-input]')
    .evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) n++;
      return n;
    });
  expect(inked).toBeGreaterThan(5);

  // From the keyboard: held-out image #3 (image 2,403 of the file) put on the pad comes back
  // centred nearly as it was (centring 16 × 12 images moves some by a pixel: MSE 0.0121 in Node).
  await figure.getByRole('button', { name: 'Clear' }).click();
  await expect(summary).toContainText('Draw on the pad, or put a test image on it');
  await figure.getByLabel('Test image #').fill('3');
  await figure.getByRole('button', { name: 'Put it on the pad' }).focus();
  await page.keyboard.press('Enter');
  await expect(summary).toContainText(/its nearest test image is #\d+\. Rebuilt with MSE/);
  const centred = await figure
    .locator('canvas[data-digits=draw-input]')
    .evaluate((c: HTMLCanvasElement) =>
      Array.from(
        c
          .getContext('2d')!
          .getImageData(0, 0, c.width, c.height)
          .data.filter((_, i) => i % 4 === 0),
        (v) => 255 - v,
      ),
    );
  const original = set.pixels.subarray(2403 * 192, 2404 * 192);
  const mse = centred.reduce((s, v, i) => s + ((v - original[i]) / 255) ** 2, 0) / 192;
  expect(mse).toBeLessThan(0.02);
  expect((await demoEvents(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});

test('denoise on 16 × 12 images: no shipped denoiser, one trained here on them, compared with the AE trained here and PCA', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits-idx3-ubyte.gz" data-name="my 16 × 12 digits" ' +
      'views="denoise train"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[part=status]')).toContainText('PCA of 3,000 digits', {
    timeout: 60_000,
  });
  const figure = demo.locator('[data-figure=denoise]');
  const summary = figure.locator('[data-summary=denoise]');
  await summary.scrollIntoViewIfNeeded();
  await expect(summary).toContainText('No denoising autoencoder is shipped for 16 × 12 images');

  // The plain autoencoder of that shape first (the training panel), then the denoiser (the figure's button).
  await demo.locator('[data-action=train]').click();
  await expect
    .poll(async () => (await demoEvents(page)).trained.length, { timeout: 120_000 })
    .toBe(1);
  await expect(summary).toContainText('compared with the noisy images, your autoencoder and PCA');
  await figure.getByRole('button', { name: 'Train a denoising autoencoder here' }).click();
  await expect(figure).toHaveAttribute('data-denoiser', 'trained', { timeout: 180_000 });
  for (const name of ['clean', 'noisy', 'dae', 'ae', 'pca']) {
    const canvas = figure.locator(`canvas[data-digits=denoise-${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    await expect(canvas).toHaveAttribute('data-shape', '16x12');
    expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
      8 * 12 + 7 * 2,
      16,
    ]);
  }
  const latent = (await demoEvents(page)).trained[0].latentSize;
  await expect(figure).toHaveAttribute('data-count', '600');
  await expect(figure).toHaveAttribute('data-k', String(latent));
  await expect(summary).toHaveText(
    new RegExp(
      String.raw`^\s*With Gaussian noise σ = 0\.30 on the 600 test images held out from my 16 × 12 digits \(its last 20 %, not trained on\), ` +
        String.raw`the noisy images' error is (0\.\d{4}); your denoising autoencoder \(Gaussian noise σ = 0\.30, 15 epochs, trained here\) brings it to (0\.\d{4}), ` +
        String.raw`your autoencoder \(5 epochs, trained here\) to (0\.\d{4}) and PCA \(${latent} components\) to (0\.\d{4}) ` +
        String.raw`\(mean squared error per pixel against the clean images; lower is better\)\.\s*$`,
    ),
  );
  const mse = (name: string) => figure.getAttribute(`data-mse-${name}`).then(Number);
  const [noisy, dae, ae] = await Promise.all(['noisy', 'dae', 'ae'].map(mse));
  // The denoiser trained here on the author's 2,400 training images (15 epochs: 36,000 images seen,
  // as on MNIST) removes noise: below the noisy input's error.
  expect(dae).toBeLessThan(noisy);
  // And better than the plain autoencoder does on the same noisy images.
  expect(dae).toBeLessThan(ae);
  expect((await demoEvents(page)).errors).toEqual([]);
  expect(errors).toEqual([]);
});
