/**
 * Entry of a Node worker_threads helper of pca() (started by pca-threads.ts):
 * it holds its own kernel instance and runs the row-wise passes (Gram matrix,
 * projection) over the share of the rows it is sent, one analysis at a time.
 */
import { parentPort } from 'node:worker_threads';
import { AeError } from './errors.ts';
import { initKernels, type PcaWorkspace } from './wasm/kernels.ts';
import type { ThreadReply, ThreadRequest } from './pca-threads.ts';

if (!parentPort) throw new AeError('INTERNAL', 'pca-thread.ts runs as a worker thread only.');
const port = parentPort;

let open: PcaWorkspace | undefined;

function closeOpen(): void {
  open?.close();
  open = undefined;
}

async function handle(request: ThreadRequest): Promise<ThreadReply> {
  const { id } = request;
  if (request.type === 'ready') {
    await initKernels({ flavor: request.flavor });
    return { id, type: 'ready' };
  }
  if (request.type === 'gram') {
    closeOpen();
    const kernels = await initKernels({ flavor: request.flavor });
    const { samples, features, pixels, values, scale, share } = request;
    open = await kernels.openPca({ samples, features, pixels, values, scale, share });
    open.gram(0, samples);
    return { id, type: 'gram', gram: open.gramMatrix() };
  }
  if (request.type === 'project') {
    const ws = open;
    if (!ws) throw new AeError('INTERNAL', 'A PCA helper thread was asked to project before gram.');
    try {
      ws.useVectors(request.vectors, request.k);
      ws.project(0, ws.samples, request.scoreDims);
      return { id, type: 'project', projection: ws.projection() };
    } finally {
      closeOpen();
    }
  }
  closeOpen();
  return { id, type: 'closed' };
}

// One request at a time, in order: a close must not overtake the gram before it.
let queue = Promise.resolve();

port.on('message', (request: ThreadRequest) => {
  queue = queue.then(() => reply(request));
});

function reply(request: ThreadRequest): Promise<void> {
  return handle(request).then(
    (reply) => {
      const buffers: ArrayBuffer[] = [];
      if (reply.type === 'gram') buffers.push(reply.gram.buffer as ArrayBuffer);
      if (reply.type === 'project') {
        buffers.push(reply.projection.scores.buffer as ArrayBuffer);
        buffers.push(reply.projection.scoreSquares.buffer as ArrayBuffer);
      }
      port.postMessage(reply, buffers);
    },
    (error: unknown) => {
      closeOpen();
      const e = error instanceof Error ? error : new Error(String(error));
      const code = e instanceof AeError ? e.code : 'WORKER_FAILED';
      port.postMessage({ id: request.id, type: 'error', code, message: e.message });
    },
  );
}
