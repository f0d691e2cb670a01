/** The dense autoencoder as a factory: encoder, decoder and the whole model share their layers. */
import { AeError } from '../errors.ts';
import { tf } from './backend.ts';
import { deriveSeed } from './batches.ts';
import {
  type Activation,
  type TrainableModel,
  bceSumRows,
  checkActivation,
  checkHidden,
  checkPositiveInt,
  denseLayer,
  mseRows,
  stack,
  variablesOf,
} from './model.ts';

/** The autoencoder's reconstruction losses: mean squared error, or binary cross-entropy (mean over pixels). */
export type AeLoss = 'mse' | 'bce';

/** Architecture of a dense autoencoder; the decoder mirrors the encoder's hidden sizes. */
export interface AeConfig {
  /** Pixels per image. Default 784. */
  inputSize: number;
  /** Encoder hidden layer sizes, input side first (the decoder uses them reversed). Default [392]. */
  hidden: number[];
  /** Bottleneck size. Default 10. */
  latent: number;
  /** Activation of the hidden layers. Default 'relu'. */
  activation: Activation;
  /** Activation of the bottleneck: 'relu' as in the notebook, or 'linear'. Default 'relu'. */
  latentActivation: Activation;
  /** Activation of the output layer. Default 'sigmoid'. */
  outputActivation: Activation;
  /** Reconstruction loss. Default 'mse'. */
  loss: AeLoss;
  /** Seeds the weight initialisation. Default 1. */
  seed: number;
}

/** The notebook's architecture: 784-392-10-392-784, relu, relu bottleneck, sigmoid output, MSE. */
export const DEFAULT_AE_CONFIG: Readonly<AeConfig> = Object.freeze({
  inputSize: 784,
  hidden: [392],
  latent: 10,
  activation: 'relu',
  latentActivation: 'relu',
  outputActivation: 'sigmoid',
  loss: 'mse',
  seed: 1,
});

/** An autoencoder made by {@link createAutoencoder}. */
export interface Autoencoder extends TrainableModel {
  readonly kind: 'ae';
  readonly config: Readonly<AeConfig>;
}

function checkConfig(partial: Partial<AeConfig>): AeConfig {
  const c: AeConfig = { ...DEFAULT_AE_CONFIG, ...partial };
  checkPositiveInt(c.inputSize, 'inputSize');
  c.hidden = checkHidden(c.hidden, '[392]');
  checkPositiveInt(c.latent, 'latent');
  checkActivation(c.activation, 'activation');
  checkActivation(c.latentActivation, 'latentActivation');
  checkActivation(c.outputActivation, 'outputActivation');
  if (c.loss !== 'mse' && c.loss !== 'bce') {
    throw new AeError('BAD_ARGUMENT', `AE loss "${String(c.loss)}" is unknown; use mse or bce.`);
  }
  if (!Number.isInteger(c.seed)) {
    throw new AeError('BAD_ARGUMENT', `seed must be an integer, got ${String(c.seed)}.`);
  }
  return c;
}

/**
 * Builds a dense autoencoder with seeded Glorot-uniform weights (Keras's
 * default initialisation). Missing config fields take the notebook's values.
 */
export function createAutoencoder(config: Partial<AeConfig> = {}): Autoencoder {
  const c = checkConfig(config);
  let n = 0;
  const layer = (name: string, units: number, activation: Activation) =>
    denseLayer(name, units, activation, deriveSeed(c.seed, n++));
  const encoderLayers = [
    ...c.hidden.map((h, i) => layer(`encoder_dense_${i}`, h, c.activation)),
    layer('bottleneck', c.latent, c.latentActivation),
  ];
  const reversed = [...c.hidden].reverse();
  const decoderLayers = [
    ...reversed.map((h, i) => layer(`decoder_dense_${i}`, h, c.activation)),
    layer('reconstruction', c.inputSize, c.outputActivation),
  ];

  const input = tf.input({ shape: [c.inputSize], name: 'pixels' });
  const code = stack(input, encoderLayers);
  const model = tf.model({
    name: 'autoencoder',
    inputs: input,
    outputs: stack(code, decoderLayers),
  });
  const encoder = tf.model({ name: 'encoder', inputs: input, outputs: code });
  const latentInput = tf.input({ shape: [c.latent], name: 'latent' });
  const decoder = tf.model({
    name: 'decoder',
    inputs: latentInput,
    outputs: stack(latentInput, decoderLayers),
  });
  const frozen = Object.freeze({ ...c, hidden: [...c.hidden] });

  return {
    kind: 'ae',
    config: frozen,
    inputSize: c.inputSize,
    latentSize: c.latent,
    model,
    encoder,
    decoder,
    trainableVariables: () => variablesOf(model),
    sampleLosses(x, _seed, target = x) {
      return tf.tidy(() => {
        const y = model.apply(x, { training: true }) as tf.Tensor2D;
        if (c.loss === 'mse') return mseRows(target, y);
        return tf.div(bceSumRows(target, y), c.inputSize) as tf.Tensor1D;
      });
    },
    encode: (x) => encoder.apply(x) as tf.Tensor2D,
    reconstruct: (x) => model.apply(x) as tf.Tensor2D,
    describe: () => ({ kind: 'ae', config: { ...frozen } }),
    dispose() {
      // tf.layers counts one reference per symbolic call of a layer: `model` holds
      // every layer once and the decoder's a second time, which `decoder` releases.
      model.dispose();
      decoder.dispose();
    },
  };
}
