/**
 * Noise for a denoising autoencoder, as plain data: what the CLI parses and
 * the element's attributes give, without TF.js (src/core/models/noise.ts
 * applies it). Pixels are 0..1.
 */
import { AeError } from './errors.ts';

/** Additive Gaussian noise of standard deviation `sigma`, or a `fraction` of pixels set to 0; results clipped to [0, 1]. */
export type Noise = { kind: 'gaussian'; sigma: number } | { kind: 'mask'; fraction: number };

/** The noise kinds, as the CLI and the element name them. */
export const NOISE_KINDS = ['gaussian', 'mask'] as const;

/** Checks a noise description; BAD_ARGUMENT says what is allowed. */
export function checkNoise(noise: Noise): Noise {
  if (noise.kind === 'gaussian') {
    if (!(noise.sigma > 0 && noise.sigma <= 1)) {
      throw new AeError(
        'BAD_ARGUMENT',
        `Gaussian noise needs a standard deviation above 0 and at most 1 (pixels are 0..1), got ${noise.sigma}.`,
      );
    }
  } else if (noise.kind === 'mask') {
    if (!(noise.fraction > 0 && noise.fraction < 1)) {
      throw new AeError(
        'BAD_ARGUMENT',
        `Masking noise needs a fraction of pixels above 0 and below 1, got ${noise.fraction}.`,
      );
    }
  } else {
    throw new AeError(
      'BAD_ARGUMENT',
      `Noise kind ${JSON.stringify((noise as { kind: unknown }).kind)} is unknown; use ${NOISE_KINDS.join(' or ')}.`,
    );
  }
  return noise;
}

/** `gaussian:0.3` or `mask:0.5` as a {@link Noise}; BAD_ARGUMENT with an example otherwise. */
export function parseNoise(text: string): Noise {
  const m = /^(gaussian|mask):(\d*\.?\d+(?:e-?\d+)?)$/i.exec(text.trim());
  if (!m) {
    throw new AeError(
      'BAD_ARGUMENT',
      `Noise "${text}" is not KIND:LEVEL; use gaussian:SIGMA (e.g. gaussian:0.3) or mask:FRACTION (e.g. mask:0.5).`,
    );
  }
  const level = Number(m[2]);
  return checkNoise(
    m[1].toLowerCase() === 'gaussian'
      ? { kind: 'gaussian', sigma: level }
      : { kind: 'mask', fraction: level },
  );
}

/** `gaussian:0.3` / `mask:0.5`: the form parseNoise reads. */
export function formatNoise(noise: Noise): string {
  return noise.kind === 'gaussian' ? `gaussian:${noise.sigma}` : `mask:${noise.fraction}`;
}
