import type { Noise } from '../../core/noise.ts';
import type { DenoiseComparison } from '../../worker/bridge.ts';
import { inSentence } from '../ae-demo/words.ts';

/** The noise in words: "Gaussian noise σ = 0.30", "50 % of the pixels masked". */
export function noiseWords(noise: Noise): string {
  return noise.kind === 'gaussian'
    ? `Gaussian noise σ = ${noise.sigma.toFixed(2)}`
    : `${Math.round(noise.fraction * 100)} % of the pixels masked (set to 0)`;
}

/** The noise's level as its slider shows it: "σ = 0.30", "50 %". */
export function levelWords(noise: Noise): string {
  return noise.kind === 'gaussian'
    ? `σ = ${noise.sigma.toFixed(2)}`
    : `${Math.round(noise.fraction * 100)} %`;
}

/** What the figure's sentence names. */
export interface DenoiseWords {
  noise: Noise;
  out: DenoiseComparison;
  daeLabel: string;
  /** The plain autoencoder's label; none when there is none of the images' shape (its error is left out). */
  aeLabel: string | undefined;
  /** Whether the PCA was fitted on the test digits themselves. */
  pcaOnTest: boolean;
  /** The scored images in words, their count in (DemoStore.testSetWords): "the 10,000 test digits". */
  testSet: string;
  /** What the images are: MNIST's digits (default), or an author's images of another shape. */
  noun?: 'digits' | 'images';
}

const mse = (v: number) => v.toFixed(4);

/**
 * The figure's text summary: "With Gaussian noise σ = 0.30 on the 10,000
 * test digits, the noisy digits' error is 0.0466; the shipped denoising
 * autoencoder brings it to 0.0264, the shipped autoencoder to 0.0573 and
 * PCA (10 components) to 0.0373 …".
 */
export function denoiseSummary({
  noise,
  out,
  daeLabel,
  aeLabel,
  pcaOnTest,
  testSet,
  noun = 'digits',
}: DenoiseWords): string {
  const { mse: e, k } = out;
  const pca =
    e.pca !== undefined && k !== undefined
      ? ` and PCA (${k} component${k === 1 ? '' : 's'}${pcaOnTest ? '' : `, fitted on other ${noun}`}) to ${mse(e.pca)}`
      : '';
  const ae = aeLabel ? `${pca ? ', ' : ' and '}${inSentence(aeLabel)} to ${mse(e.ae)}` : '';
  return (
    `With ${noiseWords(noise)} on ${testSet}, the noisy ${noun}' error is ` +
    `${mse(e.noisy)}; ${inSentence(daeLabel)} brings it to ${mse(e.dae)}${ae}${pca} ` +
    `(mean squared error per pixel against the clean ${noun}; lower is better).`
  );
}
