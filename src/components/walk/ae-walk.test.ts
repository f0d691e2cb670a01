import { authorImages, expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';

const calls = (page: import('@playwright/test').Page, name: string) =>
  page.evaluate((n) => window.part.bridge.calls.filter((c) => c.name === n).length, name);

test('the VAE’s plane decoded as a grid; the point moves by keys; the autoencoder spans its codes', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-walk');
  const figure = page.locator('ae-walk [data-figure=walk]');
  const grid = figure.locator('canvas[data-digits=walk-grid]');
  const point = figure.locator('canvas[data-digits=walk-point]');
  const thumb = figure.getByRole('slider');
  const summary = figure.locator('[data-summary=walk]');
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  await expect(summary).toContainText(
    'z1 runs across from −2.50 to 2.50 and z2 up from −2.50 to 2.50 (standard deviations of its prior). The other 8 dimensions stay at 0',
  );
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
  await expect(point).toHaveAttribute('data-point', 'z1 = 0.00 across, z2 = 0.00 up');

  // A twentieth of the range per arrow press; the point's digit is decoded again.
  const decodes = await calls(page, 'decode');
  await thumb.focus();
  await page.keyboard.press('ArrowRight');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.25 across, z2 = 0.00 up');
  await expect(point).toHaveAttribute('data-point', 'z1 = 0.25 across, z2 = 0.00 up');
  expect(await calls(page, 'decode')).toBeGreaterThan(decodes);

  // The autoencoder has no prior: its plane spans its test codes, from the store (one encode).
  await figure.getByLabel('Model').selectOption('ae');
  await expect(summary).toContainText("the 1st to 99th percentile of the test digits' codes");
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  expect(await calls(page, 'encode')).toBe(1);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a decoder that fails is said in the figure and fired once', async ({ page, mountPart }) => {
  await mountPart('ae-walk', { script: { fail: { decode: 'the decoder broke' } } });
  const figure = page.locator('ae-walk [data-figure=walk]');
  await expect(figure.locator('[data-error=walk]')).toContainText(
    'Could not update this figure.the decoder broke',
  );
  await page.evaluate(() => window.part.store.changed());
  expect(await fired(page, 'ae-error')).toEqual([
    { code: 'INTERNAL', message: 'the decoder broke' },
  ]);
});

