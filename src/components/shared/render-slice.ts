/**
 * The longest stretch of rendering, in milliseconds of the page's clock, that
 * the element's parts do in one task before they let the page have its main
 * thread back. Short enough that a slice and the render that ends it stay
 * under 50 ms on a phone (here: 4× CPU throttling).
 */
const SLICE_MS = 6;

let sliceEnds = -Infinity;
let nextSlice: Promise<void> | undefined;

/**
 * Resolves in a new task of the main thread: `scheduler.yield()` where the
 * browser has it (Chromium 129+: the rest runs ahead of other queued tasks),
 * else a macrotask (a MessageChannel message: setTimeout is clamped to 4 ms
 * once nested).
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * Resolves when a render may run: at once while the current slice lasts,
 * else in the next task, which starts a new slice. One worker message that
 * changes the store makes every part render again, and the first renders of
 * the model figures make big templates: taken in turns, they spread over
 * tasks (with input and frames between them) instead of one long task.
 */
export async function renderTurn(): Promise<void> {
  while (performance.now() >= sliceEnds) {
    nextSlice ??= yieldToMain().then(() => {
      nextSlice = undefined;
      sliceEnds = performance.now() + SLICE_MS;
    });
    await nextSlice;
  }
}
