import { expect, fired, test } from '../../../tests/parts/fixture.ts';

const encodes = (page: import('@playwright/test').Page) =>
  page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'encode').map((c) => c.args[0]),
  );

test('the VAE’s latent space on z1 and z2; the selects change the dimensions and the model', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-latent');
  const figure = page.locator('ae-latent [data-figure=latent]');
  const summary = figure.locator('[data-summary=latent]');
  await expect(summary).toContainText(
    "100 test digits on dimensions 1 and 2 of the shipped VAE's 10-D latent space (μ): z1 spans ",
  );
  await expect(summary).toHaveText(/z1 spans −?\d\.\d\d to −?\d\.\d\d, z2 spans −?\d\.\d\d to/);
  const box = figure.locator('[data-scatter=latent]');
  await expect(box).toHaveAttribute('data-drawn', /^vae[^:]*:0:1$/);
  await expect(box).toHaveAttribute('aria-label', /^Test digits on latent dimensions z1 and z2/);
  await expect(figure.locator('select[data-control=latent-x] option')).toHaveCount(10);

  await figure.locator('select[data-control=latent-x]').selectOption({ label: 'z3' });
  await expect(summary).toContainText('on dimensions 3 and 2 of');
  await expect(box).toHaveAttribute('data-drawn', /:2:1$/);
  await expect(box).toHaveAttribute('aria-label', /dimensions z3 and z2/);

  await figure.locator('select[data-control=latent-model]').selectOption('ae');
  await expect(summary).toContainText("of the shipped autoencoder's 10-D latent space: z3 spans");
  await expect(box).toHaveAttribute('data-drawn', /^ae[^:]*:2:1$/);
  // Back to the VAE: its codes are the store's, encoded once per model.
  await figure.locator('select[data-control=latent-model]').selectOption('vae');
  await expect(box).toHaveAttribute('data-drawn', /^vae[^:]*:2:1$/);
  const ids = await encodes(page);
  expect(ids).toHaveLength(2);
  expect(ids.map((id) => String(id).replace(/-.*/, '')).sort()).toEqual(['ae', 'vae']);

  // The keyboard picks a digit; the tooltip shows its pixels from the bridge.
  await box.focus();
  await page.keyboard.press('ArrowRight');
  await expect(figure.locator('[data-live=latent]')).toHaveText(
    /^Digit \d \(#\d+\): z3 −?\d\.\d\d, z2 −?\d\.\d\d$/,
  );
  await expect(figure.locator('[data-tooltip] canvas')).toHaveAttribute('data-drawn', /^\d+$/);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('nothing is encoded until the figure comes into view', async ({ page, mountPart }) => {
  await mountPart('ae-latent', { pca: false, models: false });
  // A second part, far below the fold.
  await page.evaluate(async () => {
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    document.body.replaceChildren(spacer);
    await window.mountPart('ae-latent', { pca: false });
  });
  const figure = page.locator('ae-latent [data-figure=latent]');
  const summary = figure.locator('[data-summary=latent]');
  await expect(summary).toHaveText('The digits are encoded when this figure comes into view.');
  expect(await encodes(page)).toEqual([]);
  await figure.scrollIntoViewIfNeeded();
  await expect(summary).toContainText("of the shipped VAE's 10-D latent space (μ)");
  expect(await encodes(page)).toHaveLength(1);
});

test('a model with a 2-D latent space offers z1 and z2 only', async ({ page, mountPart }) => {
  await mountPart('ae-latent');
  const figure = page.locator('ae-latent [data-figure=latent]');
  await figure.locator('select[data-control=latent-y]').selectOption({ label: 'z5' });
  await expect(figure.locator('[data-scatter=latent]')).toHaveAttribute('data-drawn', /:0:4$/);
  await page.evaluate(() =>
    window.part.store.show({
      modelId: 'vae-small',
      kind: 'vae',
      inputSize: 784,
      latentSize: 2,
      description: {},
      label: 'Your VAE (2 epochs, trained here)',
      source: 'trained',
    }),
  );
  for (const axis of ['latent-x', 'latent-y']) {
    await expect(figure.locator(`select[data-control=${axis}] option`)).toHaveText(['z1', 'z2']);
  }
  await expect(figure.locator('select[data-control=latent-y]')).toHaveValue('1');
  await expect(figure.locator('select[data-control=latent-model]')).toHaveValue('vae');
  await expect(figure.locator('[data-scatter=latent]')).toHaveAttribute(
    'data-drawn',
    'vae-small:0:1',
  );
});

test('a failed encode is said in the figure and fired once', async ({ page, mountPart }) => {
  await mountPart('ae-latent', { script: { fail: { encode: 'the encoder broke' } } });
  const figure = page.locator('ae-latent [data-figure=latent]');
  await expect(figure.locator('[role=alert]')).toHaveText(
    /^\s*Could not draw this figure\.\s*the encoder broke\s*$/,
  );
  await page.evaluate(() => window.part.store.changed());
  await expect(figure.locator('[data-summary=latent]')).toContainText('Encoding the test digits');
  const errors = await fired(page, 'ae-error');
  expect(errors).toEqual([{ code: 'INTERNAL', message: 'the encoder broke' }]);
});

test('the latent view follows the store’s view state (a link) and writes the reader’s choice there', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-latent');
  const figure = page.locator('ae-latent [data-figure=latent]');
  const box = figure.locator('[data-scatter=latent]');
  await expect(box).toHaveAttribute('data-drawn', /^vae[^:]*:0:1$/);
  await page.evaluate(() =>
    window.part.store.view.update({ latent: { kind: 'ae', dims: [3, 4] } }, 'link'),
  );
  await expect(box).toHaveAttribute('data-drawn', /^ae[^:]*:3:4$/);
  await expect(figure.locator('[data-summary=latent]')).toContainText('on dimensions 4 and 5 of');
  await figure.locator('select[data-control=latent-y]').selectOption({ label: 'z1' });
  await expect(box).toHaveAttribute('data-drawn', /^ae[^:]*:3:0$/);
  expect(await page.evaluate(() => window.part.store.view.value.latent)).toEqual({
    kind: 'ae',
    dims: [3, 0],
  });
  expect(await fired(page, 'ae-error')).toEqual([]);
});
