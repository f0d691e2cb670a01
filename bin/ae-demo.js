#!/usr/bin/env node
// The `ae-demo` command. In a checkout (the TypeScript source is there, and tsx
// with it) it runs the source, so it can never run a stale build; an installed
// package has only the compiled CLI in dist/lib (npm run build:lib).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/lib/cli/main.js', import.meta.url);

async function tsxAvailable() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return true;
  } catch {
    return false;
  }
}

let cli;
if (existsSync(source) && (await tsxAvailable())) {
  cli = await import(source.href);
} else if (existsSync(built)) {
  cli = await import(built.href);
} else {
  process.stderr.write(
    'ae-demo: the CLI is not built; run `npm run build:lib` (or `npm install` for tsx).\n',
  );
  process.exit(1);
}
await cli.run();