test('the walk follows the store’s view state (a link) and keeps the reader’s point there', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-walk');
  const figure = page.locator('ae-walk [data-figure=walk]');
  const thumb = figure.getByRole('slider');
  const point = figure.locator('canvas[data-digits=walk-point]');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
  // A link asks for z3 across and z1 up at a point, beyond the plane's edge on z1.
  await page.evaluate(() => {
    const view = window.part.store.view;
    view.update({ walk: { ...view.value.walk, dims: [2, 0] }, walkPoint: [1.5, -9] }, 'link');
  });
  await expect(figure.locator('[data-control=walk-x]')).toHaveValue('2');
  await expect(figure.locator('[data-control=walk-y]')).toHaveValue('0');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z3 = 1.50 across, z1 = −2.50 up');
  await expect(point).toHaveAttribute('data-point', 'z3 = 1.50 across, z1 = −2.50 up');
  // The reader's key press is the view state's point, inside the plane.
  await thumb.focus();
  await page.keyboard.press('ArrowUp');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z3 = 1.50 across, z1 = −2.25 up');
  expect(await page.evaluate(() => window.part.store.view.value.walkPoint)).toEqual([1.5, -2.25]);
  // Another dimension: the point goes back to where the others are held.
  await figure.locator('[data-control=walk-x]').selectOption('1');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z2 = 0.00 across, z1 = 0.00 up');
  expect(
    await page.evaluate(() => {
      const { walk, walkPoint } = window.part.store.view.value;
      return { dims: walk.dims, walkPoint: walkPoint ?? null };
    }),
  ).toEqual({ dims: [1, 0], walkPoint: null });
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test("on an author's 16 × 12 images: 'train one here', then the trained model's grid and point at 16 × 12, by keys and pointer", async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-walk', authorImages());
  const figure = page.locator('ae-walk [data-figure=walk]');
  const summary = figure.locator('[data-summary=walk]');
  await expect(summary).toHaveText(
    'The shipped models take 28 × 28 digits, but these images are 16 × 12: this figure needs an ' +
      'autoencoder or a VAE of that shape. Train one here (the training panel below, method ' +
      '"Autoencoder" or "VAE").',
  );
  await expect(summary).toHaveAttribute('data-needs-model', '');
  expect(await calls(page, 'decode')).toBe(0);

  // An autoencoder of that shape trained here: the walk takes it (the VAE chosen by default is missing).
  await page.evaluate(
    (model) => window.part.store.show({ ...model, inputSize: 192, latentSize: 10 }),
    trainedAe,
  );
  const grid = figure.locator('canvas[data-digits=walk-grid]');
  const point = figure.locator('canvas[data-digits=walk-point]');
  const thumb = figure.getByRole('slider');
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  await expect(grid).toHaveAttribute('data-shape', '16x12');
  await expect(grid).toHaveAttribute(
    'aria-label',
    '9 by 9 images decoded from a grid over z1 and z2',
  );
  await expect(point).toHaveAttribute('aria-label', 'The image decoded at the point');
  // Nine 12-pixel columns and nine 16-pixel rows, 2 pixels apart.
  expect(await grid.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([124, 160]);
  await expect(figure.getByLabel('Model')).toHaveValue('ae');
  await expect(summary).toContainText(
    '9 × 9 images of 16 × 12 pixels decoded by the autoencoder from a grid of latent points: z1 runs across from ',
  );
  await expect(summary).toContainText(
    "(the 1st to 99th percentile of the test images' codes). The other 8 dimensions stay at the test images' mean code.",
  );
  await expect(point).toHaveAttribute('data-shape', '16x12');
  expect(await point.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([12, 16]);

  const ranges = (await summary.textContent())!.match(
    /z1 runs across from (−?[\d.]+) to (−?[\d.]+) and z2 up from (−?[\d.]+) to (−?[\d.]+)/,
  )!;
  const [x0, x1, y0, y1] = ranges.slice(1).map((v) => Number(v.replace('−', '-')));
  const value = (text: string, axis: 'across' | 'up') =>
    Number(text.match(new RegExp(`= (−?[\\d.]+) ${axis}`))![1].replace('−', '-'));

  // A key press moves the point a twentieth of the range across; the point's image is decoded again.
  const start = (await thumb.getAttribute('aria-valuetext'))!;
  await thumb.focus();
  await page.keyboard.press('ArrowRight');
  await expect(thumb).not.toHaveAttribute('aria-valuetext', start);
  const moved = (await thumb.getAttribute('aria-valuetext'))!;
  expect(Math.abs(value(moved, 'across') - value(start, 'across') - (x1 - x0) / 20)).toBeLessThan(
    0.011,
  );
  expect(value(moved, 'up')).toBe(value(start, 'up'));
  await expect(point).toHaveAttribute('data-point', moved);

  // A click on the centre of the cell three across and three down decodes that cell's point:
  // a quarter of the way along each range (one CSS pixel of slack, as the mouse moves by pixels).
  const box = (await grid.boundingBox())!;
  await page.mouse.click(
    box.x + (box.width * (2 * 14 + 6)) / 124,
    box.y + (box.height * (2 * 18 + 8)) / 160,
  );
  await expect(thumb).not.toHaveAttribute('aria-valuetext', moved);
  const clicked = (await thumb.getAttribute('aria-valuetext'))!;
  expect(Math.abs(value(clicked, 'across') - (x0 + (x1 - x0) / 4))).toBeLessThan(
    0.006 + (x1 - x0) / box.width,
  );
  expect(Math.abs(value(clicked, 'up') - (y1 - (y1 - y0) / 4))).toBeLessThan(
    0.006 + (y1 - y0) / box.height,
  );
  await expect(point).toHaveAttribute('data-point', clicked);
  // The thumb sits where the click was.
  const thumbBox = (await thumb.boundingBox())!;
  expect(Math.abs(thumbBox.x + thumbBox.width / 2 - (box.x + (box.width * 34) / 124))).toBeLessThan(
    1.5,
  );
  expect(
    Math.abs(thumbBox.y + thumbBox.height / 2 - (box.y + (box.height * 44) / 160)),
  ).toBeLessThan(1.5);
  expect(await calls(page, 'loadModel')).toBe(0);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a model of another shape than the images (kept after they changed) is refused in words, nothing decoded', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-walk', authorImages({ heldOut: false }));
  await page.evaluate((model) => window.part.store.show({ ...model, latentSize: 10 }), trainedAe);
  await expect(page.locator('ae-walk [data-error=walk]')).toContainText(
    'Your autoencoder (3 epochs, trained here) takes 784 pixels, but these images are 16 × 12 (192): train one of their shape here.',
  );
  expect(await calls(page, 'decode')).toBe(0);
  expect(await fired(page, 'ae-error')).toEqual([]);
});
