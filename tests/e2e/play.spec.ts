import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  collectAeErrors,
  collectErrors,
  greyLevels,
  longTasksSince,
  pageNow,
  recordLongTasks,
} from './helpers.ts';

/** Opens the page with `<ae-demo views="…">` and records main-thread long tasks. */
async function open(page: Page, views: string): Promise<Locator> {
  await recordLongTasks(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await demo.evaluate((el, v) => el.setAttribute('views', v), views);
  return demo;
}

const now = pageNow;
const dataUrl = (canvas: Locator) => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());

/** The red channel of a 28 × 28 block of a canvas, starting at (x, y). */
function block(canvas: Locator, x = 0, y = 0): Promise<number[]> {
  return canvas.evaluate(
    (c: HTMLCanvasElement, [x0, y0]) =>
      Array.from(c.getContext('2d')!.getImageData(x0, y0, 28, 28).data).filter(
        (_, i) => i % 4 === 0,
      ),
    [x, y],
  );
}

test('latent walk: a decoded grid, and a point that mouse drags and arrow keys move', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  const demo = await open(page, 'walk');
  const figure = demo.locator('[data-figure=walk]');
  await expect(figure).toBeVisible({ timeout: 30_000 });
  await expect(demo.locator('[data-figure=interpolate], [data-figure=draw]')).toHaveCount(0);
  await figure.scrollIntoViewIfNeeded();
  const grid = figure.locator('canvas[data-digits=walk-grid]');
  const point = figure.locator('canvas[data-digits=walk-point]');
  const thumb = figure.getByRole('slider');
  await expect(grid).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  expect(await greyLevels(grid)).toBeGreaterThan(20);
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
  await expect(point).toHaveAttribute('data-point', 'z1 = 0.00 across, z2 = 0.00 up');
  expect(await greyLevels(point)).toBeGreaterThan(10);
  await expect(figure.locator('[data-summary=walk]')).toContainText(
    "z1 runs across from −2.50 to 2.50 and z2 up from −2.50 to 2.50 (standard deviations of its prior). The other 8 dimensions stay at 0, the prior's mean.",
  );
  const t0 = await now(page);

  // Drag with the mouse towards the top left: z1 falls, z2 rises.
  const centre = await dataUrl(point);
  const box = (await grid.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25, { steps: 12 });
  await page.mouse.up();
  const dragged = (await thumb.getAttribute('aria-valuetext'))!;
  const [x, y] = dragged.match(/−?\d\.\d\d/g)!.map((v) => Number(v.replace('−', '-')));
  expect(x).toBeLessThan(-1);
  expect(y).toBeGreaterThan(0.5);
  // The live decode catches up with the last position.
  await expect(point).toHaveAttribute('data-point', dragged);
  expect(await dataUrl(point)).not.toBe(centre);

  // Arrow keys: a twentieth of the range per press.
  const before = await dataUrl(point);
  await thumb.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  const moved = `z1 = ${(x + 0.5).toFixed(2)} across, z2 = ${(y - 1).toFixed(2)} up`.replace(
    /-/g,
    '−',
  );
  await expect(thumb).toHaveAttribute('aria-valuetext', moved);
  // Moved by keys, the point glides (the reader has not asked for reduced motion).
  await expect(thumb).toHaveClass(/\banimate\b/);
  await expect(point).toHaveAttribute('data-point', moved);
  expect(await dataUrl(point)).not.toBe(before);
  expect(await longTasksSince(page, t0)).toEqual([]);

  // Other dimensions: a new grid.
  const gridBefore = await dataUrl(grid);
  await figure.getByLabel('Across').selectOption('z3');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z3 = 0.00 across, z2 = 0.00 up');
  await expect.poll(() => dataUrl(grid)).not.toBe(gridBefore);

  // The autoencoder: its plane spans its codes of the test digits.
  await figure.getByLabel('Model').selectOption('ae');
  await expect(figure.locator('[data-summary=walk]')).toContainText(
    "the 1st to 99th percentile of the test digits' codes",
  );
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  expect(await greyLevels(grid)).toBeGreaterThan(20);

  // Taken off the page and put back: its work is cancelled, then the walk starts afresh.
  await demo.evaluate((el) => {
    const parent = el.parentNode!;
    el.remove();
    parent.append(el);
  });
  await figure.scrollIntoViewIfNeeded();
  await expect(figure.locator('[data-summary=walk]')).toContainText(
    "the 1st to 99th percentile of the test digits' codes",
    { timeout: 60_000 },
  );
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  expect(await greyLevels(grid)).toBeGreaterThan(20);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

/** The largest difference between two equally long lists of pixel values. */
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

test('latent walk held at a test digit: the grid is centred on its code, and its middle decodes it', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  const demo = await open(page, 'walk interpolate');
  const walk = demo.locator('[data-figure=walk]');
  await walk.scrollIntoViewIfNeeded();
  const grid = walk.locator('canvas[data-digits=walk-grid]');
  const point = walk.locator('canvas[data-digits=walk-point]');
  const thumb = walk.getByRole('slider');
  const summary = walk.locator('[data-summary=walk]');
  const digit = walk.getByLabel('Test digit #');
  await expect(grid).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  const meanGrid = await dataUrl(grid);
  // The number is for the digit choice only.
  await expect(digit).toBeDisabled();
  await walk.getByLabel('Hold the other dimensions at').selectOption('digit');
  await expect(digit).toBeEnabled();
  await expect(summary).toContainText(
    "The other 8 dimensions stay at the code of test digit #0 (a 7), its means μ; the grid's middle decodes that digit.",
    { timeout: 60_000 },
  );
  await expect(summary).toContainText(
    "2.5 standard deviations of its prior either side of the digit's code",
  );
  await expect.poll(() => dataUrl(grid)).not.toBe(meanGrid);
  // The point starts on the digit's code, in the middle of the plane.
  const text = (await thumb.getAttribute('aria-valuetext'))!;
  expect(text).not.toBe('z1 = 0.00 across, z2 = 0.00 up');
  await expect(point).toHaveAttribute('data-point', text);
  const at = await thumb.evaluate((el: HTMLElement) => [el.style.left, el.style.top]);
  expect(at.map((v) => parseFloat(v))).toEqual([50, 50]);
  // The interpolation from #0 to #1 starts and ends with the VAE's decodings of their μ:
  // the walk's point and its grid's middle cell are the first, pixel for pixel (±2 of 255).
  const vaeRow = demo.locator('[data-figure=interpolate] canvas[data-digits=interp-vae]');
  await demo.locator('[data-figure=interpolate]').scrollIntoViewIfNeeded();
  await expect(vaeRow).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  const seven = await block(point);
  expect(seven.filter((v) => v < 128).length).toBeGreaterThan(30);
  expect(maxDiff(seven, await block(vaeRow, 0, 0))).toBeLessThanOrEqual(2);
  expect(maxDiff(seven, await block(grid, 4 * 30, 4 * 30))).toBeLessThanOrEqual(2);

  // Another digit: the walk moves to its code.
  await walk.scrollIntoViewIfNeeded();
  await digit.fill('1');
  await digit.press('Enter');
  await expect(summary).toContainText(/stay at the code of test digit #1 \(a \d\), its means μ/);
  await expect
    .poll(async () => maxDiff(await block(point), await block(vaeRow, 9 * 30, 0)))
    .toBeLessThanOrEqual(2);
  expect(maxDiff(await block(point), seven)).toBeGreaterThan(100);

  // A number outside the test set is refused in words; a good one clears it.
  await digit.fill('10000');
  await digit.press('Enter');
  await expect(walk.getByRole('alert')).toContainText('Choose a test digit from 0 to 9,999.');
  await digit.fill('1');
  await digit.press('Enter');
  await expect(walk.getByRole('alert')).toHaveCount(0);

  // Back to the prior's mean: the first grid again, the point at the origin.
  await walk.getByLabel('Hold the other dimensions at').selectOption('mean');
  await expect(summary).toContainText("The other 8 dimensions stay at 0, the prior's mean.");
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
  await expect.poll(() => dataUrl(grid)).toBe(meanGrid);

  // The autoencoder, held at the same digit: centred on its code too.
  await walk.getByLabel('Hold the other dimensions at').selectOption('digit');
  await walk.getByLabel('Model').selectOption('ae');
  await expect(summary).toContainText(
    'The other 8 dimensions stay at the code of test digit #1 (a',
    { timeout: 60_000 },
  );
  await expect(summary).toContainText("centred on the digit's code");
  await expect(summary).not.toContainText('μ');
  await expect
    .poll(async () => maxDiff(await block(point), await block(grid, 4 * 30, 4 * 30)))
    .toBeLessThanOrEqual(2);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

/** How many pixels of a canvas are within 8 of the colour `hex` (#rrggbb) in each channel. */
function pixelsOf(canvas: Locator, hex: string): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement, hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const near =
        Math.abs(data[i] - r) <= 8 &&
        Math.abs(data[i + 1] - g) <= 8 &&
        Math.abs(data[i + 2] - b) <= 8;
      if (near && data[i + 3] > 200) n++;
    }
    return n;
  }, hex);
}

