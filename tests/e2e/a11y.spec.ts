import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectFiguresAndShippedModel, expectVaeSamples, trainOneEpoch } from './demo-checks.ts';
import { collectErrors } from './helpers.ts';

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One line per failing node: rule, where (`>>>` enters a shadow root), and what to fix. */
function report(violations: Violation[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => {
      const target = n.target
        .map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t)))
        .join(', ');
      const summary = (n.failureSummary ?? v.help).replace(/\s*\n\s*/g, ' ');
      return `${v.id} (${v.impact}) at ${target}: ${summary}`;
    }),
  );
}

/**
 * Runs axe-core (with its default rules, open shadow roots included) over the
 * whole page and expects no violation; on failure the lines of `report` are
 * the diff, and the full results are attached to the test.
 */
async function expectNoViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  if (violations.length > 0) {
    await test.info().attach(`axe ${label}`, {
      body: JSON.stringify(violations, null, 2),
      contentType: 'application/json',
    });
  }
  // Soft, so that one run lists the violations of every scheme, width and state.
  expect.soft(report(violations), `axe violations, ${label}`).toEqual([]);
}

/**
 * Switches the colour scheme and waits until every chart has been redrawn in
 * it (each chart box shows the theme it was drawn with, text colour first).
 */
async function useScheme(page: Page, demo: Locator, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  const fg = await demo.evaluate((el) =>
    getComputedStyle(el).getPropertyValue('--ae-demo-fg').trim(),
  );
  await expect
    .poll(() =>
      demo
        .locator('[data-theme]')
        .evaluateAll(
          (boxes, want) => boxes.filter((b) => !b.dataset.theme!.startsWith(want)),
          `${fg}|`,
        )
        .then((stale) => stale.length),
    )
    .toBe(0);
}

/**
 * Every view of the demo page in its final state: the PCA figures, the shipped
 * models' digits, and the views that start only once they scroll into sight
 * (the latent scatter, the walk, the interpolation, the draw pad's scatters).
 */
async function renderEveryView(demo: Locator): Promise<void> {
  await expectFiguresAndShippedModel(demo);
  await expectVaeSamples(demo);
  for (const figure of await demo.locator('[data-figure]:visible').all()) {
    await figure.scrollIntoViewIfNeeded();
  }
  const notebook = demo.locator('[data-notebook]');
  await expect(notebook.locator('[data-figure=latent] .chart')).toHaveAttribute(
    'data-drawn',
    /^vae/,
    { timeout: 60_000 },
  );
  await expect(notebook.locator('[data-figure=compare] .chart')).toHaveAttribute(
    'data-drawn',
    /.+/,
  );
  for (const canvas of ['walk-grid', 'interp-ae', 'interp-vae']) {
    await expect(demo.locator(`canvas[data-digits=${canvas}]`), canvas).toHaveAttribute(
      'data-drawn',
      'true',
      { timeout: 60_000 },
    );
  }
  const draw = demo.locator('[data-figure=draw]');
  await expect(draw.locator('[data-chart=draw-latent]')).toHaveAttribute('data-theme', /.+/, {
    timeout: 60_000,
  });
  await expect(draw.locator('[data-summary=draw]')).toContainText('Draw a digit on the pad');
}

const SCHEMES = ['light', 'dark'] as const;

for (const { width, height } of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`no axe violations at ${width} px, light and dark, before and after a quick training`, async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('./');
    const demo = page.locator('ae-demo');
    await renderEveryView(demo);
    for (const scheme of SCHEMES) {
      await useScheme(page, demo, scheme);
      await expectNoViolations(page, `${width} px, ${scheme}`);
    }

    // The training panel shows its progress, loss chart, downloads and save buttons only after a run.
    await trainOneEpoch(page, demo);
    await expect(demo.locator('[data-figure=loss]')).toHaveAttribute('data-epochs', '1');
    await expect(demo.locator('[data-figure=loss] .chart')).toHaveAttribute('data-theme', /.+/);
    for (const scheme of SCHEMES) {
      await useScheme(page, demo, scheme);
      await expectNoViolations(page, `${width} px, ${scheme}, trained`);
    }
    expect(errors).toEqual([]);
  });
}
