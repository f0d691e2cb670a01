import assert from 'node:assert/strict';
import { it } from 'node:test';
import { initBackend } from '../../src/core/models/backend.ts';

// Its own file: the race needs a process whose backend has never started.
it('two callers at once share one start of the backend', async () => {
  // Two <ae-demo> elements ask the shared worker for the backend in the same tick.
  const [first, second] = await Promise.all([initBackend(), initBackend()]);
  assert.equal(first.name, 'wasm');
  assert.deepEqual(second, first);
});
