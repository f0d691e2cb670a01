/**
 * Helper threads for pca() in Node: a lazily started pool of worker_threads
 * (pca-thread.ts), each with its own kernel instance, that take a share of the
 * rows of the Gram and projection passes. Idle helpers are unref'd, so they
 * never keep the process alive; closePcaThreads() ends them. Outside Node
 * (a page, a web worker) there are no helpers and pca() runs on one thread.
 */
import { threadEntry } from './thread-entry.ts';
import { AeError } from './errors.ts';
import type { KernelFlavor, PcaShare } from './wasm/kernels.ts';

/** A message to a helper thread. */
export type ThreadRequest =
  | { id: number; type: 'ready'; flavor: KernelFlavor }
  | {
      id: number;
      type: 'gram';
      flavor: KernelFlavor;
      samples: number;
      features: number;
      pixels?: Uint8Array;
      values?: Float32Array;
      scale: number;
      share: PcaShare;
    }
  | { id: number; type: 'project'; vectors: Float64Array; k: number; scoreDims: number }
  | { id: number; type: 'close' };

/** What a helper thread answers. */
export type ThreadReply =
  | { id: number; type: 'ready' | 'closed' }
  | { id: number; type: 'gram'; gram: Float64Array }
  | {
      id: number;
      type: 'project';
      projection: { sumSquares: number; scoreSquares: Float64Array; scores: Float32Array };
    }
  | { id: number; type: 'error'; code: string; message: string };

/** A request before its id is given (distributed over the union). */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

interface NodeWorker {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (reply: ThreadReply) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface NodeModules {
  Worker: new (script: URL | string, options: { eval: boolean }) => NodeWorker;
  cores: number;
}

const isNode = typeof process === 'object' && process.versions?.node !== undefined;
let nodeModules: Promise<NodeModules | undefined> | undefined;

/** node:worker_threads and the core count, loaded only in Node (hidden from bundlers). */
function loadNode(): Promise<NodeModules | undefined> {
  nodeModules ??= (async () => {
    if (!isNode) return undefined;
    const threadsModule = 'node:worker_threads';
    const osModule = 'node:os';
    const [threads, os] = await Promise.all([
      import(/* @vite-ignore */ threadsModule) as Promise<typeof import('node:worker_threads')>,
      import(/* @vite-ignore */ osModule) as Promise<typeof import('node:os')>,
    ]);
    return {
      Worker: threads.Worker as unknown as NodeModules['Worker'],
      cores: os.availableParallelism(),
    };
  })().catch(() => undefined);
  return nodeModules;
}

/** One helper thread: requests go out with an id, replies settle them in any order. */
export class PcaHelper {
  busy = false;
  private dead: Error | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: ThreadReply) => void; reject: (error: Error) => void }
  >();
  private readonly ready = new Map<KernelFlavor, boolean>();

  constructor(private readonly worker: NodeWorker) {
    worker.unref();
    worker.on('message', (reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.settled(reply.id);
      if (reply.type === 'error') {
        waiting.reject(new AeError(reply.code as AeError['code'], reply.message));
      } else {
        waiting.resolve(reply);
      }
    });
    const fail = (error: Error) => {
      this.dead ??= error;
      pool.delete(this);
      for (const [id, waiting] of this.pending) {
        this.settled(id);
        waiting.reject(
          new AeError('WORKER_FAILED', `A PCA helper thread stopped: ${error.message}`, {
            cause: error,
          }),
        );
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
  }

  /** Whether the helper has loaded the `flavor` kernels, so that a share given now starts at once. */
  isReady(flavor: KernelFlavor): boolean {
    return this.dead === undefined && this.ready.get(flavor) === true;
  }

  /** Loads the `flavor` kernels in the helper (once). */
  warm(flavor: KernelFlavor): Promise<void> {
    return this.call({ type: 'ready', flavor }).then(() => {
      this.ready.set(flavor, true);
    });
  }

  /** The partial Gram matrix of the rows given (PcaWorkspace.gramMatrix()), kept open for project. */
  async gram(request: Unsent<Extract<ThreadRequest, { type: 'gram' }>>): Promise<Float64Array> {
    const data = request.pixels ?? request.values;
    const reply = await this.call(request, data ? [data.buffer as ArrayBuffer] : []);
    return (reply as Extract<ThreadReply, { type: 'gram' }>).gram;
  }

  /** Projects the rows of the last gram() on `vectors` (PcaWorkspace.projection()) and closes them. */
  async project(vectors: Float64Array, k: number, scoreDims: number) {
    const reply = await this.call({ type: 'project', vectors, k, scoreDims });
    return (reply as Extract<ThreadReply, { type: 'project' }>).projection;
  }

  /** Drops the rows of the last gram() (after an error or a cancel). */
  close(): void {
    if (this.dead === undefined) this.call({ type: 'close' }).catch(() => undefined);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private call(request: Unsent<ThreadRequest>, transfer: ArrayBuffer[] = []): Promise<ThreadReply> {
    if (this.dead) return Promise.reject(new AeError('WORKER_FAILED', this.dead.message));
    const id = this.nextId++;
    return new Promise<ThreadReply>((resolve, reject) => {
      // Referenced while a reply is due, so that the process waits for it.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }
}

const pool = new Set<PcaHelper>();

/** The number of threads pca() uses by default: every core in Node, 1 elsewhere. */
export async function defaultThreads(): Promise<number> {
  return (await loadNode())?.cores ?? 1;
}

/**
 * Takes up to `count` idle helpers for one analysis, starting new ones as
 * needed (they load the `flavor` kernels in the background: check isReady).
 * Returns none outside Node. Give them back with releaseHelpers.
 */
export async function acquireHelpers(count: number, flavor: KernelFlavor): Promise<PcaHelper[]> {
  const node = count > 0 ? await loadNode() : undefined;
  if (!node) return [];
  const taken: PcaHelper[] = [];
  for (const helper of pool) {
    if (taken.length === count) break;
    if (!helper.busy) taken.push(helper);
  }
  while (taken.length < count) {
    const { script, eval: isCode } = threadEntry(import.meta.url, 'pca-thread');
    let helper: PcaHelper;
    try {
      helper = new PcaHelper(new node.Worker(script, { eval: isCode }));
    } catch {
      break;
    }
    pool.add(helper);
    taken.push(helper);
  }
  for (const helper of taken) {
    helper.busy = true;
    if (!helper.isReady(flavor)) helper.warm(flavor).catch(() => undefined);
  }
  return taken;
}

/** Gives helpers taken by acquireHelpers back to the pool. */
export function releaseHelpers(helpers: PcaHelper[]): void {
  for (const helper of helpers) helper.busy = false;
}

/**
 * Starts the helper threads for `threads` threads in all (default: every core)
 * ahead of a pca() call and waits until they have loaded the kernels; returns
 * how many helpers are ready. Outside Node it returns 0 at once.
 */
export async function startPcaThreads(
  threads?: number,
  flavor: KernelFlavor = 'auto',
): Promise<number> {
  const count = (threads ?? (await defaultThreads())) - 1;
  const helpers = await acquireHelpers(count, flavor);
  try {
    const warmed = await Promise.allSettled(helpers.map((h) => h.warm(flavor)));
    return warmed.filter((w) => w.status === 'fulfilled').length;
  } finally {
    releaseHelpers(helpers);
  }
}

/** Ends every PCA helper thread; the next pca() starts new ones. */
export async function closePcaThreads(): Promise<void> {
  const helpers = [...pool];
  pool.clear();
  await Promise.all(helpers.map((h) => h.terminate()));
}