test("the draw panel's scatters redraw in the new colours when the colour scheme flips", async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  await page.emulateMedia({ colorScheme: 'light' });
  const demo = await open(page, 'draw');
  const figure = demo.locator('[data-figure=draw]');
  await figure.scrollIntoViewIfNeeded();
  await figure.getByRole('button', { name: 'Put it on the pad' }).click();
  const boxes = ['draw-pca', 'draw-latent'].map((n) => figure.locator(`[data-chart=${n}]`));
  const fg = () =>
    demo.evaluate((el) => getComputedStyle(el).getPropertyValue('--ae-demo-fg').trim());
  const light = await fg();
  for (const box of boxes) {
    await expect(box.locator('[data-mark]')).toBeVisible({ timeout: 60_000 });
    await expect(box).toHaveAttribute('data-theme', new RegExp(`^${light}\\|`));
  }
  const canvases = boxes.map((b) => b.locator('canvas').first());
  const marks = await Promise.all(
    boxes.map((b) => b.locator('[data-mark]').getAttribute('data-x')),
  );
  // The axes' numbers and labels are painted in the text colour.
  for (const c of canvases) expect(await pixelsOf(c, light)).toBeGreaterThan(20);

  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await fg();
  expect(dark).not.toBe(light);
  for (const [i, box] of boxes.entries()) {
    await expect(box).toHaveAttribute('data-theme', new RegExp(`^${dark}\\|`));
    await expect.poll(() => pixelsOf(canvases[i], dark)).toBeGreaterThan(20);
    expect(await pixelsOf(canvases[i], light)).toBe(0);
    // Still one chart, with the digit still marked where it was.
    await expect(box.locator('canvas')).toHaveCount(1);
    await expect(box.locator('[data-mark]')).toHaveAttribute('data-x', marks[i]!);
  }

  // And back.
  await page.emulateMedia({ colorScheme: 'light' });
  for (const [i, box] of boxes.entries()) {
    await expect(box).toHaveAttribute('data-theme', new RegExp(`^${light}\\|`));
    await expect.poll(() => pixelsOf(canvases[i], light)).toBeGreaterThan(20);
  }
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

test('interpolation: three rows from one chosen test digit to another', async ({ page }) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  const demo = await open(page, 'interpolate');
  const figure = demo.locator('[data-figure=interpolate]');
  await figure.scrollIntoViewIfNeeded();
  const rows = ['pixels', 'ae', 'vae'].map((r) =>
    figure.locator(`canvas[data-digits=interp-${r}]`),
  );
  const summary = figure.locator('[data-summary=interpolate]');

  await figure.getByLabel('From test digit #').fill('5');
  await figure.getByLabel('From test digit #').press('Tab');
  await figure.getByLabel('to #').fill('12');
  await figure.getByLabel('to #').press('Tab');
  await expect(summary).toContainText(
    /From a \d \(test digit #5\) to a \d \(test digit #12\) in 10/,
    {
      timeout: 60_000,
    },
  );
  for (const row of rows) {
    await expect(row).toHaveAttribute('data-drawn', 'true');
    expect(await greyLevels(row)).toBeGreaterThan(20);
  }
  await expect(figure.locator('.interp-rows > span')).toHaveText([
    'Pixels (crossfade)',
    'Autoencoder',
    'VAE',
  ]);
  // The crossfade starts at the first digit and ends at the second, pixel for pixel.
  const a = await block(figure.locator('canvas[data-digits=interp-a]'));
  const b = await block(figure.locator('canvas[data-digits=interp-b]'));
  expect(a.filter((v) => v < 128).length).toBeGreaterThan(30);
  expect(await block(rows[0], 0, 0)).toEqual(a);
  expect(await block(rows[0], 9 * 30, 0)).toEqual(b);
  expect(a).not.toEqual(b);
  // The models' rows start near the first digit: darkest where it is dark.
  const aeFirst = await block(rows[1], 0, 0);
  const inkAt = (img: number[], where: number[]) =>
    where.reduce((s, i) => s + (255 - img[i]), 0) / where.length;
  const dark = a.flatMap((v, i) => (v < 64 ? [i] : []));
  const light = a.flatMap((v, i) => (v > 250 ? [i] : []));
  expect(inkAt(aeFirst, dark)).toBeGreaterThan(3 * inkAt(aeFirst, light));

  // A number outside the test set is refused in words; a good one brings the rows back.
  await figure.getByLabel('to #').fill('10000');
  await figure.getByLabel('to #').press('Enter');
  await expect(figure.getByRole('alert')).toContainText('Choose two test digits from 0 to 9,999.');
  await figure.getByLabel('to #').fill('12');
  await figure.getByLabel('to #').press('Enter');
  await expect(figure.getByRole('alert')).toHaveCount(0);

  // Two at random: new digits in the inputs and the rows.
  const before = await dataUrl(rows[0]);
  await figure.getByRole('button', { name: 'Pick two at random' }).click();
  await expect.poll(() => dataUrl(rows[0])).not.toBe(before);
  const ia = await figure.getByLabel('From test digit #').inputValue();
  const ib = await figure.getByLabel('to #').inputValue();
  await expect(summary).toContainText(`(test digit #${ia}) to a`);
  await expect(summary).toContainText(`(test digit #${ib}) in 10`);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

test('draw a digit: where it lands on PC1–PC2 and in the latent space, and its reconstructions', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  const demo = await open(page, 'draw');
  const figure = demo.locator('[data-figure=draw]');
  // Only the draw panel among the play panels.
  await expect(figure).toBeVisible({ timeout: 30_000 });
  await expect(demo.locator('[data-figure=walk], [data-figure=interpolate]')).toHaveCount(0);
  await figure.scrollIntoViewIfNeeded();
  const summary = figure.locator('[data-summary=draw]');
  await expect(summary).toContainText('Draw a digit on the pad');
  const t0 = await now(page);

  // A "7": a bar across the top and a stroke down to the bottom left.
  const pad = (await figure.locator('canvas[data-pad]').boundingBox())!;
  const at = (fx: number, fy: number) => [pad.x + fx * pad.width, pad.y + fy * pad.height] as const;
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  await page.mouse.move(...at(0.75, 0.2), { steps: 10 });
  await page.mouse.move(...at(0.4, 0.85), { steps: 12 });
  await page.mouse.up();

  const mark = figure.locator('[data-chart=draw-pca] [data-mark]');
  await expect(mark).toBeVisible({ timeout: 60_000 });
  await expect(mark).toHaveAttribute('data-x', /^-?\d/);
  await expect(figure.locator('[data-chart=draw-latent] [data-mark]')).toBeVisible();
  for (const name of ['input', 'pca', 'ae', 'vae']) {
    const canvas = figure.locator(`canvas[data-digits=draw-${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    expect(await greyLevels(canvas)).toBeGreaterThan(5);
  }
  await expect(summary).toHaveText(
    /Your digit lands (among|mostly near) the \ds on PC1–PC2: \d+ of its 20 nearest test digits there are \ds; the nearest is a \d \(#\d+\)\. With all 10 numbers of the autoencoder's code, its nearest test digit is a \d \(#\d+\)\. Rebuilt with MSE 0\.\d{4} by PCA \(10 components\), 0\.\d{4} by the autoencoder, 0\.\d{4} by the VAE\./,
  );
  expect(await longTasksSince(page, t0)).toEqual([]);

  // From the keyboard: a test digit on the pad lands next to itself in the autoencoder's code.
  await figure.getByRole('button', { name: 'Clear' }).click();
  await expect(summary).toContainText('Draw a digit on the pad');
  await expect(mark).toBeHidden();
  await figure.getByLabel('Test digit #').fill('3');
  await figure.getByRole('button', { name: 'Put it on the pad' }).focus();
  await page.keyboard.press('Enter');
  await expect(summary).toContainText("autoencoder's code, its nearest test digit is a 0 (#3).");
  // Everything has loaded by now, and the draw panel is the only figure shown.
  const shown = demo.locator('[data-figure]').filter({ visible: true });
  expect(
    await shown.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.figure)),
  ).toEqual(['draw']);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

test('a newly trained autoencoder takes over the walk and the interpolation', async ({ page }) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  const demo = await open(page, 'walk interpolate train');
  // One quick epoch, and a 4-number code, so the change shows in the walk's dimensions.
  await demo.evaluate((el) => {
    el.setAttribute('epochs', '1');
    el.setAttribute('latent', '4');
  });
  const walk = demo.locator('[data-figure=walk]');
  await walk.scrollIntoViewIfNeeded();
  await walk.getByLabel('Model').selectOption('ae');
  const walkSummary = walk.locator('[data-summary=walk]');
  await expect(walkSummary).toContainText(
    "The other 8 dimensions stay at the test digits' mean code",
    {
      timeout: 60_000,
    },
  );
  const interp = demo.locator('[data-summary=interpolate]');
  await demo.locator('[data-figure=interpolate]').scrollIntoViewIfNeeded();
  await expect(interp).toContainText('the shipped autoencoder');

  await demo.locator('button[data-action=train]').click();
  await expect(walkSummary).toContainText(
    "The other 2 dimensions stay at the test digits' mean code",
    {
      timeout: 60_000,
    },
  );
  await expect(walk.getByLabel('Across').locator('option')).toHaveCount(4);
  await expect(interp).not.toContainText('the shipped autoencoder');
  expect(await greyLevels(walk.locator('canvas[data-digits=walk-grid]'))).toBeGreaterThan(20);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

test.describe('under the strict Content-Security-Policy of the issue', () => {
  test.use({ serviceWorkers: 'block' });

  test('the walk, the interpolation and the pad style themselves with no violation (and no motion)', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
    await page.route(/\/(index\.html)?$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': csp },
      });
    });
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = violations;
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
      );
    });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const demo = await open(page, 'walk interpolate draw');
    const walk = demo.locator('[data-figure=walk]');
    await walk.scrollIntoViewIfNeeded();
    await expect(walk.getByRole('slider')).toBeVisible({ timeout: 60_000 });
    await walk.getByRole('slider').press('ArrowUp');
    await expect(walk.getByRole('slider')).toHaveAttribute('aria-valuetext', /z2 = 0\.25 up/);
    // Reduced motion: the point jumps, it does not glide.
    await expect(walk.getByRole('slider')).not.toHaveClass(/\banimate\b/);
    // The thumb is placed through CSSOM: 0.25 up is above the middle.
    const top = await walk.getByRole('slider').evaluate((el: HTMLElement) => el.style.top);
    expect(parseFloat(top)).toBeLessThan(50);
    const interp = demo.locator('[data-figure=interpolate]');
    await interp.scrollIntoViewIfNeeded();
    await expect(interp.locator('canvas[data-digits=interp-vae]')).toHaveAttribute(
      'data-drawn',
      'true',
    );
    const draw = demo.locator('[data-figure=draw]');
    await draw.scrollIntoViewIfNeeded();
    await draw.getByRole('button', { name: 'Put it on the pad' }).click();
    const mark = draw.locator('[data-chart=draw-latent] [data-mark]');
    await expect(mark).toBeVisible();
    expect(await mark.evaluate((el: HTMLElement) => el.style.left)).toMatch(/^\d+(\.\d+)?px$/);
    const violations = () =>
      page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(await violations()).toEqual([]);
    // The policy is in force: a style attribute is refused.
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await expect.poll(violations).toEqual([expect.stringMatching(/^style-src/)]);
    expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
  });
});
