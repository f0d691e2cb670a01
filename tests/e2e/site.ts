/** Where tests/e2e/serve-site.ts serves the demo site: a sub-path, as a docs host would. */
export const SITE_PREFIX = '/docs/ae-demo/demo/';
