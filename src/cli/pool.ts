/**
 * A pool of Node worker threads that train models at the same time, one
 * TF.js wasm backend per thread (TF.js's wasm backend never uses threads in
 * Node, so this is how training uses every core). Each thread gets the images
 * once, in shared memory, then trains the {@link RunSpec}s it is sent with the
 * same code as {@link runPreset} in this thread: same spec and seed, same
 * weights and numbers, bit for bit. The trained model comes back as TF.js
 * artifacts and is rebuilt here, so callers get an ordinary {@link Run}.
 */
import { Worker } from 'node:worker_threads';
import type { IdxImages } from '../core/data/idx.ts';
import { AeError, type AeErrorCode, abortError } from '../core/errors.ts';
import { loadArtifacts } from '../core/models/artifacts.ts';
import { threadEntry } from '../core/thread-entry.ts';
import type { Run, RunHooks, RunSpec, Runner } from '../core/models/run.ts';
import { availableCores } from './args.ts';
import type { FromThread, ThreadData, ToThread } from './pool-thread.ts';

/** Options of {@link startPool}. */
export interface PoolOptions {
  /** Threads, at least 1. Default: the cores Node may use (os.availableParallelism()). */
  threads?: number;
}

/** What {@link startPool} gives. */
export interface Pool {
  /** Trains a spec on the first free thread; queued specs start in the order given. */
  run: Runner;
  /** Threads in the pool. */
  readonly threads: number;
  /** Ends every thread; runs still going reject with ABORTED. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  spec: RunSpec;
  hooks: RunHooks;
  resolve: (run: Run) => void;
  reject: (error: unknown) => void;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

/** Copies the images into shared memory, so every thread reads one copy. */
function shared(images: IdxImages): IdxImages {
  const pixels = new Uint8Array(new SharedArrayBuffer(images.pixels.byteLength));
  pixels.set(images.pixels);
  return { count: images.count, rows: images.rows, cols: images.cols, pixels };
}

/** Starts one thread of the pool (src/core/thread-entry.ts says how). */
function startThread(workerData: ThreadData): Worker {
  const { script, eval: isEval } = threadEntry(import.meta.url, 'pool-thread');
  return new Worker(script, { eval: isEval, workerData });
}

function fromThreadError(error: { code?: AeErrorCode; name: string; message: string }): Error {
  if (error.code) return new AeError(error.code, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * Starts `threads` worker threads (fewer if fewer jobs will come: they start
 * when the first job needs them) over `data`. Call close() when done: the
 * threads keep the process alive until then.
 */
export function startPool(
  data: { train: IdxImages; test: IdxImages },
  options: PoolOptions = {},
): Pool {
  const threads = options.threads ?? availableCores();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new AeError(
      'BAD_ARGUMENT',
      `A pool needs a whole number of threads ≥ 1, not ${threads}.`,
    );
  }
  const workerData: ThreadData = { train: shared(data.train), test: shared(data.test) };
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  // One listener per signal, not per job: a reproduction's eleven jobs share one.
  const watched = new WeakMap<AbortSignal, Set<Job>>();
  const watch = (signal: AbortSignal, job: Job) => {
    let jobs = watched.get(signal);
    if (!jobs) {
      const set = new Set<Job>();
      jobs = set;
      watched.set(signal, set);
      signal.addEventListener(
        'abort',
        () => {
          for (const j of [...set]) j.onAbort?.();
        },
        { once: true },
      );
    }
    jobs.add(job);
  };

  const settle = (slot: Slot) => {
    const job = slot.job;
    slot.job = undefined;
    if (job?.hooks.signal) watched.get(job.hooks.signal)?.delete(job);
    return job;
  };

  /** Ends a thread whose job was cancelled or failed it, and starts a fresh one in its place. */
  const replace = (slot: Slot) => {
    void slot.worker.terminate();
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    pump();
  };

  const onMessage = (slot: Slot, message: FromThread) => {
    const job = slot.job;
    if (!job || message.id !== job.id) return;
    const { hooks } = job;
    switch (message.type) {
      case 'start':
        return hooks.onStart?.();
      case 'stage':
        return hooks.onStage?.(message.stage);
      case 'plan':
        return hooks.onPlan?.(message.plan);
      case 'batch':
        return hooks.onBatch?.(message.progress);
      case 'epoch':
        return hooks.onEpoch?.(message.progress);
      case 'error':
        settle(slot);
        job.reject(fromThreadError(message.error));
        return pump();
      case 'done': {
        settle(slot);
        const { artifacts, ...rest } = message.run;
        loadArtifacts(artifacts).then(
          (model) => job.resolve({ ...rest, model }),
          (error: unknown) => job.reject(error),
        );
        return pump();
      }
    }
  };

  const spawn = (): Slot => {
    const worker = startThread(workerData);
    const slot: Slot = { worker };
    worker.on('message', (message: FromThread) => onMessage(slot, message));
    const lost = (error: Error) => {
      const job = settle(slot);
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      job?.reject(
        new AeError(
          'WORKER_FAILED',
          `A training thread stopped (${error.message}); run again with --jobs 1 to train in one thread.`,
          { cause: error },
        ),
      );
      pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (slots.includes(slot)) lost(new Error(`it exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  };

  function pump(): void {
    while (!closed && queue.length > 0) {
      const slot = slots.find((s) => !s.job) ?? (slots.length < threads ? spawn() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      const message: ToThread = {
        type: 'run',
        id: job.id,
        spec: job.spec,
        progressIntervalMs: job.hooks.progressIntervalMs,
      };
      slot.worker.postMessage(message);
    }
  }

  const run: Runner = (spec, hooks = {}) =>
    new Promise<Run>((resolve, reject) => {
      if (closed) throw new AeError('BAD_ARGUMENT', 'This training pool is closed.');
      if (hooks.signal?.aborted) throw abortError('Training');
      const job: Job = { id: nextId++, spec, hooks, resolve, reject };
      if (hooks.signal) {
        job.onAbort = () => {
          const index = queue.indexOf(job);
          if (index >= 0) {
            queue.splice(index, 1);
            reject(abortError('Training'));
            return;
          }
          // Training: end its thread, the quickest way to stop it; another starts if needed.
          const slot = slots.find((s) => s.job === job);
          if (!slot) return;
          settle(slot);
          reject(abortError('Training'));
          replace(slot);
        };
        watch(hooks.signal, job);
      }
      queue.push(job);
      pump();
    });

  return {
    run,
    threads,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(abortError('Training'));
      const ending = slots.splice(0);
      for (const slot of ending) settle(slot)?.reject(abortError('Training'));
      await Promise.all(ending.map((slot) => slot.worker.terminate()));
    },
  };
}
