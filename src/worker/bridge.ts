import * as Comlink from 'comlink';
import './transfer-error.ts';
import { AeError } from '../core/errors.ts';
import { shortUrl, shortUrlsIn } from '../core/short-url.ts';
import type { TaskProgress, WorkerApi } from './api.ts';

export type {
  BackendInfo,
  DataSource,
  DatasetSummary,
  EpochReport,
  FloatImages,
  ModelFiles,
  ModelInfo,
  ModelSource,
  PcaProjection,
  PcaRequest,
  PcaSummary,
  RunPlan,
  StoredModel,
  TaskProgress,
  TrainData,
  TrainProgress,
  TrainSpec,
  TrainSummary,
} from './api.ts';

/**
 * Words for an error event of the worker. A crash in one of TF.js's wasm
 * threads arrives as "Uncaught [object ErrorEvent]": emscripten's pthread
 * `onerror` logs the thread's message in the worker and rethrows the event
 * itself, which says nothing once it is a string.
 */
function workerFailure(event: ErrorEvent): string {
  const inner: unknown = (event.error as { message?: unknown } | null)?.message;
  const message = shortUrlsIn(
    (typeof inner === 'string' && inner ? inner : (event.message ?? ''))
      .replace(/^Uncaught\s+/, '')
      .trim(),
  );
  const line = event.lineno ? `:${event.lineno}${event.colno ? `:${event.colno}` : ''}` : '';
  const where = event.filename
    ? ` (at ${shortUrl(event.filename.split(/[?#]/, 1)[0])}${line})`
    : '';
  if (/^\[object \w*Event\]$/.test(message)) {
    return (
      "one of TF.js's WebAssembly threads crashed" +
      `${where}; the browser console has the thread's own message`
    );
  }
  return message ? `${message}${where}` : `it failed to start or threw without a message${where}`;
}

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
      // First message, so it is in place before any task starts TF.js.
      void this.remote.setPageCores(navigator.hardwareConcurrency).catch(() => {});
      // A worker that fails to load or throws outside a task never answers: fail
      // every running task with a message, and start a fresh worker next time.
      this.worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.fail(
          new AeError(
            'WORKER_FAILED',
            `The ae-demo worker stopped: ${workerFailure(event)}. Reload the page to try again.`,
          ),
        );
      });
    }
    return this.remote;
  }

  /**
   * Runs one task in the worker. Aborting `signal` cancels it there and rejects
   * here at once with an ABORTED AeError; `onProgress` is called at most every
   * 100 ms (training: every epoch, and batch fractions at most every 100 ms).
   * `onStart` learns the task's id, for {@link pause} and {@link resume}.
   * `discard` gets what a task returns after it was aborted here (it had got
   * past its last check in the worker): a model to free, for instance.
   */
  async run<T, P = TaskProgress>(
    signal: AbortSignal | undefined,
    task: (
      api: Comlink.Remote<WorkerApi>,
      taskId: number,
      onProgress: ((p: P) => void) | undefined,
    ) => Promise<T>,
    onProgress?: (p: P) => void,
    onStart?: (taskId: number) => void,
    discard?: (late: T) => void,
  ): Promise<T> {
    if (signal?.aborted) throw new AeError('ABORTED', 'The task was cancelled.');
    const api = this.api();
    const id = this.nextTask++;
    onStart?.(id);
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    return new Promise<T>((resolve, reject) => {
      let abandoned = false;
      const onAbort = () => {
        abandoned = true;
        void api.cancel(id).catch(() => {});
        reject(new AeError('ABORTED', 'The task was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(reject);
      task(api, id, progress)
        .then((value) => {
          if (abandoned) discard?.(value);
          resolve(value);
        }, reject)
        .finally(() => {
          this.pending.delete(reject);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  }

  /**
   * Holds a running training task between batches (outside {@link run}: it is
   * a message to a task, not a task). Resolves to false if the task has ended.
   */
  async pause(taskId: number): Promise<boolean> {
    return this.remote ? this.remote.pause(taskId) : false;
  }

  /** Lets a paused training task go on; false if it has ended. */
  async resume(taskId: number): Promise<boolean> {
    return this.remote ? this.remote.resume(taskId) : false;
  }

  /** Frees models in the worker if it still runs (never starts one just for this). */
  disposeModels(modelIds: Iterable<string>): void {
    const remote = this.remote;
    if (!remote) return;
    for (const id of modelIds) void remote.disposeModel(id).catch(() => {});
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
