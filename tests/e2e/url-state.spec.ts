import AxeBuilder from '@axe-core/playwright';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import {
  collectAeErrors,
  collectCspViolations,
  collectErrors,
  routeDemoMarkup,
} from './helpers.ts';
import { serveStatic } from './static-server.ts';
import { waitForFigure } from '../../src/testing/index.ts';

// The built site, or another build of it (playwright.config.ts).
const SITE =
  process.env.AE_DEMO_SITE_DIR ?? fileURLToPath(new URL('../../dist/site/', import.meta.url));
/** The policy of tests/e2e/hardened.spec.ts: no inline scripts, no eval, no blob: workers. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

/** A link to the demo page with state for the latent view, the walk, the interpolation and training. */
const LINK =
  '#intro&ae.views=latent,walk,interpolate,train&ae.method=vae&ae.latent=4&ae.epochs=3' +
  '&ae.train-size=500&ae.seed=7&ae.latent-model=ae&ae.latent-dims=2,3&ae.walk-dims=2,1' +
  '&ae.walk-point=1,-0.5&ae.interpolate=5,8';

/** Records every history.replaceState and pushState of the page from its start. */
async function recordHistory(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as { __history: string[] }).__history = calls;
    for (const name of ['replaceState', 'pushState'] as const) {
      const original = history[name].bind(history);
      history[name] = (data: unknown, unused: string, url?: string | URL | null) => {
        calls.push(`${name} ${String(url)}`);
        original(data, unused, url);
      };
    }
  });
  return () => page.evaluate(() => (window as unknown as { __history: string[] }).__history);
}

const hashOf = (page: Page) => page.evaluate(() => location.hash);

