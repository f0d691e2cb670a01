/**
 * What the training loop and the inference helpers need from a model; the
 * autoencoder and the VAE factories both return one.
 */
import { AeError } from '../errors.ts';
import { tf } from './backend.ts';

/** Activation names accepted by the factories (a subset of TF.js's). */
export type Activation = 'relu' | 'linear' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'softplus';

/** The activations, for argument checking and help text. */
export const ACTIVATIONS: readonly Activation[] = [
  'relu',
  'linear',
  'sigmoid',
  'tanh',
  'elu',
  'selu',
  'softplus',
];

/** A trained or trainable model: an autoencoder ('ae') or a variational autoencoder ('vae'). */
export interface TrainableModel {
  readonly kind: 'ae' | 'vae';
  /** Pixels per image (784 for MNIST). */
  readonly inputSize: number;
  /** Size of the latent code. */
  readonly latentSize: number;
  /** The model whose topology and weights are saved (the AE itself; for the VAE a two-input model). */
  readonly model: tf.LayersModel;
  /**
   * The encoder: [n, inputSize] images to [n, latentSize] codes for the AE,
   * to [μ, log σ²] for the VAE. {@link encode} gives codes for both.
   */
  readonly encoder: tf.LayersModel;
  /** Maps [n, latentSize] codes to [n, inputSize] images. */
  readonly decoder: tf.LayersModel;
  /** The variables the optimiser updates. */
  trainableVariables(): tf.Variable[];
  /**
   * Per-sample loss, shape [n], for a [n, inputSize] batch. `seed` seeds the
   * VAE's reparameterisation noise; the AE ignores it. The reconstruction is
   * scored against `target` (a denoiser's clean images), by default `x`.
   */
  sampleLosses(x: tf.Tensor2D, seed: number, target?: tf.Tensor2D): tf.Tensor1D;
  /** Encodes a [n, inputSize] batch to [n, latentSize] codes (the VAE's posterior mean). */
  encode(x: tf.Tensor2D): tf.Tensor2D;
  /** Reconstructs a [n, inputSize] batch (the VAE decodes its posterior mean). */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D;
  /** A JSON-safe description that recreates the architecture (stored with saved artifacts). */
  describe(): Record<string, unknown>;
  /** Frees the weights. */
  dispose(): void;
}

/** Glorot-uniform kernels with a seed (Keras's Dense default), zero biases. */
export function denseLayer(
  name: string,
  units: number,
  activation: Activation,
  seed: number,
): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation,
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    biasInitializer: 'zeros',
  });
}

/** Applies `layers` one after another to a symbolic tensor. */
export function stack(
  input: tf.SymbolicTensor,
  layers: readonly tf.layers.Layer[],
): tf.SymbolicTensor {
  let h = input;
  for (const layer of layers) h = layer.apply(h) as tf.SymbolicTensor;
  return h;
}

/** The LayerVariables of `model` as the tf.Variables an optimiser takes. */
export function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Checks a layer size or similar count. */
export function checkPositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AeError('BAD_ARGUMENT', `${what} must be a whole number ≥ 1, got ${String(value)}.`);
  }
  return value;
}

/** Checks a list of hidden layer sizes; `example` shows a valid one in the message. */
export function checkHidden(value: unknown, example: string): number[] {
  if (!Array.isArray(value)) {
    throw new AeError('BAD_ARGUMENT', `hidden must be an array of layer sizes, e.g. ${example}.`);
  }
  return value.map((h, i) => checkPositiveInt(h, `hidden[${i}]`));
}

/** Checks an activation name. */
export function checkActivation(value: unknown, what: string): Activation {
  if (!ACTIVATIONS.includes(value as Activation)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `${what} "${String(value)}" is not supported; use one of: ${ACTIVATIONS.join(', ')}.`,
    );
  }
  return value as Activation;
}

/** Per-sample mean squared error over the last axis (Keras's `mean_squared_error`). */
export function mseRows(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.squaredDifference(x, y), 1) as tf.Tensor1D);
}

/** Per-sample binary cross-entropy summed over the last axis, with Keras's 1e-7 clipping. */
export function bceSumRows(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.clipByValue(y, 1e-7, 1 - 1e-7);
    const ll = tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log1p(tf.neg(p))));
    return tf.neg(tf.sum(ll, 1)) as tf.Tensor1D;
  });
}
