import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { mulberry32 } from '../../src/core/models/batches.ts';
import {
  initBackend,
  isTransposedMatMulFixOn,
  MIN_CORES_FOR_THREADS,
  setTransposedMatMulFix,
  threadsPay,
  tf,
} from '../../src/core/models/backend.ts';
import {
  decideThreads,
  hostFacts,
  probeBlobWorker,
  setPageCores,
  THREADS_OFF,
  threadsOffReason,
} from '../../src/core/models/threads.ts';

/** float32 products of length-k sums: |wasm − cpu| ≤ ATOL + RTOL·|cpu|, elementwise. */
const ATOL = 1e-4;
const RTOL = 1e-4;

function randomData(shape: number[], next: () => number): Float32Array {
  const out = new Float32Array(shape.reduce((p, q) => p * q, 1));
  for (let i = 0; i < out.length; i++) out[i] = next() * 2 - 1;
  return out;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= ATOL + RTOL * Math.abs(expected[i]))) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, cpu says ${expected[i]}`);
    }
  }
}

/** Runs `f` on `backend` with data in and data out, so no tensor crosses backends. */
async function on(
  backend: 'wasm' | 'cpu',
  f: () => tf.Tensor | tf.Tensor[],
  swapOperands = true,
): Promise<Float32Array[]> {
  await initBackend({ backend });
  setTransposedMatMulFix(true, { swapOperands });
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const data = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return data;
}

interface Case {
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

/** Shapes of C = op(A)·op(B) with C [...batch, m, n] and inner size k, stored as given. */
function matMulCase(batchA: number[], batchB: number[], m: number, k: number, n: number) {
  const cases: Case[] = [];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      cases.push({
        a: [...batchA, ...(ta ? [k, m] : [m, k])],
        b: [...batchB, ...(tb ? [n, k] : [k, n])],
        ta,
        tb,
      });
    }
  }
  return cases;
}

const SHAPES: Array<[number[], number[], number, number, number]> = [
  [[], [], 1, 1, 1],
  [[], [], 7, 13, 5],
  [[], [], 33, 17, 1],
  [[], [], 1, 29, 31],
  [[], [], 64, 50, 40],
  [[], [], 5, 40, 70],
  [[1], [1], 19, 23, 11],
  [[3], [3], 6, 9, 4],
  [[3], [1], 6, 9, 4],
  [[2, 3], [2, 3], 5, 4, 3],
  [[4], [], 8, 6, 5],
];

describe('transposed matmul fix (wasm vs cpu)', () => {
  after(() => initBackend({ backend: 'wasm' }));

  it('is on by default and reported; can be turned off and on again', async () => {
    assert.deepEqual(await initBackend(), {
      name: 'wasm',
      simd: true,
      threads: false,
      matmulFix: true,
    });
    assert.equal((await initBackend({ fixTransposedMatMul: false })).matmulFix, false);
    assert.equal(isTransposedMatMulFixOn(), false);
    assert.equal((await initBackend({ backend: 'cpu' })).matmulFix, false);
    assert.equal((await initBackend({ backend: 'wasm' })).matmulFix, true);
  });

  it('BatchMatMul equals cpu for all transpose combinations, odd shapes and batch dims', async () => {
    const next = mulberry32(1);
    for (const [batchA, batchB, m, k, n] of SHAPES) {
      for (const c of matMulCase(batchA, batchB, m, k, n)) {
        const a = randomData(c.a, next);
        const b = randomData(c.b, next);
        const run = () => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.ta, c.tb);
        const [want] = await on('cpu', run);
        for (const swapOperands of [true, false]) {
          const [got] = await on('wasm', run, swapOperands);
          assertClose(got, want, `${JSON.stringify(c)} swap=${swapOperands}`);
        }
      }
    }
  });

  it('_FusedMatMul with bias and relu/sigmoid/linear equals cpu', async () => {
    const next = mulberry32(2);
    for (const [m, k, n] of [
      [9, 14, 6],
      [32, 17, 33],
      [1, 12, 7],
    ]) {
      for (const c of matMulCase([], [], m, k, n)) {
        for (const activation of ['relu', 'sigmoid', 'linear'] as const) {
          const a = randomData(c.a, next);
          const b = randomData(c.b, next);
          const bias = randomData([n], next);
          const run = () =>
            tf.fused.matMul({
              a: tf.tensor2d(a, c.a as [number, number]),
              b: tf.tensor2d(b, c.b as [number, number]),
              transposeA: c.ta,
              transposeB: c.tb,
              bias: tf.tensor1d(bias),
              activation,
            });
          const [want] = await on('cpu', run);
          const [got] = await on('wasm', run);
          assertClose(got, want, `${JSON.stringify(c)} ${activation}`);
        }
      }
    }
  });

  it('gradients of a small dense model equal cpu', async () => {
    const next = mulberry32(3);
    const sizes = [12, 7, 3, 7, 12];
    const weights = sizes.slice(1).map((o, l) => randomData([sizes[l], o], next));
    const biases = sizes.slice(1).map((o) => randomData([o], next));
    const x = randomData([10, sizes[0]], next).map((v) => (v + 1) / 2);
    const run = () => {
      const ws = weights.map((w, l) => tf.tensor2d(w, [sizes[l], sizes[l + 1]]));
      const bs = biases.map((b) => tf.tensor1d(b));
      const input = tf.tensor2d(x, [10, sizes[0]]);
      const loss = (...vars: tf.Tensor[]) => {
        let h: tf.Tensor2D = input;
        for (let l = 0; l < ws.length; l++) {
          const last = l === ws.length - 1;
          h = tf.fused.matMul({
            a: h,
            b: vars[l] as tf.Tensor2D,
            bias: vars[ws.length + l],
            activation: last ? 'linear' : 'relu',
          }) as tf.Tensor2D;
          if (last) h = tf.sigmoid(h);
        }
        return tf.losses.meanSquaredError(input, h) as tf.Scalar;
      };
      return tf.grads(loss)([...ws, ...bs]);
    };
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => assertClose(got[i], w, `gradient ${i}`));
  });

  it('hands the shipped kernel untransposed operands, and leaks nothing', async () => {
    await initBackend({ backend: 'wasm', fixTransposedMatMul: false });
    const shipped = tf.getKernel('BatchMatMul', 'wasm');
    const kernelFunc = shipped.kernelFunc;
    const seen: Array<[unknown, unknown]> = [];
    shipped.kernelFunc = (args) => {
      seen.push([args.attrs?.transposeA, args.attrs?.transposeB]);
      return kernelFunc(args);
    };
    try {
      await initBackend({ backend: 'wasm', fixTransposedMatMul: true });
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const a = tf.randomUniform([20, 30]);
      const b = tf.randomUniform([40, 30]);
      const c = tf.randomUniform([30, 20]);
      const [tensors, dataIds] = [tf.memory().numTensors, backend.numDataIds()];
      for (const [x, y, ta, tb] of [
        [a, b, false, true],
        [b, a, false, true],
        [a, a, true, false],
        [b, b, true, false],
        [a, c, true, true],
      ] as const) {
        tf.matMul(x, y, ta, tb).dispose();
      }
      assert.equal(tf.memory().numTensors, tensors, 'tensors');
      assert.equal(backend.numDataIds(), dataIds, 'wasm data ids');
      assert.equal(seen.length, 5);
      for (const flags of seen) assert.deepEqual(flags, [false, false]);
      tf.dispose([a, b, c]);
    } finally {
      shipped.kernelFunc = kernelFunc;
    }
  });

  it('leaves the shipped kernel in place when turned off', async () => {
    await initBackend({ backend: 'wasm', fixTransposedMatMul: false });
    const registered = tf.getKernel('BatchMatMul', 'wasm');
    setTransposedMatMulFix(true);
    assert.notEqual(tf.getKernel('BatchMatMul', 'wasm'), registered);
    setTransposedMatMulFix(false);
    assert.equal(tf.getKernel('BatchMatMul', 'wasm'), registered);
  });
});

describe('threadsPay', () => {
  const g = globalThis as { crossOriginIsolated?: boolean };
  const saved = {
    isolated: Object.getOwnPropertyDescriptor(globalThis, 'crossOriginIsolated'),
    navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'),
  };
  const set = (isolated: boolean | undefined, cores: number | undefined) => {
    Object.defineProperty(globalThis, 'crossOriginIsolated', {
      value: isolated,
      configurable: true,
    });
    Object.defineProperty(globalThis, 'navigator', {
      value: cores === undefined ? undefined : { hardwareConcurrency: cores },
      configurable: true,
    });
  };
  after(() => {
    for (const [key, descriptor] of [
      ['crossOriginIsolated', saved.isolated],
      ['navigator', saved.navigator],
    ] as const) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else delete (globalThis as Record<string, unknown>)[key];
    }
  });

  it('needs cross-origin isolation and at least four logical cores', () => {
    set(true, 8);
    assert.equal(threadsPay(), true);
    set(true, MIN_CORES_FOR_THREADS);
    assert.equal(threadsPay(), true);
    set(true, 2);
    assert.equal(threadsPay(), false, 'a 2-core machine gets a pool of one thread');
    set(false, 8);
    assert.equal(threadsPay(), false, 'no SharedArrayBuffer without isolation');
    set(true, undefined);
    assert.equal(threadsPay(), false, 'unknown core count');
    assert.equal(g.crossOriginIsolated, true);
  });

  it("takes the page's core count over this thread's once the page sends one", () => {
    set(true, 2);
    setPageCores(0);
    setPageCores(2.5);
    setPageCores('8');
    assert.deepEqual(hostFacts(), { isolated: true, cores: 2 }, 'only whole positive counts');
    setPageCores(8);
    assert.deepEqual(hostFacts(), { isolated: true, cores: 8 });
    assert.equal(threadsPay(), true);
    setPageCores(2);
    assert.equal(threadsPay(), false);
  });
});

describe('threads decision', () => {
  const reasonFor = (isolated: boolean, cores: number | undefined) =>
    threadsOffReason({ isolated, cores });

  it('names the first reason threads stay off, in words', () => {
    assert.equal(reasonFor(false, 16), THREADS_OFF.isolation);
    assert.equal(reasonFor(false, 2), THREADS_OFF.isolation, 'isolation is checked first');
    assert.equal(reasonFor(true, 2), 'this device reports 2 logical cores, fewer than 4');
    assert.equal(reasonFor(true, 1), 'this device reports 1 logical core, fewer than 4');
    assert.equal(reasonFor(true, undefined), 'this browser does not say how many cores it has');
    assert.equal(reasonFor(true, MIN_CORES_FOR_THREADS), undefined);
  });

  it('probes blob: workers only when isolation and cores allow threads', async () => {
    let probes = 0;
    const probe = (reason: string | undefined) => async () => {
      probes++;
      return reason;
    };
    assert.deepEqual(await decideThreads({ isolated: false, cores: 8 }, probe(undefined)), {
      threads: false,
      reason: THREADS_OFF.isolation,
    });
    assert.deepEqual(await decideThreads({ isolated: true, cores: 2 }, probe(undefined)), {
      threads: false,
      reason: THREADS_OFF.cores(2),
    });
    assert.equal(probes, 0, 'no probe worker when threads would not pay anyway');
    assert.deepEqual(await decideThreads({ isolated: true, cores: 8 }, probe(THREADS_OFF.csp)), {
      threads: false,
      reason: "this page's Content-Security-Policy forbids blob: workers",
    });
    assert.deepEqual(await decideThreads({ isolated: true, cores: 8 }, probe(undefined)), {
      threads: true,
    });
    assert.equal(probes, 2);
  });

  it('the probe says so where workers cannot start workers (Node has no Worker global)', async () => {
    assert.equal(typeof (globalThis as { Worker?: unknown }).Worker, 'undefined');
    assert.equal(await probeBlobWorker(), THREADS_OFF.noWorker);
  });

  it('Node reports no reason: threads are never an option there', async () => {
    const info = await initBackend({ backend: 'wasm' });
    assert.equal(info.threads, false);
    assert.equal('threadsOff' in info, false);
  });
});
