/**
 * Waiting and error checks the unit tests share, with nothing heavy imported:
 * tests of the page side (tests/unit/bridge.test.ts) use them without TF.js.
 */
import { AeError } from '../../src/core/errors.ts';

export const isCode = (code: string) => (error: unknown) =>
  error instanceof AeError && error.code === code;

/** Resolves once `condition()` holds, checking every 10 ms; fails after `ms`. */
export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A few turns of the event loop, so that messages on their way arrive. */
export async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}
