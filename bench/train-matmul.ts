/**
 * The matrix products of one notebook-AE training step (784-392-10-392-784, batch 128) and one
 * whole step (`trainOnBatch`), on wasm as shipped, wasm with the transposed-matmul fix (simple:
 * materialise transposes; full: also swap operands when cheaper) and cpu, in one process.
 *
 *   node --import tsx bench/train-matmul.ts [--reps N]
 */
import { initBackend, setTransposedMatMulFix, tf } from '../src/core/models/backend.ts';
import type { BackendInfo } from '../src/core/models/backend.ts';

const BATCH = 128;
const SIZES = [784, 392, 10, 392, 784];
const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 10;

type Variant = 'shipped' | 'simple' | 'fixed' | 'cpu';
const VARIANTS: Variant[] = ['shipped', 'simple', 'fixed', 'cpu'];

async function use(variant: Variant): Promise<BackendInfo> {
  if (variant === 'cpu') return initBackend({ backend: 'cpu' });
  const info = await initBackend({ backend: 'wasm', fixTransposedMatMul: variant !== 'shipped' });
  setTransposedMatMulFix(variant !== 'shipped', { swapOperands: variant === 'fixed' });
  return info;
}

interface Product {
  label: string;
  /** [rows, cols] of the stored operands and the transpose flags. */
  a: [number, number];
  b: [number, number];
  ta: boolean;
  tb: boolean;
}

/** Forward y = x·W per layer; backprop dW = xᵀ·dy and dx = dy·Wᵀ (not for the input layer). */
function stepProducts(): Product[] {
  const out: Product[] = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const [i, o] = [SIZES[l], SIZES[l + 1]];
    out.push({ label: `fwd  x·W   ${i}→${o}`, a: [BATCH, i], b: [i, o], ta: false, tb: false });
  }
  for (let l = SIZES.length - 2; l >= 0; l--) {
    const [i, o] = [SIZES[l], SIZES[l + 1]];
    out.push({ label: `grad xᵀ·dy ${i}→${o}`, a: [BATCH, i], b: [BATCH, o], ta: true, tb: false });
    if (l > 0) {
      out.push({ label: `grad dy·Wᵀ ${i}→${o}`, a: [BATCH, o], b: [i, o], ta: false, tb: true });
    }
  }
  return out;
}

function flops(p: Product): number {
  const m = p.ta ? p.a[1] : p.a[0];
  const k = p.ta ? p.a[0] : p.a[1];
  const n = p.tb ? p.b[0] : p.b[1];
  return 2 * m * k * n;
}

/** Median ms of one product. Fresh operands each rep, as in training (weights change per step). */
function timeProduct(p: Product, reps: number): number {
  const times: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const a = tf.randomUniform(p.a);
    const b = tf.randomUniform(p.b);
    const t0 = performance.now();
    const c = tf.matMul(a, b, p.ta, p.tb);
    c.dataSync();
    if (r > 0) times.push(performance.now() - t0);
    tf.dispose([a, b, c]);
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
}

function makeModel(): tf.LayersModel {
  const model = tf.sequential();
  for (let l = 1; l < SIZES.length; l++) {
    model.add(
      tf.layers.dense({
        units: SIZES[l],
        activation: l === SIZES.length - 1 ? 'sigmoid' : 'relu',
        ...(l === 1 ? { inputShape: [SIZES[0]] } : {}),
      }),
    );
  }
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

/**
 * ms per trainOnBatch step on random data for each variant. The wasm variants share one model
 * and take turns step by step, so drift on a busy machine hits them alike; medians reported.
 */
async function timeSteps(variants: Variant[], rounds: number): Promise<Map<Variant, number>> {
  const model = makeModel();
  const x = tf.randomUniform([BATCH, SIZES[0]]);
  const times = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  for (let r = -2; r < rounds; r++) {
    for (const v of variants) {
      await use(v);
      const t0 = performance.now();
      await model.trainOnBatch(x, x);
      if (r >= 0) times.get(v)!.push(performance.now() - t0);
    }
  }
  x.dispose();
  model.dispose();
  return new Map(variants.map((v) => [v, median(times.get(v)!)]));
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

const products = stepProducts();
const productMs = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
for (const v of VARIANTS) console.log(`${v.padEnd(8)} ${JSON.stringify(await use(v))}`);
for (const p of products) {
  for (const v of VARIANTS) {
    await use(v);
    productMs.get(v)!.push(timeProduct(p, v === 'cpu' ? Math.max(2, REPS >> 2) : REPS));
  }
}
const wasmVariants = VARIANTS.filter((v) => v !== 'cpu');
const stepMs = await timeSteps(wasmVariants, 3 * REPS);
const cpuStep = await timeSteps(['cpu'], 3);
stepMs.set('cpu', cpuStep.get('cpu')!);

console.log(`\nMatrix products of one AE step (batch ${BATCH}), median ms and GFLOP/s`);
console.log(
  `${'product'.padEnd(24)}${VARIANTS.map((v) => pad(v, 9) + pad('GF/s', 6)).join('')}` +
    `${pad('shipped/fixed', 15)}`,
);
const totals = new Map<Variant, number>(VARIANTS.map((v) => [v, 0]));
let totalFlops = 0;
products.forEach((p, i) => {
  totalFlops += flops(p);
  const cells = VARIANTS.map((v) => {
    const ms = productMs.get(v)![i];
    totals.set(v, totals.get(v)! + ms);
    return pad(ms.toFixed(2), 9) + pad((flops(p) / ms / 1e6).toFixed(1), 6);
  });
  const ratio = productMs.get('shipped')![i] / productMs.get('fixed')![i];
  console.log(`${p.label.padEnd(24)}${cells.join('')}${pad(ratio.toFixed(2) + '×', 15)}`);
});
console.log(
  `${'all products'.padEnd(24)}${VARIANTS.map(
    (v) =>
      pad(totals.get(v)!.toFixed(2), 9) + pad((totalFlops / totals.get(v)! / 1e6).toFixed(1), 6),
  ).join('')}${pad((totals.get('shipped')! / totals.get('fixed')!).toFixed(2) + '×', 15)}`,
);

console.log(`\nOne trainOnBatch step (dense 392 relu, 10 relu, 392 relu, 784 sigmoid; MSE; adam)`);
for (const v of VARIANTS) {
  const ms = stepMs.get(v)!;
  console.log(
    `${v.padEnd(8)} ${pad(ms.toFixed(1), 7)} ms/step ${pad(Math.round((BATCH * 1000) / ms), 6)} ` +
      `samples/s  ${pad((stepMs.get('cpu')! / ms).toFixed(1), 5)}× cpu`,
  );
}
const gain = stepMs.get('shipped')! / stepMs.get('fixed')!;
const simple = stepMs.get('simple')! / stepMs.get('fixed')!;
console.log(`fixed vs shipped: ${gain.toFixed(2)}×; fixed vs simple: ${simple.toFixed(2)}×`);
