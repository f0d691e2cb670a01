import { authorImages, expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';

test('a test digit put on the pad is placed on both scatters and rebuilt by the three methods', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-draw');
  const figure = page.locator('ae-draw [data-figure=draw]');
  const summary = figure.locator('[data-summary=draw]');
  await expect(summary).toContainText('Draw a digit on the pad, or put a test digit on it');
  await expect(figure.locator('[data-chart=draw-pca]')).toHaveAttribute('data-drawn', /.+/);
  await expect(figure.locator('[data-chart=draw-latent]')).toHaveAttribute('data-drawn', /^ae/);

  await figure.getByLabel('Test digit #').fill('3');
  await figure.getByRole('button', { name: 'Put it on the pad' }).click();
  for (const name of ['input', 'pca', 'ae', 'vae']) {
    await expect(figure.locator(`canvas[data-digits=draw-${name}]`)).toHaveAttribute(
      'data-drawn',
      'true',
    );
  }
  await expect(figure.locator('[data-chart=draw-pca] [data-mark]')).toBeVisible();
  await expect(figure.locator('[data-chart=draw-latent] [data-mark]')).toBeVisible();
  await expect(summary).toHaveText(
    /^\s*Your digit lands (among|mostly near) the \ds on PC1–PC2: \d+ of its 20 nearest test digits there are \ds; the nearest is a \d \(#\d+\)\. With all 10 numbers of the autoencoder's code, its nearest test digit is a \d \(#\d+\)\. Rebuilt with MSE \d\.\d{4} by PCA \(10 components\), \d\.\d{4} by the autoencoder, \d\.\d{4} by the VAE\.\s*$/,
  );
  const asked = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  for (const name of ['image', 'pcaImages', 'encodePixels', 'reconstructPixels']) {
    expect(asked).toContain(name);
  }

  // Cleared: the words and the rings go.
  await figure.getByRole('button', { name: 'Clear' }).click();
  await expect(summary).toContainText('Draw a digit on the pad');
  await expect(figure.locator('[data-chart=draw-pca] [data-mark]')).toBeHidden();
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a test digit that is not there is refused in words', async ({ page, mountPart }) => {
  await mountPart('ae-draw');
  const figure = page.locator('ae-draw [data-figure=draw]');
  await figure.getByLabel('Test digit #').fill('100');
  await figure.getByRole('button', { name: 'Put it on the pad' }).click();
  await expect(figure.locator('[data-error=draw]')).toContainText(
    'Choose a test digit from 0 to 99.',
  );
  expect(await page.evaluate(() => window.part.bridge.calls.some((c) => c.name === 'image'))).toBe(
    false,
  );
});

test("on an author's 16 × 12 images: says it needs a model of that shape, then draws and rebuilds at 16 × 12", async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-draw', authorImages());
  const summary = page.locator('ae-draw [data-summary=draw]');
  await expect(summary).toHaveText(
    'The shipped models take 28 × 28 digits, but these images are 16 × 12: this figure needs an ' +
      'autoencoder of that shape. Train one here (the training panel below, method "Autoencoder").',
  );
  const before = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  expect(before).not.toContain('loadModel');
  expect(before).not.toContain('encodePixels');

  // A 16 × 12 autoencoder trained here: the pad takes the images' aspect ratio.
  await page.evaluate((model) => window.part.store.show({ ...model, inputSize: 192 }), trainedAe);
  const figure = page.locator('ae-draw [data-figure=draw]');
  await expect(figure).toHaveAttribute('data-shape', '16x12');
  await expect(figure.locator('figcaption')).toHaveText('Draw an image');
  await expect(summary).toContainText(
    'Draw on the pad, or put a test image on it: it is centred into 16 × 12',
  );
  const pad = figure.locator('canvas[data-pad]');
  expect(await pad.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([210, 280]);
  const box = (await pad.boundingBox())!;
  expect(Math.abs(box.width / box.height - 12 / 16)).toBeLessThan(0.02);

  // A stroke drawn with the mouse, down the middle of the pad.
  await pad.scrollIntoViewIfNeeded();
  const b = (await pad.boundingBox())!;
  await page.mouse.move(b.x + b.width * 0.45, b.y + b.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * 0.55, b.y + b.height * 0.5, { steps: 5 });
  await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.8, { steps: 5 });
  await page.mouse.up();
  for (const name of ['input', 'pca', 'ae']) {
    const canvas = figure.locator(`canvas[data-digits=draw-${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    await expect(canvas).toHaveAttribute('data-shape', '16x12');
    expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([12, 16]);
  }
  await expect(figure.locator('canvas[data-digits=draw-vae]')).not.toHaveAttribute(
    'data-drawn',
    'true',
  );
  // No labels: the nearest images by number, no digit named, no legend.
  await expect(summary).toHaveText(
    /^\s*On PC1–PC2 your drawing lands nearest to image #\d+ of the images\. With all 4 numbers of the autoencoder's code, its nearest test image is #\d+\. Rebuilt with MSE \d\.\d{4} by PCA \(10 components\), \d\.\d{4} by the autoencoder\.\s*$/,
  );
  await expect(figure.locator('.legend')).toHaveCount(0);
  // What the models were given is the drawing centred into 16 × 12 pixels.
  const sizes = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'encodePixels' || c.name === 'reconstructPixels')
      .map((c) => (c.args[1] as Uint8Array).length),
  );
  expect(sizes.length).toBeGreaterThan(0);
  expect(new Set(sizes)).toEqual(new Set([192]));

  // From the keyboard: a test image put on the pad is of that shape too.
  await figure.getByLabel('Test image #').fill('5');
  await figure.getByRole('button', { name: 'Put it on the pad' }).focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(() =>
      page.evaluate(() =>
        window.part.bridge.calls.filter((c) => c.name === 'image').map((c) => c.args[1]),
      ),
    )
    .toEqual([5]);
  await expect(figure.locator('canvas[data-digits=draw-ae]')).toHaveAttribute('data-drawn', 'true');
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a stroke follows the pad when the layout above it moves it mid-stroke, without a scroll', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-draw');
  const pad = page.locator('ae-draw canvas[data-pad]');
  await pad.scrollIntoViewIfNeeded();
  const before = (await pad.boundingBox())!;
  await page.mouse.move(before.x + before.width * 0.3, before.y + before.height * 0.3);
  await page.mouse.down();
  // A figure above renders (as content-visibility: auto ones do) and pushes the pad 60 px down.
  await page.evaluate(() => {
    const above = document.createElement('div');
    above.style.height = '60px';
    document.querySelector('ae-draw')!.before(above);
  });
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
  const after = (await pad.boundingBox())!;
  expect(Math.round(after.y - before.y)).toBe(60);
  // The pointer goes to 70 % across and down the pad where it is now.
  await page.mouse.move(after.x + after.width * 0.7, after.y + after.height * 0.7, { steps: 4 });
  await page.mouse.up();
  const red = (fx: number, fy: number) =>
    pad.evaluate(
      (c: HTMLCanvasElement, [x, y]) =>
        c.getContext('2d')!.getImageData(Math.round(x * c.width), Math.round(y * c.height), 1, 1)
          .data[0],
      [fx, fy] as const,
    );
  // Ink where the pointer ended; none where a box measured before the move would have put it.
  expect(await red(0.7, 0.7)).toBeLessThan(100);
  const stale = 0.7 + 60 / after.height;
  expect(await red(0.7, stale)).toBe(255);
});
