/**
 * Training benchmark (`npm run bench:train`): samples/s of the notebook AE (784-392-10-392-784,
 * batch 128) and VAE (784-256-(10,10)-256-784, batch 64) through the real `train()` loop on the
 * first MNIST training images, on wasm as shipped, wasm with the transposed-matmul fix and cpu,
 * one process. Each timed run is one epoch on a fresh model after a few warm-up batches; the
 * wasm variants take turns for several rounds (median reported), cpu runs once on fewer images.
 * In Node the wasm backend runs on one thread; bench/browser/run.ts measures Chromium's threads.
 *
 *   node --import tsx bench/train.ts [--quick] [--json] [--images N] [--cpu-images N] [--rounds N]
 */
import os from 'node:os';
import { getThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { loadMnist } from '../src/core/data/node.ts';
import { tf } from '../src/core/models/backend.ts';
import { viewOf } from '../src/core/models/batches.ts';
import {
  KINDS,
  VARIANTS,
  formatTable,
  parseBenchArgs,
  ratio,
  runBench,
  targetCheck,
} from './browser/measure.ts';

const { plan, json } = parseBenchArgs(process.argv, VARIANTS);

const log = (line = '') => {
  if (!json) console.log(line);
};

const mnist = await loadMnist('train');
const data = viewOf(mnist, 0, Math.max(plan.images, plan.cpuImages));
log(
  `Training throughput: the real train() loop, one epoch per timed run on the first ` +
    `${plan.images.toLocaleString('en-US')} MNIST training images (cpu: ${plan.cpuImages}), ` +
    `${plan.rounds} round(s), ${plan.warmupBatches} warm-up batches excluded.`,
);
const measurements = await runBench(data, plan, (kind, variant, sps) =>
  log(`  ${kind} ${variant.padEnd(8)} ${Math.round(sps)} samples/s`),
);

const wasm = measurements.find((m) => m.backend.name === 'wasm')?.backend;
const env = {
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  tfjs: tf.version_core,
  tfjsBackendWasm: version_wasm,
  simd: wasm?.simd ?? false,
  threads: wasm?.threads ?? false,
  threadsCount: wasm ? getThreadsCount() : null,
};
const target = targetCheck(measurements);

if (json) {
  const ratios = Object.fromEntries(
    KINDS.map((k) => [
      k,
      {
        fixedOverShipped: ratio(measurements, k, 'shipped'),
        fixedOverCpu: ratio(measurements, k, 'cpu'),
      },
    ]),
  );
  console.log(JSON.stringify({ env, plan, measurements, ratios, target }, null, 2));
} else {
  log();
  log(
    `node ${env.node}, ${env.platform}, ${env.cpu}, ${env.cores} cores; tfjs ${env.tfjs}, ` +
      `backend-wasm ${env.tfjsBackendWasm}, simd ${env.simd}, threads ${env.threads} ` +
      `(${env.threadsCount ?? '?'} thread${env.threadsCount === 1 ? '' : 's'})`,
  );
  log();
  for (const line of formatTable(measurements)) log(line);
  log();
  if (target) log(`${target.line} (Node, one thread)`);
}
