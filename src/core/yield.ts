let channelYield: (() => Promise<void>) | undefined;

/**
 * Lets queued events (a pause or cancel message, a progress repaint) run:
 * setImmediate in Node, one shared MessageChannel in a page or a worker; not
 * setTimeout, which browsers clamp to 4 ms once nested.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel !== 'function') return Promise.resolve();
  if (!channelYield) {
    const channel = new MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    channelYield = () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return channelYield();
}
