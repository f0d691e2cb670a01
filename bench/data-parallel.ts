/**
 * Data-parallel training benchmark (`npm run bench:data-parallel`), issue 11's
 * "single training on two cores, if it pays": the notebook autoencoder
 * (784-392-10-392-784, batch 128, Adam) trained for one epoch on the first
 * 12,000 MNIST training images, by one thread against two threads that each
 * take half of every batch. Each thread computes the gradient of its half
 * (divided by the whole batch's size), writes it to shared memory, waits at a
 * barrier, sums the two halves in a fixed order (rank 0 + rank 1) and applies
 * the same fused Adam step, so both replicas keep identical weights without
 * sending them. The slots are double-buffered, so one barrier per step is
 * enough. Both variants run in worker threads of this process, in turns, for
 * several rounds; it prints samples/s for each, their ratio, and whether two
 * runs of the two-thread variant end with bit-identical weights.
 *
 *   node --import tsx bench/data-parallel.ts [--rounds N] [--images N] [--json]
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadMnist } from '../src/core/data/node.ts';
import { createAutoencoder } from '../src/core/models/autoencoder.ts';
import { initBackend, tf } from '../src/core/models/backend.ts';
import {
  BatchMaker,
  deriveSeed,
  mulberry32,
  range,
  shuffleInPlace,
} from '../src/core/models/batches.ts';
import { threadEntry } from '../src/core/thread-entry.ts';
import { openAdamMemory } from '../src/core/wasm/adam.ts';

interface Job {
  rank: number;
  ranks: number;
  images: number;
  batchSize: number;
  seed: number;
  /** [0] barrier counter; the rest unused. */
  sync: SharedArrayBuffer;
  /** Two slots (double buffering) × ranks × the gradient's floats. */
  grads: SharedArrayBuffer;
}

interface Done {
  rank: number;
  seconds: number;
  samplesPerSecond: number;
  meanLoss: number;
  weightsHash: string;
  /** Mean milliseconds per step: own half's gradient and its copy out, barrier, sum and Adam. */
  msPerStep: { grads: number; wait: number; apply: number };
}

const BATCH = 128;
/** Floats of the notebook AE's gradient: 784·392 + 392 + 392·10 + 10 + 10·392 + 392 + 392·784 + 784. */
const GRAD_FLOATS = 784 * 392 + 392 + 392 * 10 + 10 + 10 * 392 + 392 + 392 * 784 + 784;

