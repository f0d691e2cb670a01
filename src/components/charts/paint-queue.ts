let tail: Promise<void> = Promise.resolve();

/**
 * Resolves on an animation frame of its own. Chart work that awaits it and
 * then runs synchronously gets one frame per chart, across every figure of
 * every element on the page: when a new model makes several 10,000-point
 * scatters redraw at once, no single main-thread task grows long.
 */
export function paintSlot(): Promise<void> {
  const slot = tail.then(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())),
  );
  tail = slot;
  return slot;
}
