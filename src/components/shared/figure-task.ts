import { TaskStatus, initialState, type Task, type TaskFunction } from '@lit/task';
import { html, nothing } from 'lit';
import { errorDetail } from '../ae-demo/words.ts';
import { anySignal, type DemoStore } from '../store/store.ts';

/** The arguments of a {@link storeTask} once every one is there. */
type Present<A extends readonly unknown[]> = { [K in keyof A]: NonNullable<A[K]> };

/**
 * A Task function of a figure whose first argument is its store: it waits
 * (the task stays INITIAL) until every argument is there, runs `work` with
 * a signal that aborts when the run is superseded or the store is dropped,
 * and fires a failure of a current run once, through `fail` (a part's
 * `fail`, which leaves cancellations out).
 */
export function storeTask<const A extends readonly [DemoStore | undefined, ...unknown[]], R>(
  fail: (error: unknown) => unknown,
  work: (args: Present<A>, signal: AbortSignal) => Promise<R>,
): TaskFunction<A, R> {
  return async (args, { signal }) => {
    if (args.some((arg) => arg === undefined)) return initialState;
    const present = args as Present<A>;
    try {
      return await work(present, anySignal(signal, present[0].signal));
    } catch (error) {
      // A run that a newer one replaced says nothing: its figure shows the newer.
      if (!signal.aborted) fail(error);
      throw error;
    }
  };
}

/** What the first failed task of a figure says (a cancellation is no failure). */
export function taskFailure(tasks: readonly Task[]): string | undefined {
  for (const task of tasks) {
    if (task.status !== TaskStatus.ERROR) continue;
    const { code, message } = errorDetail(task.error);
    if (code !== 'ABORTED') return message;
  }
  return undefined;
}

/** The result of a task once it is complete (never the value of an earlier run). */
export function taskValue<R>(task: Task<readonly unknown[], R>): R | undefined {
  return task.status === TaskStatus.COMPLETE ? task.value : undefined;
}

/** A figure's error box: it could not be drawn, and why. */
export function figureError(message: string | undefined) {
  return message
    ? html`<div class="error" role="alert">
        <strong>Could not draw this figure.</strong>${message}
      </div>`
    : nothing;
}
