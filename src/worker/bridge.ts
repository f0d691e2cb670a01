import * as Comlink from 'comlink';
import './transfer-error.ts';
import { AeError } from '../core/errors.ts';
import type { TaskProgress, WorkerApi } from './api.ts';

export type { DataSource, DatasetSummary, PcaRequest, PcaSummary, TaskProgress } from './api.ts';

/**
 * The page side of the one worker. Several elements share it: each `acquire()`
 * must be paired with a `release()`, and the worker is terminated (giving its
 * wasm memory back) when the last user releases it. Tasks take an AbortSignal.
 */
export class WorkerBridge {
  private static shared: WorkerBridge | undefined;
  private static users = 0;

  private worker: Worker | undefined;
  private remote: Comlink.Remote<WorkerApi> | undefined;
  private nextTask = 1;
  /** Rejecters of the tasks still running, so that a dead worker fails them instead of hanging. */
  private pending = new Set<(error: Error) => void>();

  /** Takes a reference to the page's shared bridge, creating it on first use. */
  static acquire(): WorkerBridge {
    WorkerBridge.users++;
    WorkerBridge.shared ??= new WorkerBridge();
    return WorkerBridge.shared;
  }

  /** Gives a reference back; the last one terminates the worker. */
  static release(bridge: WorkerBridge): void {
    if (bridge !== WorkerBridge.shared || WorkerBridge.users === 0) return;
    WorkerBridge.users--;
    if (WorkerBridge.users === 0) {
      bridge.terminate();
      WorkerBridge.shared = undefined;
    }
  }

  /** The wrapped worker, started lazily on first use. */
  private api(): Comlink.Remote<WorkerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('./worker.js', import.meta.url), {
        type: 'module',
        name: 'ae-demo',
      });
      this.remote = Comlink.wrap<WorkerApi>(this.worker);
      // A worker that fails to load or throws outside a task never answers: fail
      // every running task with a message, and start a fresh worker next time.
      this.worker.addEventListener('error', (event) => {
        event.preventDefault();
        const detail = event.message ? `: ${event.message}` : '';
        this.fail(
          new AeError(
            'WORKER_FAILED',
            `The ae-demo worker stopped${detail}. Reload the page to try again.`,
          ),
        );
      });
    }
    return this.remote;
  }

  /**
   * Runs one task in the worker. Aborting `signal` cancels it there and rejects
   * here at once with an ABORTED AeError; `onProgress` is called at most every
   * 100 ms.
   */
  async run<T>(
    signal: AbortSignal | undefined,
    task: (
      api: Comlink.Remote<WorkerApi>,
      taskId: number,
      onProgress: ((p: TaskProgress) => void) | undefined,
    ) => Promise<T>,
    onProgress?: (p: TaskProgress) => void,
  ): Promise<T> {
    if (signal?.aborted) throw new AeError('ABORTED', 'The task was cancelled.');
    const api = this.api();
    const id = this.nextTask++;
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        void api.cancel(id).catch(() => {});
        reject(new AeError('ABORTED', 'The task was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(reject);
      task(api, id, progress)
        .then(resolve, reject)
        .finally(() => {
          this.pending.delete(reject);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  }

  /** Fails every running task with `error` and drops the worker. */
  private fail(error: Error): void {
    const rejecters = [...this.pending];
    this.pending.clear();
    this.terminate();
    for (const reject of rejecters) reject(error);
  }

  /** Ends the worker now. Abort running tasks first: their promises would never settle. */
  terminate(): void {
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.remote = undefined;
    this.worker = undefined;
  }
}
