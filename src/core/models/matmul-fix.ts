/**
 * Kernel overrides that keep transposed matrix products on XNNPACK in the TF.js wasm backend.
 *
 * tfjs-backend-wasm 4.22 hands BatchMatMul and _FusedMatMul to XNNPACK only when neither
 * operand is transposed and both batch sizes are 1; otherwise a naive loop runs at ~1.3 GFLOP/s
 * instead of ~15 (measured here, one thread). Dense backprop multiplies by transposes
 * (dW = xᵀ·dy, dx = dy·Wᵀ), so training took the slow loop. The override materialises the
 * transposed operand with the wasm Transpose kernel (O(n²) copy against O(n³) arithmetic),
 * calls the shipped kernel with the flags off and frees the copy.
 * See src/cc/batch_mat_mul_impl.cc in tensorflow/tfjs for the dispatch condition.
 */
import * as tf from './tf.ts';
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from './tf.ts';

/** The kernels this module overrides on the wasm backend. */
export const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

/** The slice of the wasm backend the override needs. */
interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

const originals = new Map<string, KernelConfig>();
const overrides = new WeakSet<KernelConfig>();
let enabled = false;
let swapOperands = true;

/** Variants of the fix, for measuring what each part buys. */
export interface MatMulFixOptions {
  /**
   * Default true: compute op(A)·op(B) as (op(B)ᵀ·op(A)ᵀ)ᵀ when that copies and packs fewer
   * elements (dx = dy·Wᵀ in backprop). false: always materialise the transposed operands.
   */
  swapOperands?: boolean;
}

/** Whether the override is registered now. */
export function isTransposedMatMulFixOn(): boolean {
  return enabled;
}

/**
 * Registers (true) or removes (false) the override for the wasm backend; idempotent, and safe
 * to flip at any time, so shipped and fixed kernels can be compared in one process.
 */
export function setTransposedMatMulFix(on: boolean, options: MatMulFixOptions = {}): void {
  swapOperands = options.swapOperands ?? true;
  if (on === enabled) return;
  for (const name of MATMUL_KERNELS) {
    const registered = tf.getKernel(name, 'wasm');
    if (!registered) throw new Error(`No ${name} kernel registered for wasm; import the backend.`);
    if (!overrides.has(registered)) originals.set(name, registered);
    const original = originals.get(name)!;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(on ? makeOverride(original) : original);
  }
  enabled = on;
}

function makeOverride(original: KernelConfig): KernelConfig {
  const config: KernelConfig = {
    kernelName: original.kernelName,
    backendName: 'wasm',
    // The shipped kernel's setup (its cwrap) must still run if the backend starts later.
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const a = inputs.a!;
      const b = inputs.b!;
      const transposeA = attrs.transposeA === true;
      const transposeB = attrs.transposeB === true;
      const wasm = backend as WasmBackendLike;
      if (a.dtype !== 'float32' || b.dtype !== 'float32') {
        return original.kernelFunc({ inputs, backend, attrs });
      }
      const temps: TensorInfo[] = [];
      try {
        if (
          swapOperands &&
          (transposeA || transposeB) &&
          original.kernelName === 'BatchMatMul' &&
          batchSize(a.shape) === 1 &&
          batchSize(b.shape) === 1 &&
          swappedIsCheaper(a.shape, b.shape, transposeA, transposeB)
        ) {
          // op(A)·op(B) = (op(B)ᵀ·op(A)ᵀ)ᵀ: swapping the operands turns Bᵀ into B, so XNNPACK
          // packs the smaller operand and we copy less (see swappedIsCheaper).
          const bt = transposeB ? b : transposedLastTwo(b, backend, temps);
          const at = transposeA ? a : transposedLastTwo(a, backend, temps);
          const args = {
            inputs: { a: bt, b: at },
            backend,
            attrs: { ...attrs, transposeA: false, transposeB: false },
          };
          const outT = original.kernelFunc(args) as TensorInfo;
          temps.push(outT);
          const out = transposedLastTwo(outT, backend, []);
          if (out.dataId === outT.dataId) temps.pop();
          out.shape = [...outT.shape.slice(0, -2), cols(outT.shape), rows(outT.shape)];
          return out;
        }
        let a2 = transposeA ? transposedLastTwo(a, backend, temps) : a;
        const b2 = transposeB ? transposedLastTwo(b, backend, temps) : b;
        const outShape = outputShape(a2.shape, b2.shape);
        // With b shared across a's batch (weights), [n, m, k] is one [n·m, k] product, which
        // XNNPACK runs; the shipped kernel sends any batch > 1 to the slow loop.
        const collapse =
          batchSize(a2.shape) > 1 &&
          batchSize(b2.shape) === 1 &&
          inputs.preluActivationWeights == null;
        if (collapse) a2 = view(a2, [1, batchSize(a2.shape) * rows(a2.shape), cols(a2.shape)]);
        const args = {
          inputs: { ...inputs, a: a2, b: collapse ? view(b2, [1, ...b2.shape.slice(-2)]) : b2 },
          backend,
          attrs: { ...attrs, transposeA: false, transposeB: false },
        };
        // Read kernelFunc at call time, so a test can spy on what the shipped kernel receives.
        const out = original.kernelFunc(args as typeof args & { inputs: NamedTensorInfoMap });
        (out as TensorInfo).shape = outShape;
        return out;
      } finally {
        for (const t of temps) wasm.disposeData(t.dataId);
      }
    },
  };
  overrides.add(config);
  return config;
}

/**
 * Whether (op(B)ᵀ·op(A)ᵀ)ᵀ moves fewer elements than materialising the transposed operands.
 * Elements copied by a transpose and elements XNNPACK packs (always b, on every call, since
 * operands are fresh tensors in training) cost about the same here (~4 ns each, measured).
 * C = op(A)·op(B) is [m, n] with inner size k.
 */
function swappedIsCheaper(a: number[], b: number[], ta: boolean, tb: boolean): boolean {
  const m = ta ? cols(a) : rows(a);
  const k = ta ? rows(a) : cols(a);
  const n = tb ? rows(b) : cols(b);
  const direct = (ta ? m * k : 0) + (tb ? k * n : 0) + k * n;
  const swapped = (ta ? 0 : m * k) + (tb ? 0 : k * n) + m * k + m * n;
  return swapped < direct;
}

/** `x` with its last two axes swapped; a reshaped view when one of them has size 1. */
function transposedLastTwo(x: TensorInfo, backend: object, temps: TensorInfo[]): TensorInfo {
  const r = x.shape.length;
  const swapped = [...x.shape.slice(0, -2), x.shape[r - 1], x.shape[r - 2]];
  if (x.shape[r - 1] === 1 || x.shape[r - 2] === 1) return view(x, swapped);
  const perm = [...Array(r - 2).keys(), r - 1, r - 2];
  const transpose = tf.getKernel('Transpose', 'wasm');
  const t = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  temps.push(t);
  return t;
}

/** The same data under another shape; no copy, no reference taken (the kernel only reads). */
function view(x: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

function batchSize(shape: number[]): number {
  return tf.util.sizeFromShape(shape.slice(0, -2));
}

function rows(shape: number[]): number {
  return shape[shape.length - 2];
}

function cols(shape: number[]): number {
  return shape[shape.length - 1];
}

/** The product's shape for untransposed operands: broadcast batch dims, then [m, n]. */
function outputShape(a: number[], b: number[]): number[] {
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
  return [...batch, rows(a), cols(b)];
}
