/** The variational autoencoder as a factory: encoder to (μ, log σ²), reparameterised sampling, decoder. */
import { AeError } from '../errors.ts';
import { VAE_LOSSES, type VaeLoss } from '../settings.ts';
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

export type { VaeLoss } from '../settings.ts';

/** Architecture of a VAE; the decoder mirrors the encoder's hidden sizes. */
export interface VaeConfig {
  /** Pixels per image. Default 784. */
  inputSize: number;
  /** Encoder hidden layer sizes, input side first. Default [256] (the notebook's printed summary). */
  hidden: number[];
  /** Latent size. Default 10. */
  latent: number;
  /** Activation of the hidden layers. Default 'relu'. */
  activation: Activation;
  /** Loss. Default 'notebook'. */
  loss: VaeLoss;
  /** Seeds the weight initialisation. Default 1. */
  seed: number;
}

/** The notebook's VAE: 784-256-(10, 10)-256-784, relu, sigmoid output, the notebook's loss. */
export const DEFAULT_VAE_CONFIG: Readonly<VaeConfig> = Object.freeze({
  inputSize: 784,
  hidden: [256],
  latent: 10,
  activation: 'relu',
  loss: 'notebook',
  seed: 1,
});

/** A VAE made by {@link createVae}. Its `encoder` outputs [μ, log σ²]. */
export interface Vae extends TrainableModel {
  readonly kind: 'vae';
  readonly config: Readonly<VaeConfig>;
}

function checkConfig(partial: Partial<VaeConfig>): VaeConfig {
  const c: VaeConfig = { ...DEFAULT_VAE_CONFIG, ...partial };
  checkPositiveInt(c.inputSize, 'inputSize');
  c.hidden = checkHidden(c.hidden, '[256]');
  checkPositiveInt(c.latent, 'latent');
  checkActivation(c.activation, 'activation');
  if (!(VAE_LOSSES as readonly string[]).includes(c.loss)) {
    throw new AeError(
      'BAD_ARGUMENT',
      `VAE loss "${String(c.loss)}" is unknown; use ${VAE_LOSSES.join(' or ')}.`,
    );
  }
  if (!Number.isInteger(c.seed)) {
    throw new AeError('BAD_ARGUMENT', `seed must be an integer, got ${String(c.seed)}.`);
  }
  return c;
}

/**
 * The VAE loss per sample from inputs `x`, reconstructions `xHat` and the
 * posterior parameters; see {@link VaeLoss}. Shape [n].
 */
export function vaeSampleLosses(
  x: tf.Tensor2D,
  xHat: tf.Tensor2D,
  zMean: tf.Tensor2D,
  zLogVar: tf.Tensor2D,
  loss: VaeLoss,
): tf.Tensor1D {
  return tf.tidy(() => {
    const klTerms = tf.sub(tf.sub(tf.add(1, zLogVar), tf.square(zMean)), tf.exp(zLogVar));
    if (loss === 'notebook') {
      const rec = tf.mul(mseRows(x, xHat), x.shape[1]);
      return tf.add(rec, tf.mul(-0.5, tf.mean(klTerms, 1))) as tf.Tensor1D;
    }
    return tf.add(bceSumRows(x, xHat), tf.mul(-0.5, tf.sum(klTerms, 1))) as tf.Tensor1D;
  });
}

/**
 * Builds a VAE with seeded Glorot-uniform weights. Missing config fields take
 * the notebook's values.
 */
export function createVae(config: Partial<VaeConfig> = {}): Vae {
  const c = checkConfig(config);
  let n = 0;
  const layer = (name: string, units: number, activation: Activation) =>
    denseLayer(name, units, activation, deriveSeed(c.seed, n++));
  const hiddenLayers = c.hidden.map((h, i) => layer(`encoder_dense_${i}`, h, c.activation));
  const meanLayer = layer('z_mean', c.latent, 'linear');
  const logVarLayer = layer('z_log_var', c.latent, 'linear');
  const decoderLayers = [
    ...[...c.hidden].reverse().map((h, i) => layer(`decoder_dense_${i}`, h, c.activation)),
    layer('reconstruction', c.inputSize, 'sigmoid'),
  ];

  const input = tf.input({ shape: [c.inputSize], name: 'pixels' });
  const h = stack(input, hiddenLayers);
  const zMean = meanLayer.apply(h) as tf.SymbolicTensor;
  const zLogVar = logVarLayer.apply(h) as tf.SymbolicTensor;
  const latentInput = tf.input({ shape: [c.latent], name: 'latent' });
  const decoded = stack(latentInput, decoderLayers);
  const encoder = tf.model({ name: 'vae_encoder', inputs: input, outputs: [zMean, zLogVar] });
  const decoder = tf.model({ name: 'vae_decoder', inputs: latentInput, outputs: decoded });
  // One model holding every layer, so the VAE saves as a single TF.js model.
  const model = tf.model({
    name: 'vae',
    inputs: [input, latentInput],
    outputs: [zMean, zLogVar, decoded],
  });
  const frozen = Object.freeze({ ...c, hidden: [...c.hidden] });

  const encodeBoth = (x: tf.Tensor2D, training: boolean) =>
    encoder.apply(x, { training }) as [tf.Tensor2D, tf.Tensor2D];

  return {
    kind: 'vae',
    config: frozen,
    inputSize: c.inputSize,
    latentSize: c.latent,
    model,
    encoder,
    decoder,
    trainableVariables: () => variablesOf(model),
    sampleLosses(x, seed, target = x) {
      return tf.tidy(() => {
        const [mu, logVar] = encodeBoth(x, true);
        const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed);
        const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
        const xHat = decoder.apply(z, { training: true }) as tf.Tensor2D;
        return vaeSampleLosses(target, xHat, mu, logVar, c.loss);
      });
    },
    encode(x) {
      return tf.tidy(() => encodeBoth(x, false)[0]);
    },
    reconstruct(x) {
      return tf.tidy(() => decoder.apply(encodeBoth(x, false)[0]) as tf.Tensor2D);
    },
    describe: () => ({ kind: 'vae', config: { ...frozen } }),
    dispose() {
      // Every layer is called once, and `model` holds them all (tf.layers counts calls).
      model.dispose();
    },
  };
}
