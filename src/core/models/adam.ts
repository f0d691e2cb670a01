/**
 * Adam as one fused pass per variable in the kernels (assembly/adam.ts)
 * instead of TF.js's optimiser, whose dozen ops per variable each allocate a
 * tensor: a third of a training step of the notebook autoencoder here (see
 * bench/train.ts). Same update as tf.train.adam (the paper's form, with
 * epsilon added after the bias correction), in f32; the bias corrections
 * 1 − β^t are computed in f64 rather than as a running f32 product.
 */
import { AeError } from '../errors.ts';
import { type AdamHyper, openAdamMemory } from '../wasm/adam.ts';
import { tf } from './backend.ts';

/** Applies gradients to the variables it was made for. */
export interface FusedAdam {
  /** One step: every variable gets its gradient from `grads` (by name), which this disposes. */
  applyGradients(grads: tf.NamedTensorMap): void;
}

/** The values of a float32 tensor. */
function floatsOf(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** An Adam optimiser for `variables`, starting from their current values. */
export async function createFusedAdam(
  variables: tf.Variable[],
  hyper: AdamHyper,
): Promise<FusedAdam> {
  const memory = await openAdamMemory(
    variables.map((v) => floatsOf(v)),
    hyper,
  );
  // The wasm backend copies a tensor's values into its own memory; the cpu backend keeps the array.
  const copies = tf.getBackend() === 'wasm';
  let t = 0;
  return {
    applyGradients(grads) {
      t++;
      try {
        for (const [i, v] of variables.entries()) {
          const g = grads[v.name];
          if (!g) throw new AeError('INTERNAL', `No gradient for ${v.name}.`);
          // The view is overwritten by the next step: backends that keep what they are given get a copy.
          const w = memory.step(i, floatsOf(g), t);
          const next = tf.tensor(copies ? w : w.slice(), v.shape, 'float32');
          v.assign(next);
          next.dispose();
        }
      } finally {
        for (const g of Object.values(grads)) g.dispose();
      }
    },
  };
}
