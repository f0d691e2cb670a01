import { createHash } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium.ts';
import { SITE_PREFIX } from './tests/e2e/site.ts';

// Browser tests run in the system's Chromium (tests/chromium.ts), never in one Playwright downloads.
// A port of this checkout's own (AE_DEMO_PORT to choose): a server already running for another
// checkout or worktree is reused only when it serves this one's site.
const port = Number(process.env.AE_DEMO_PORT ?? 4173 + checkoutOffset());
// The demo page with the standalone folder in it (npm run build), under a sub-path.
const site = `http://127.0.0.1:${port}${SITE_PREFIX}`;

export default defineConfig({
  // The page as users get it (tests/e2e), and each part of the element alone (src/components/*/).
  testDir: '.',
  testMatch: ['tests/e2e/**/*.spec.ts', 'src/components/**/*.test.ts'],
  timeout: 90_000,
  expect: { timeout: 30_000 },
  // Two cores: one test at a time keeps the timings of the worker honest.
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL: site,
    browserName: 'chromium',
    // The site's service worker (scripts/build-sw.mjs) would answer requests from
    // its cache once active, past page.route, at a moment that depends on timing:
    // only tests/e2e/offline.spec.ts lets it run.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
  },
  webServer: {
    // The built site served the way users get it: plain static files under a sub-path
    // (AE_DEMO_SITE_DIR serves another build, AE_DEMO_PORT another port).
    command: 'node --import tsx tests/e2e/serve-site.ts',
    env: { AE_DEMO_PORT: String(port) },
    url: site,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

/** 0–799 from this checkout's path: two worktrees never share a default port. */
function checkoutOffset(): number {
  return (
    createHash('sha1')
      .update(import.meta.dirname)
      .digest()
      .readUInt16BE(0) % 800
  );
}
