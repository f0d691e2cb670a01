/**
 * Kernel memory of one fused Adam optimiser (assembly/adam.ts): the weights,
 * the two moments and a gradient slot of each variable, laid out once in a
 * kernel instance of its own, so the moments stay put from step to step and
 * a PCA in the same thread never shares the memory.
 */
import { AeError } from '../errors.ts';
import { freshKernelInstance } from './kernels.ts';

/** Adam's constants: the learning rate, the two decay rates and epsilon. */
export interface AdamHyper {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The optimiser's memory: one slot of weights, moments and gradient per variable. */
export interface AdamMemory {
  readonly simd: boolean;
  /**
   * Step `t` (1-based) for variable `index` with its gradient: updates the
   * moments and the weights in kernel memory and returns the new weights, a
   * view valid until the next call.
   */
  step(index: number, gradient: Float32Array, t: number): Float32Array;
}

/** Lays out one slot per variable, holding its `initial` weights and zero moments. */
export async function openAdamMemory(
  initial: Float32Array[],
  hyper: AdamHyper,
): Promise<AdamMemory> {
  const { exports, simd } = await freshKernelInstance();
  // Per variable, 16-aligned: w, m, v, g.
  const padded = initial.map((w) => (w.length + 3) & ~3);
  const floats = padded.reduce((sum, n) => sum + 4 * n, 0);
  const base = exports.reserve(floats * 4);
  if (base === 0) {
    throw new AeError(
      'WASM_UNAVAILABLE',
      `The optimiser needs ${Math.ceil((floats * 4) / 2 ** 20)} MB of kernel memory, which this runtime refused.`,
    );
  }
  const slots: { w: number; m: number; v: number; g: number; n: number }[] = [];
  let at = base;
  for (const [i, w] of initial.entries()) {
    const bytes = padded[i] * 4;
    slots.push({ w: at, m: at + bytes, v: at + 2 * bytes, g: at + 3 * bytes, n: w.length });
    at += 4 * bytes;
  }
  // reserve() may have grown memory, and nothing grows it after: one view serves every step.
  const h = new Float32Array(exports.memory.buffer);
  h.fill(0, base / 4, base / 4 + floats);
  for (const [i, w] of initial.entries()) h.set(w, slots[i].w / 4);
  const { learningRate, beta1, beta2, epsilon } = hyper;
  return {
    simd,
    step(index, gradient, t) {
      const s = slots[index];
      if (!s || gradient.length !== s.n) {
        throw new AeError(
          'INTERNAL',
          `Adam slot ${index} takes ${s?.n ?? 0} gradient values, not ${gradient.length}.`,
        );
      }
      h.set(gradient, s.g / 4);
      exports.adamStep(
        s.w,
        s.g,
        s.m,
        s.v,
        s.n,
        learningRate,
        beta1,
        beta2,
        epsilon,
        1 - beta1 ** t,
        1 - beta2 ** t,
      );
      return h.subarray(s.w / 4, s.w / 4 + s.n);
    },
  };
}
