/**
 * The longest stretch of rendering, in milliseconds of the page's clock, that
 * the element's parts do in one task before they let the page have its main
 * thread back. Short enough that a slice and the render that ends it stay
 * under 50 ms on a phone (here: 4× CPU throttling).
 */
const SLICE_MS = 6;

let sliceEnds = -Infinity;

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
 * Resolves at the next idle moment of the main thread (requestIdleCallback,
 * at most `timeout` ms later), or in the next task where there is none
 * (Safari before 18.4): for work done ahead of need, such as resolving fonts.
 */
export function idleTask(timeout = 200): Promise<void> {
  const ric = (globalThis as { requestIdleCallback?: typeof requestIdleCallback })
    .requestIdleCallback;
  if (!ric) return yieldToMain();
  return new Promise((resolve) => ric(() => resolve(), { timeout }));
}

interface Turn {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
const turns: Turn[] = [];
let draining = false;

/**
 * Runs `run` (a part's render) when its turn comes: at once while the
 * current slice lasts, else in the next task, which starts a new slice.
 * One worker message that changes the store makes every part render again,
 * and the first renders of the model figures make big templates: taken in
 * turns, they spread over tasks (with input and frames between them)
 * instead of one long task. The clock is read just before each render, in
 * the same synchronous run: a check made in a microtask ahead of the
 * renders would let every render waiting on one slice pass it before any
 * of them ran (here one task of 228 ms at 4× CPU throttling).
 */
export function renderInTurn(run: () => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    turns.push({ run, resolve, reject });
    if (!draining) {
      draining = true;
      void drain();
    }
  });
}

async function drain(): Promise<void> {
  while (turns.length > 0) {
    if (performance.now() >= sliceEnds) {
      await yieldToMain();
      sliceEnds = performance.now() + SLICE_MS;
    }
    const turn = turns.shift()!;
    try {
      turn.resolve(turn.run());
    } catch (error) {
      turn.reject(error);
    }
  }
  draining = false;
}
