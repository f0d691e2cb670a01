import * as Comlink from 'comlink';
import './transfer-error.ts';
import { AeError } from '../core/errors.ts';
import { shortUrl, shortUrlsIn } from '../core/short-url.ts';
import type { WorkerApi } from './api.ts';

export type {
  BackendInfo,
  CompareOutcome,
  CompareProgress,
  CompareRequest,
  CompareRow,
  DataSource,
  DatasetSummary,
  DenoiseComparison,
  DenoiseModelIds,
  DenoiseRequest,
  EpochReport,
  FloatImages,
  InferenceProgress,
  ModelFiles,
  ModelInfo,
  ModelSource,
  PcaProjection,
  PcaRequest,
  PcaSummary,
  PlaneCurveProgress,
  RunPlan,
  ShapeComparison,
  ShapeName,
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
 * What a bridge method takes after the worker method's own arguments.
 * `onProgress` is called at most every 100 ms (training: every epoch, and
 * batch fractions at most every 100 ms), and never once the task's promise
 * has settled or its signal fired; `onStart` learns the task's id, for
 * {@link WorkerBridge.pause} and {@link WorkerBridge.resume}; `discard` gets
 * what a task returns after it was aborted here (it had got past its last
 * check in the worker): a model to free, for instance.
 */
export interface TaskOptions<P, R> {
  onProgress?: (p: P) => void;
  onStart?: (taskId: number) => void;
  discard?: (late: R) => void;
}

/** A worker method of the task shape `(taskId, onProgress, ...args)`; the plain messages are not. */
type TaskShape = (taskId: number, onProgress: undefined, ...args: never[]) => Promise<unknown>;

/** The names of WorkerApi's task methods. */
type TaskName = {
  [K in keyof WorkerApi]: WorkerApi[K] extends TaskShape ? K : never;
}[keyof WorkerApi];

/** A task method's own arguments (after taskId and onProgress). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any callback type matches here
type ArgsOf<F> = F extends (taskId: number, onProgress: any, ...args: infer A) => unknown
  ? A
  : never;

/** What a task method reports progress with. */
type ProgressOf<F> = F extends (
  taskId: number,
  onProgress: ((p: infer P) => void) | undefined,
  ...args: never[]
) => unknown
  ? P
  : never;

/** The bridge's method for worker task `F`: a signal, the worker's own arguments, then options. */
type Method<F> = F extends (...args: never) => Promise<infer R>
  ? (
      signal: AbortSignal | undefined,
      ...args: [...ArgsOf<F>, TaskOptions<ProgressOf<F>, R>?]
    ) => Promise<R>
  : never;

/** One bridge method per worker task, typed from WorkerApi. */
type TaskMethods = { [K in TaskName]: Method<WorkerApi[K]> };

/**
 * The worker's tasks and how many arguments each takes after taskId and
 * onProgress (optional ones included): an argument past that many is the
 * options. Checked against WorkerApi, so a missing name or a wrong count fails
 * to compile; the bridge's methods are made from this one table.
 */
const TASKS = {
  loadDataset: 1,
  pca: 2,
  pcaImages: 3,
  image: 2,
  images: 2,
  centreDrawing: 4,
  nearest: 2,
  backend: 0,
  train: 2,
  reconstruct: 3,
  encodePixels: 2,
  reconstructPixels: 2,
  encode: 3,
  decode: 2,
  sample: 3,
  denoise: 3,
  evaluate: 3,
  mse: 3,
  saveModel: 2,
  storedModel: 1,
  exportModel: 2,
  loadModel: 1,
  planeCurve: 3,
  pcaTest: 3,
  compare: 3,
} as const satisfies { [K in TaskName]: Required<ArgsOf<WorkerApi[K]>>['length'] };

/** The names of the bridge's task methods, in the table's order. */
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

/**
 * The page side of the one worker. Several elements share it: each `acquire()`
 * must be paired with a `release()`, and the worker is terminated (giving its
 * wasm memory back) when the last user releases it. Each worker task has a
 * method here with the same name and arguments, after an AbortSignal and
 * before {@link TaskOptions}: `bridge.pca(signal, key, request, { onProgress })`.
 * Aborting the signal cancels the task in the worker and rejects here at once
 * with an ABORTED AeError.
 */
// Declaration merging types the methods the class makes from TASKS (squoosh's bridge does the same).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface WorkerBridge extends TaskMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WorkerBridge {
  private static shared: WorkerBridge | undefined;
  private static users = 0;

  private worker: Worker | undefined;
  private remote: Comlink.Remote<WorkerApi> | undefined;
  private nextTask = 1;
  /** Rejecters of the tasks still running, so that a dead worker fails them instead of hanging. */
  private pending = new Set<(error: Error) => void>();

  static {
    for (const name of TASK_NAMES) {
      const count: number = TASKS[name];
      Object.defineProperty(this.prototype, name, {
        value(this: WorkerBridge, signal: AbortSignal | undefined, ...rest: unknown[]) {
          return this.task(name, count, signal, rest);
        },
        writable: true,
        configurable: true,
      });
    }
  }

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

  /** Runs worker task `name` with `rest`: its `count` arguments, then maybe the options. */
  private async task<R>(
    name: TaskName,
    count: number,
    signal: AbortSignal | undefined,
    rest: unknown[],
  ): Promise<R> {
    if (signal?.aborted) throw new AeError('ABORTED', 'The task was cancelled.');
    const args = rest.slice(0, count);
    const options = rest[count] as TaskOptions<unknown, R> | undefined;
    const api = this.api();
    const id = this.nextTask++;
    options?.onStart?.(id);
    // Reports travel on the proxy's own MessagePort, the result on the worker's:
    // the two are not ordered, so a report sent just before the result can
    // arrive after it (and overwrite the final state it belongs before).
    let settled = false;
    const report = options?.onProgress;
    const progress = report
      ? Comlink.proxy((p: unknown) => {
          if (!settled) report(p);
        })
      : undefined;
    const method = api[name] as unknown as (...a: unknown[]) => Promise<R>;
    return new Promise<R>((resolve, reject) => {
      let abandoned = false;
      const onAbort = () => {
        abandoned = true;
        settled = true;
        void api.cancel(id).catch(() => {});
        reject(new AeError('ABORTED', 'The task was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(reject);
      method(id, progress, ...args)
        .then((value) => {
          if (abandoned) options?.discard?.(value);
          resolve(value);
        }, reject)
        // Before any message that arrives later: reports come in tasks, this in a microtask.
        .finally(() => {
          settled = true;
          this.pending.delete(reject);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  }

  /**
   * Holds a running training task between batches (a message to a task, not a
   * task itself). Resolves to false if the task has ended.
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
