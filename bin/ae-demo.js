#!/usr/bin/env node
// The `ae-demo` command. Runs the compiled CLI (npm run build:lib); in a dev
// checkout without a build, runs the TypeScript source through tsx instead.
import { existsSync } from 'node:fs';

const built = new URL('../dist/lib/cli/main.js', import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(
      'ae-demo: the CLI is not built; run `npm run build:lib` (or `npm install` for tsx).\n',
    );
    process.exit(1);
  }
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
await cli.run();