test('a link opens the element in its state; the reader’s changes follow in the fragment', async ({
  page,
  context,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  const history = await recordHistory(page);
  await routeDemoMarkup(page, '<ae-demo url-state></ae-demo>');
  await page.goto(`./${LINK}`);
  const demo = page.locator('ae-demo');

  // The views of the link, not the author's (all).
  const latent = demo.locator('[data-figure=latent]');
  await expect(latent).toBeVisible({ timeout: 60_000 });
  await expect(demo.locator('[data-figure=variance], [data-figure=draw]')).toHaveCount(0);
  // The training settings.
  const train = demo.locator('ae-train');
  await expect(train.locator('[data-setting=method]')).toHaveValue('vae');
  for (const [name, value] of [
    ['latent', '4'],
    ['epochs', '3'],
    ['trainSize', '500'],
    ['seed', '7'],
  ]) {
    await expect(train.locator(`[data-setting=${name}]`), name).toHaveValue(value);
  }
  // The latent view: the autoencoder on z2 and z3.
  await expect(latent.locator('[data-control=latent-model]')).toHaveValue('ae');
  await expect(latent.locator('[data-control=latent-x]')).toHaveValue('1');
  await expect(latent.locator('[data-control=latent-y]')).toHaveValue('2');
  // The walk: z2 across, z1 up, at the link's point.
  const walk = demo.locator('[data-figure=walk]');
  await walk.scrollIntoViewIfNeeded();
  const thumb = walk.getByRole('slider');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z2 = 1.00 across, z1 = −0.50 up', {
    timeout: 60_000,
  });
  await expect(walk.locator('canvas[data-digits=walk-point]')).toHaveAttribute(
    'data-point',
    'z2 = 1.00 across, z1 = −0.50 up',
  );
  // The interpolation between test digits 5 and 8.
  const interpolate = demo.locator('[data-figure=interpolate]');
  await interpolate.scrollIntoViewIfNeeded();
  await expect(interpolate.locator('[data-summary=interpolate]')).toContainText(
    '(test digit #5) to',
    { timeout: 60_000 },
  );
  await expect(interpolate.locator('[data-summary=interpolate]')).toContainText('(test digit #8)');
  // Reading a link writes nothing.
  expect(await hashOf(page)).toBe(LINK);

  // The reader moves the walk's point and picks other digits: the fragment follows, in place.
  await thumb.focus();
  await thumb.press('ArrowRight');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z2 = 1.25 across, z1 = −0.50 up');
  await interpolate.getByLabel('to #').fill('9');
  await interpolate.getByLabel('to #').press('Enter');
  await expect.poll(() => hashOf(page)).toContain('&ae.interpolate=5,9');
  const written = await hashOf(page);
  expect(written).toBe(
    '#intro&ae.views=latent,walk,interpolate,train&ae.method=vae&ae.latent=4&ae.epochs=3' +
      '&ae.train-size=500&ae.seed=7&ae.latent-model=ae&ae.latent-dims=2,3&ae.walk-model=vae' +
      '&ae.walk-dims=2,1&ae.walk-anchor=mean&ae.walk-point=1.25,-0.5&ae.interpolate=5,9',
  );
  // By replaceState only: no history entry per change.
  const calls = await history();
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.every((c) => c.startsWith('replaceState '))).toBe(true);

  // "Copy link" puts the page's link on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await demo.getByRole('button', { name: 'Copy link' }).press('Enter');
  await expect(demo.locator('[data-link-status]')).toHaveText('Link copied.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());

  // A hash the reader navigates to applies at once.
  await page.evaluate(() => (location.hash = '#ae.latent-dims=1,4&ae.walk-point=0,0'));
  await expect(latent.locator('[data-control=latent-x]')).toHaveValue('0');
  await expect(latent.locator('[data-control=latent-y]')).toHaveValue('3');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z2 = 0.00 across, z1 = 0.00 up');

  // The copied link opens the same view in a new page.
  const again = await context.newPage();
  await routeDemoMarkup(again, '<ae-demo url-state></ae-demo>');
  await again.goto(copied);
  const walk2 = again.locator('ae-demo [data-figure=walk]');
  await expect(walk2).toBeVisible({ timeout: 60_000 });
  await walk2.scrollIntoViewIfNeeded();
  await expect(walk2.getByRole('slider')).toHaveAttribute(
    'aria-valuetext',
    'z2 = 1.25 across, z1 = −0.50 up',
    { timeout: 60_000 },
  );
  await expect(again.locator('ae-demo ae-train [data-setting=seed]')).toHaveValue('7');
  await again.close();

  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

test('without url-state the URL is never read nor written, and there is no Copy link', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const history = await recordHistory(page);
  const hash = '#ae.views=latent&ae.latent-dims=2,3&ae.seed=9';
  await page.goto(`./${hash}`);
  const demo = page.locator('ae-demo');
  const latent = demo.locator('[data-figure=latent]');
  await expect(latent).toBeVisible({ timeout: 60_000 });
  // Every view of the author's, the defaults of the element: the fragment was not read.
  await expect(demo.locator('[data-figure=variance]')).toBeVisible();
  await expect(latent.locator('[data-control=latent-x]')).toHaveValue('0');
  await expect(demo.locator('ae-train [data-setting=seed]')).toHaveValue('1');
  await expect(demo.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
  // The reader changes things; the walk's grid then takes far longer than the link's rest.
  await latent.locator('[data-control=latent-y]').selectOption('2');
  await demo.locator('ae-train [data-setting=seed]').fill('4');
  await demo.locator('ae-train [data-setting=seed]').press('Tab');
  const walk = demo.locator('[data-figure=walk]');
  await walk.scrollIntoViewIfNeeded();
  await walk.getByRole('slider').press('ArrowRight');
  await expect(walk.locator('canvas[data-digits=walk-point]')).toHaveAttribute(
    'data-point',
    'z1 = 0.25 across, z2 = 0.00 up',
    { timeout: 60_000 },
  );
  expect(await hashOf(page)).toBe(hash);
  expect(await history()).toEqual([]);
  expect(errors).toEqual([]);
});

test('an invalid link is said in words and fired, the rest applies; a foreign fragment is ignored', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  await routeDemoMarkup(page, '<ae-demo url-state views="train"></ae-demo>');
  await page.goto('./#ae.latent=abc&ae.walk-dims=3,3&ae.seed=5');
  const demo = page.locator('ae-demo');
  const box = demo.locator('[data-link-errors]');
  await expect(box).toContainText("Some of this link's settings were ignored.");
  const messages = [
    'ae.latent="abc" must be a whole number from 1 to 32.',
    'ae.walk-dims="3,3" must be two different latent dimensions, such as 1,2.',
  ];
  for (const message of messages) await expect(box).toContainText(message);
  await expect(demo.locator('ae-train [data-setting=seed]')).toHaveValue('5', { timeout: 60_000 });
  await expect(demo.locator('ae-train [data-setting=latent]')).toHaveValue('10');
  expect(failures).toEqual(messages);

  // A fragment of the docs page: nothing said, nothing changed, the last link's words gone.
  await page.evaluate(() => (location.hash = '#installation'));
  await expect(box).toHaveCount(0);
  await expect(demo.locator('ae-train [data-setting=seed]')).toHaveValue('5');
  expect(await hashOf(page)).toBe('#installation');
  expect(failures).toEqual(messages);
  expect(errors).toEqual([]);
});

test('Copy link without a clipboard shows the link in a field to copy by hand', async ({
  page,
}) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }),
  );
  await routeDemoMarkup(page, '<ae-demo id="first" url-state views="variance"></ae-demo>');
  await page.goto('./#docs');
  const demo = page.locator('ae-demo');
  await demo.getByRole('button', { name: 'Copy link' }).click();
  await expect(demo.locator('[data-link-status]')).toHaveText('Copy this link:');
  const field = demo.getByRole('textbox', { name: 'Link to this view' });
  const link = new URL(await field.inputValue());
  // Keyed by the element's id, after the page's own fragment.
  expect(link.hash).toBe(
    '#docs&ae.first.views=variance&ae.first.method=ae&ae.first.latent=10&ae.first.epochs=5' +
      '&ae.first.train-size=2000&ae.first.seed=1&ae.first.latent-model=vae&ae.first.latent-dims=1,2' +
      '&ae.first.walk-model=vae&ae.first.walk-dims=1,2&ae.first.walk-anchor=mean' +
      '&ae.first.interpolate=0,1',
  );
  expect(link.pathname).toBe(new URL(page.url()).pathname);
  // Copying does not write the URL.
  expect(await hashOf(page)).toBe('#docs');
});

