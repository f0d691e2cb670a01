/** Calls its argument later, once (such as requestAnimationFrame or a timer); returns a cancel function. */
export type Scheduler = (callback: () => void) => () => void;

/** One call per animation frame. */
export const everyFrame: Scheduler = (callback) => {
  const id = requestAnimationFrame(() => callback());
  return () => cancelAnimationFrame(id);
};

/** One call at most every `ms` milliseconds. */
export const every =
  (ms: number): Scheduler =>
  (callback) => {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  };

/**
 * Runs an async task on the latest value pushed to it, never two at once:
 * values pushed while a task runs are coalesced to the last one, which runs
 * when the task ends, at the scheduler's next tick (one per animation frame
 * for live decoding). Errors of a task go to `onError`; the next value still runs.
 */
export class Latest<T> {
  private pending: { value: T } | undefined;
  private busy = false;
  private cancelTick: (() => void) | undefined;

  constructor(
    private readonly task: (value: T) => Promise<void>,
    private readonly schedule: Scheduler,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Whether a task is running now. */
  get running(): boolean {
    return this.busy;
  }

  /** Asks for a task on `value`, replacing any value still waiting. */
  push(value: T): void {
    this.pending = { value };
    this.tick();
  }

  /** Drops the waiting value (a running task finishes; its caller ignores it if it must). */
  clear(): void {
    this.pending = undefined;
    this.cancelTick?.();
    this.cancelTick = undefined;
  }

  private tick(): void {
    if (this.busy || this.cancelTick || !this.pending) return;
    this.cancelTick = this.schedule(() => {
      this.cancelTick = undefined;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    const next = this.pending;
    if (this.busy || !next) return;
    this.pending = undefined;
    this.busy = true;
    try {
      await this.task(next.value);
    } catch (error) {
      this.onError(error);
    } finally {
      this.busy = false;
      this.tick();
    }
  }
}
