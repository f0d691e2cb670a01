import { expect, type Locator, type Page } from '@playwright/test';
import { waitForReady } from '../../src/testing/index.ts';
import { greyLevels } from './helpers.ts';

/** The three PCA figures drawn, with the notebook's reference numbers in their summaries. */
export async function expectPcaFigures(demo: Locator): Promise<void> {
  // Through the package's own helpers (ae-demo/testing), so they stay true.
  const ready = await waitForReady(demo);
  expect(ready.summary).toBe('84 components explain 90.07 % of the variance.');
  for (const figure of ['variance', 'scatter', 'mse']) {
    await expect(demo.locator(`[data-figure=${figure}] canvas`).first()).toBeVisible();
  }
  await expect(demo.locator('[data-summary=mse]')).toContainText('0.0339 with 10');
}

/** The PCA figures with the reference numbers, then the shipped autoencoder's digits. */
export async function expectFiguresAndShippedModel(demo: Locator): Promise<void> {
  await expectPcaFigures(demo);
  const reconstructions = demo.locator('canvas[data-digits=ae]');
  await expect(reconstructions).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  await expect(reconstructions).toHaveAttribute('data-source', 'pretrained');
  expect(await greyLevels(reconstructions)).toBeGreaterThan(20);
}

/** The shipped VAE's samples, drawn (not a blank canvas). */
export async function expectVaeSamples(demo: Locator): Promise<void> {
  const samples = demo.locator('canvas[data-digits=samples]');
  await expect(samples).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  expect(await greyLevels(samples)).toBeGreaterThan(20);
}

/** A one-epoch run of "Train an autoencoder here" (quick preset), to its end. */
export async function trainOneEpoch(page: Page, demo: Locator): Promise<void> {
  const train = demo.getByRole('button', { name: 'Train an autoencoder here' });
  await expect(train).toBeEnabled({ timeout: 60_000 });
  await demo.evaluate((el) => el.setAttribute('train-epochs', '1'));
  await train.click();
  await expect(demo.locator('[part=train-status]')).toHaveText(
    /Trained 1 epoch on 2,000 digits .*; test MSE 0\.\d{4}\./,
    { timeout: 60_000 },
  );
  await expect(demo.locator('canvas[data-digits=ae]')).toHaveAttribute('data-source', 'trained');
}