test('under the strict CSP, and offline once loaded: a link applies, the fragment follows, Copy link copies', async ({
  page,
  context,
}) => {
  const errors = collectErrors(page);
  const violations = await collectCspViolations(page);
  const server = await serveStatic(SITE, {
    prefix: '/docs/demo/',
    headers: { 'Content-Security-Policy': CSP },
    transformHtml: (html) =>
      html.replace('<ae-demo></ae-demo>', '<ae-demo url-state views="walk"></ae-demo>'),
  });
  try {
    const favicon = page.waitForResponse(/\/favicon\.svg$/);
    const response = await page.goto(`${server.url}#ae.walk-dims=1,3&ae.walk-point=0.75,-1`);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    const walk = page.locator('ae-demo [data-figure=walk]');
    await walk.scrollIntoViewIfNeeded({ timeout: 60_000 });
    const thumb = walk.getByRole('slider');
    await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.75 across, z3 = −1.00 up', {
      timeout: 60_000,
    });
    await thumb.press('ArrowDown');
    await expect.poll(() => hashOf(page)).toContain('&ae.walk-point=0.75,-1.25');

    // Nothing of a link needs the network. (Chromium asks for the page's favicon again on a
    // fragment navigation: that request, the demo page's and not the element's, fails offline.)
    await favicon;
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(new URL(r.url()).pathname));
    await context.setOffline(true);
    await page.evaluate(() => (location.hash = '#ae.walk-point=-2,2'));
    await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = −2.00 across, z3 = 2.00 up');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('ae-demo').getByRole('button', { name: 'Copy link' }).click();
    await expect(page.locator('ae-demo [data-link-status]')).toHaveText('Link copied.');
    const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied.pathname).toBe('/docs/demo/');
    expect(copied.hash).toContain('&ae.walk-dims=1,3&ae.walk-anchor=mean&ae.walk-point=-2,2&');
    expect(await violations()).toEqual([]);
    expect(failed.every((path) => path === '/docs/demo/favicon.svg')).toBe(true);
    const offline = 'Failed to load resource: net::ERR_INTERNET_DISCONNECTED';
    expect(errors.filter((e) => e !== offline)).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(failed.length);
  } finally {
    await context.setOffline(false);
    await server.close();
  }
});

test('the Copy link button, the link field and the error box pass axe, light and dark', async ({
  page,
}) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }),
  );
  await routeDemoMarkup(page, '<ae-demo url-state views="variance"></ae-demo>');
  await page.goto('./#ae.seed=x');
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[data-link-errors]')).toContainText('ae.seed="x"');
  await expect(demo.locator('[data-summary=variance]')).toContainText('components explain', {
    timeout: 60_000,
  });
  // Reached by the keyboard, pressed with Enter.
  const button = demo.getByRole('button', { name: 'Copy link' });
  for (let i = 0; i < 40 && !(await button.evaluate((b) => b.matches(':focus'))); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(button).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(demo.getByRole('textbox', { name: 'Link to this view' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).include('ae-demo').analyze();
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      scheme,
    ).toEqual([]);
  }
});

test('the denoise noise travels in the link: it opens with it, and the slider writes it back', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  await routeDemoMarkup(page, '<ae-demo url-state></ae-demo>');
  await page.goto('./#ae.views=denoise&ae.noise=mask:0.5');
  const demo = page.locator('ae-demo');
  const figure = demo.locator('[data-figure=denoise]');
  await expect(figure).toBeVisible({ timeout: 60_000 });
  await figure.scrollIntoViewIfNeeded();
  const opened = await waitForFigure(demo, 'denoise', (r) => r.drawn === 5, { timeout: 90_000 });
  expect(opened.data.noise).toBe('mask:0.5');
  await expect(figure.getByRole('combobox', { name: 'Noise' })).toHaveValue('mask');

  // One step up from the keyboard: the figure recomputes, and the fragment says the new noise.
  const slider = figure.getByRole('slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  const moved = await waitForFigure(
    demo,
    'denoise',
    (r) => r.drawn === 5 && r.data.noise !== 'mask:0.5',
    { timeout: 90_000 },
  );
  expect(moved.data.noise).toMatch(/^mask:0\.\d+$/);
  await expect.poll(() => hashOf(page)).toContain(`ae.noise=${moved.data.noise}`);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});
