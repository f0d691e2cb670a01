/**
 * The Playwright fixture of the parts' tests (src/components/<part>/*.test.ts):
 * `mountPart(tag, options)` opens the harness page (dist/parts, served by the
 * plain static server) and mounts one part on a store over the fake bridge
 * (tests/parts/harness.ts). `npm run build:parts` builds the page.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { serveStatic, type StaticServer } from '../e2e/static-server.ts';
import type { MountOptions } from './harness.ts';

const DIR = 'dist/parts';

export const test = base.extend<
  { mountPart: (tag: string, options?: MountOptions) => Promise<void> },
  { server: StaticServer }
>({
  server: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (!existsSync(`${DIR}/index.html`)) {
        throw new Error(`${DIR} is not built; run \`npm run build:parts\` first.`);
      }
      const server = await serveStatic(DIR);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  mountPart: async ({ page, server }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await use(async (tag, options) => {
      await page.goto(server.url);
      await page.evaluate(([t, o]) => window.mountPart(t, o), [tag, options] as const);
    });
    expect(errors, 'errors thrown in the page').toEqual([]);
  },
});

/** The details of the events of `type` the mounted part fired, in order. */
export function fired(page: Page, type: string): Promise<unknown[]> {
  return page.evaluate(
    (t) => window.part.events.filter((e) => e.type === t).map((e) => e.detail),
    type,
  );
}

/** A 4-D autoencoder "trained here", for a test to show in place of the shipped one (store.show). */
export const trainedAe = {
  modelId: 'ae-trained',
  kind: 'ae',
  inputSize: 784,
  latentSize: 4,
  description: {},
  label: 'Your autoencoder (3 epochs, trained here)',
  source: 'trained',
} as const;

/**
 * Mount options for the author's own images (`data-src`, no labels) of `rows × cols`, named
 * "my digits". Without a test set (the default) the last 20 % of them is held out; with
 * `heldOut: false` the same images are the training and the test set.
 */
export function authorImages({
  rows = 16,
  cols = 12,
  heldOut = true,
}: { rows?: number; cols?: number; heldOut?: boolean } = {}) {
  const source = { images: 'http://x/my-digits.gz', author: true };
  return {
    script: { author: { rows, cols, labelled: false } },
    author: heldOut
      ? {
          name: 'my digits',
          all: source,
          train: { ...source, heldOut: 'train' },
          test: { ...source, heldOut: 'test' },
          heldOut: true,
        }
      : { name: 'my digits', all: source, train: source, test: source, heldOut: false },
  } satisfies MountOptions;
}

export { expect };
