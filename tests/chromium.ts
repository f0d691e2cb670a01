/**
 * The Chromium every browser test and bench launches: Debian's (apt-get
 * install chromium), never one Playwright downloads; AE_DEMO_BROWSER points
 * at another Chromium-family executable elsewhere.
 */
export const CHROMIUM_PATH = process.env.AE_DEMO_BROWSER ?? '/usr/bin/chromium';

/** Launch flags that keep Chromium off the network: this machine (and a learner's offline laptop) has none. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
];