async function threadMain(job: Job): Promise<Done> {
  await initBackend();
  const mnist = await loadMnist('train');
  const model = createAutoencoder({ seed: job.seed });
  const variables = model.trainableVariables();
  const adam = await openAdamMemory(
    variables.map((v) => v.dataSync() as Float32Array),
    { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  );
  const counter = new Int32Array(job.sync);
  const slots = new Float32Array(job.grads);
  const view = { pixels: mnist.pixels, features: 784, indices: range(job.images) };
  const order = Uint32Array.from(view.indices);
  shuffleInPlace(order, mulberry32(deriveSeed(job.seed, 1, 1)));
  const maker = new BatchMaker(784);
  const n = job.images;
  const steps = Math.ceil(n / job.batchSize);
  const summed = variables.map((v) => new Float32Array(v.size));
  let lossSum = 0;
  const phase = { grads: 0, wait: 0, apply: 0 };
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const start = s * job.batchSize;
    const m = Math.min(job.batchSize, n - start);
    // Rank r takes rows [lo, hi) of the batch; the halves differ by at most one row.
    const lo = start + Math.floor((m * job.rank) / job.ranks);
    const hi = start + Math.floor((m * (job.rank + 1)) / job.ranks);
    const p0 = performance.now();
    const x = maker.batch(view, order, lo, hi - lo);
    const { value, grads } = tf.variableGrads(
      () => tf.div(tf.sum(model.sampleLosses(x, 0)), m) as tf.Scalar,
      variables,
    );
    x.dispose();
    lossSum += value.dataSync()[0] * m;
    value.dispose();
    const slot = (s % 2) * job.ranks * GRAD_FLOATS;
    let offset = slot + job.rank * GRAD_FLOATS;
    for (const v of variables) {
      const g = grads[v.name];
      slots.set(g.dataSync() as Float32Array, offset);
      offset += v.size;
      g.dispose();
    }
    const p1 = performance.now();
    // Barrier: the counter reaches ranks·(s + 1) once every rank has written step s.
    const target = job.ranks * (s + 1);
    if (Atomics.add(counter, 0, 1) + 1 === target) Atomics.notify(counter, 0);
    for (let c = Atomics.load(counter, 0); c < target; c = Atomics.load(counter, 0)) {
      Atomics.wait(counter, 0, c);
    }
    const p2 = performance.now();
    offset = 0;
    for (const [i, v] of variables.entries()) {
      const sum = summed[i];
      sum.set(slots.subarray(slot + offset, slot + offset + v.size));
      for (let r = 1; r < job.ranks; r++) {
        const add = slots.subarray(
          slot + r * GRAD_FLOATS + offset,
          slot + r * GRAD_FLOATS + offset + v.size,
        );
        for (let j = 0; j < sum.length; j++) sum[j] += add[j];
      }
      const w = adam.step(i, sum, s + 1);
      const next = tf.tensor(w, v.shape, 'float32');
      v.assign(next);
      next.dispose();
      offset += v.size;
    }
    const p3 = performance.now();
    phase.grads += p1 - p0;
    phase.wait += p2 - p1;
    phase.apply += p3 - p2;
  }
  const seconds = (performance.now() - t0) / 1000;
  const hash = createHash('sha256');
  for (const v of variables) hash.update(v.dataSync() as Float32Array);
  model.dispose();
  return {
    rank: job.rank,
    seconds,
    samplesPerSecond: n / seconds,
    // Each rank sums the loss of its half only; the main thread adds them up.
    meanLoss: lossSum / n,
    weightsHash: hash.digest('hex'),
    msPerStep: {
      grads: phase.grads / steps,
      wait: phase.wait / steps,
      apply: phase.apply / steps,
    },
  };
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} takes a whole number ≥ 1.`);
  return v;
}

async function runVariant(ranks: number, images: number, seed: number): Promise<Done[]> {
  const sync = new SharedArrayBuffer(16);
  const grads = new SharedArrayBuffer(2 * ranks * GRAD_FLOATS * 4);
  const entry = threadEntry(import.meta.url, 'data-parallel');
  const runs = Array.from({ length: ranks }, (_, rank) => {
    const job: Job = { rank, ranks, images, batchSize: BATCH, seed, sync, grads };
    const worker = new Worker(entry.script, { eval: entry.eval, workerData: job });
    return new Promise<Done>((resolve, reject) => {
      worker.once('message', (done: Done) => {
        void worker.terminate();
        resolve(done);
      });
      worker.once('error', reject);
    });
  });
  return Promise.all(runs);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const rounds = argValue('--rounds', 3);
  const images = argValue('--images', 12_000);
  const json = process.argv.includes('--json');
  const log = (line = '') => {
    if (!json) console.log(line);
  };
  log(
    `Data-parallel training: notebook AE, batch ${BATCH}, one epoch on ${images.toLocaleString('en-US')} images, ` +
      `${rounds} round(s) of one thread then two threads (${os.availableParallelism()} cores).`,
  );
  const one: number[] = [];
  const two: number[] = [];
  const hashes = new Set<string>();
  let losses = { one: 0, two: 0 };
  for (let r = 1; r <= rounds; r++) {
    const [a] = await runVariant(1, images, 1);
    const b = await runVariant(2, images, 1);
    one.push(a.samplesPerSecond);
    // The step ends when the slower rank ends: the epoch's time is the larger one.
    const slow = Math.max(...b.map((d) => d.seconds));
    two.push(images / slow);
    for (const d of b) hashes.add(d.weightsHash);
    losses = { one: a.meanLoss, two: b.reduce((s, d) => s + d.meanLoss, 0) };
    const ms = (d: Done) =>
      `${d.msPerStep.grads.toFixed(1)} + ${d.msPerStep.wait.toFixed(1)} + ${d.msPerStep.apply.toFixed(1)} ms`;
    log(
      `  round ${r}: one thread ${Math.round(a.samplesPerSecond)} samples/s, ` +
        `two threads ${Math.round(images / slow)} samples/s ` +
        `(per step, gradient + barrier + sum and Adam: one ${ms(a)}; two ${b.map(ms).join(', ')})`,
    );
  }
  const result = {
    images,
    batchSize: BATCH,
    rounds,
    oneThreadSamplesPerSecond: Math.round(median(one)),
    twoThreadsSamplesPerSecond: Math.round(median(two)),
    speedup: Number((median(two) / median(one)).toFixed(3)),
    // One hash means every rank of every two-thread run ended with the same weights.
    deterministic: hashes.size === 1,
    epochLoss: losses,
  };
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  log(
    `Median: one thread ${result.oneThreadSamplesPerSecond} samples/s, two threads ` +
      `${result.twoThreadsSamplesPerSecond} samples/s: ${result.speedup}× ` +
      `(${result.deterministic ? 'bit-identical weights in every two-thread run and rank' : 'weights DIFFER between runs'}).`,
  );
  log(
    `Epoch loss: one thread ${losses.one.toPrecision(6)}, two threads ${losses.two.toPrecision(6)} ` +
      '(the sums run in another order, so they agree to rounding, not bit for bit).',
  );
}

if (isMainThread) {
  await main();
} else {
  parentPort!.postMessage(await threadMain(workerData as Job));
}
