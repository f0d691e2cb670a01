/**
 * One thread of the training pool (src/cli/pool.ts): starts its own TF.js
 * wasm backend, takes the images from `workerData` (shared memory), and runs
 * one {@link RunSpec} at a time with {@link runPreset}, posting progress and
 * then the run, its model as TF.js artifacts (the weights transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { IdxImages } from '../core/data/idx.ts';
import { AeError, type AeErrorCode } from '../core/errors.ts';
import { saveArtifacts } from '../core/models/artifacts.ts';
import { initBackend, type tf } from '../core/models/backend.ts';
import { type Run, type RunPlan, type RunSpec, runPreset } from '../core/models/run.ts';
import type { BatchProgress, EpochProgress } from '../core/models/train.ts';

/** What every thread starts with. */
export interface ThreadData {
  train: IdxImages;
  test: IdxImages;
}

/** The pool's messages to a thread. */
export type ToThread = {
  type: 'run';
  id: number;
  spec: RunSpec;
  progressIntervalMs?: number;
};

/** A run as it crosses back: the model as artifacts. */
export type ThreadRun = Omit<Run, 'model'> & { artifacts: tf.io.ModelArtifacts };

/** A thread's messages to the pool, each about job `id`. */
export type FromThread = { id: number } & (
  | { type: 'start' }
  | { type: 'stage'; stage: string }
  | { type: 'plan'; plan: RunPlan }
  | { type: 'batch'; progress: BatchProgress }
  | { type: 'epoch'; progress: EpochProgress }
  | { type: 'done'; run: ThreadRun }
  | { type: 'error'; error: { code?: AeErrorCode; name: string; message: string } }
);

const port = parentPort;
if (!port) throw new Error('pool-thread.ts runs as a worker thread of src/cli/pool.ts.');
const data = workerData as ThreadData;
const ready = initBackend();
// One run at a time: the pool sends the next only after this one's answer.
let running: Promise<void> = Promise.resolve();

function post(message: FromThread, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

async function runOne({ id, spec, progressIntervalMs }: ToThread): Promise<void> {
  try {
    await ready;
    const run = await runPreset(spec, data, {
      progressIntervalMs,
      onStart: () => post({ id, type: 'start' }),
      onStage: (stage) => post({ id, type: 'stage', stage }),
      onPlan: (plan) => post({ id, type: 'plan', plan }),
      onBatch: (progress) => post({ id, type: 'batch', progress }),
      onEpoch: (progress) => post({ id, type: 'epoch', progress }),
    });
    let artifacts: tf.io.ModelArtifacts;
    try {
      artifacts = await saveArtifacts(run.model);
    } finally {
      run.model.dispose();
    }
    const { model: _model, ...rest } = run;
    const weights = artifacts.weightData;
    const transfer = weights instanceof ArrayBuffer ? [weights] : (weights ?? []);
    post({ id, type: 'done', run: { ...rest, artifacts } }, transfer);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({
      id,
      type: 'error',
      error: {
        name: e.name,
        message: e.message,
        ...(e instanceof AeError ? { code: e.code } : {}),
      },
    });
  }
}

port.on('message', (message: ToThread) => {
  running = running.then(() => runOne(message));
});
