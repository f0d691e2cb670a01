import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  collectErrors,
  longTasksSince,
  pageNow,
  recordLongTasks,
  routeDemoMarkup,
} from './helpers.ts';

/** Opens the demo page with `markup` in place of its `<ae-demo></ae-demo>`, recording long tasks. */
async function open(page: Page, markup?: string): Promise<void> {
  await recordLongTasks(page);
  if (markup) await routeDemoMarkup(page, markup);
  // Start light whatever the machine prefers, so that the switch below is a change.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('./');
}

const now = pageNow;

/** The element's text and axis colour (`--ae-demo-fg`) as the page computes it now. */
const fg = (page: Page) =>
  page
    .locator('ae-demo')
    .evaluate((el) => getComputedStyle(el).getPropertyValue('--ae-demo-fg').trim());

/**
 * Opaque pixels of a chart's canvas within a few levels of `hex`: the axis
 * labels and tick values are painted in the theme's text colour, so after a
 * switch the new colour must appear on the canvas and the old one go.
 */
function ink(box: Locator, hex: string): Promise<number> {
  return box.locator('canvas').evaluate((c: HTMLCanvasElement, color) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const near =
        Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= 12;
      if (data[i + 3] > 200 && near) count++;
    }
    return count;
  }, hex);
}

/** Switches to dark and checks every box was drawn again in the dark text colour, without a long task. */
async function switchToDark(page: Page, boxes: Record<string, Locator>): Promise<void> {
  const light = await fg(page);
  expect(light).toMatch(/^#[0-9a-f]{6}$/i);
  for (const [name, box] of Object.entries(boxes)) {
    await expect(box, name).toHaveAttribute('data-theme', new RegExp(`^${light}\\|`));
    expect(await ink(box, light), `${name}: light axis text`).toBeGreaterThan(20);
  }
  const since = await now(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await fg(page);
  expect(dark).not.toEqual(light);
  for (const [name, box] of Object.entries(boxes)) {
    await expect(box, name).toHaveAttribute('data-theme', new RegExp(`^${dark}\\|`));
    // The canvas itself changed: its labels are now in the dark theme's colour, none in the light one.
    expect(await ink(box, dark), `${name}: dark axis text`).toBeGreaterThan(20);
    expect(await ink(box, light), `${name}: light axis text left`).toBe(0);
  }
  // Each chart was redrawn on a frame of its own: no task of the switch grew long.
  expect(await longTasksSince(page, since)).toEqual([]);
}

test('the PCA and notebook charts follow a switch to the dark colour scheme', async ({ page }) => {
  const errors = collectErrors(page);
  await open(page);
  const demo = page.locator('ae-demo');
  const boxes: Record<string, Locator> = {};
  for (const name of ['variance', 'scatter', 'mse']) {
    boxes[name] = demo.locator(`[data-figure=${name}] .chart`);
  }
  const notebook = demo.locator('[data-notebook]');
  boxes.compare = notebook.locator('[data-figure=compare] .chart');
  boxes.latent = notebook.locator('[data-figure=latent] .chart');
  await expect(boxes.compare).toHaveAttribute('data-drawn', /.+/, { timeout: 60_000 });
  // The latent scatter encodes the test digits once it is seen.
  await boxes.latent.scrollIntoViewIfNeeded();
  // Drawn for the shipped VAE (the autoencoder stands in while the VAE loads).
  await expect(notebook.locator('[data-summary=latent]')).toContainText("the shipped VAE's", {
    timeout: 60_000,
  });
  await expect(boxes.latent).toHaveAttribute('data-drawn', /^vae/);
  const latentDrawn = await boxes.latent.getAttribute('data-drawn');

  await switchToDark(page, boxes);
  // The same points, only in new colours.
  await expect(boxes.latent).toHaveAttribute('data-drawn', latentDrawn!);
  await expect(demo.locator('[data-summary=latent]')).toContainText('10,000 test digits');
  expect(errors).toEqual([]);
});

test('the loss chart follows a switch to the dark colour scheme', async ({ page }) => {
  const errors = collectErrors(page);
  await open(page, '<ae-demo views="train" autostart epochs="1" train-size="200"></ae-demo>');
  const figure = page.locator('ae-demo [data-figure=loss]');
  await expect(figure).toHaveAttribute('data-epochs', '1', { timeout: 60_000 });
  await expect(page.locator('ae-demo [part=train-status]')).toContainText('Done', {
    timeout: 60_000,
  });
  await switchToDark(page, { loss: figure.locator('.chart') });
  // The redrawn chart still shows the epoch that was trained.
  await expect(figure).toHaveAttribute('data-epochs', '1');
  expect(errors).toEqual([]);
});
