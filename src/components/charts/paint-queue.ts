import { yieldToMain } from '../shared/render-slice.ts';

let tail: Promise<void> = Promise.resolve();

/**
 * Resolves in a task of its own just after an animation frame of its own.
 * Chart work that awaits it and then runs synchronously gets one frame per
 * chart, across every figure of every element on the page: when a new model
 * makes several 10,000-point scatters redraw at once, no single main-thread
 * task grows long. After the frame rather than in it: the chart is made in
 * one task and the frame that lays it out and paints it is another (in a
 * requestAnimationFrame callback the two were one task, 50–90 ms at 4× CPU
 * throttling here).
 */
export function paintSlot(): Promise<void> {
  const slot = tail.then(
    () =>
      new Promise<void>((resolve) => requestAnimationFrame(() => void yieldToMain().then(resolve))),
  );
  tail = slot;
  return slot;
}
