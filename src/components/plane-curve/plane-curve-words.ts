import type { ShapeComparison, ShapeName } from '../../worker/bridge.ts';

/** What each point set is, in a caption. */
export const SHAPE_TITLES: Readonly<Record<ShapeName, string>> = {
  plane: 'Near a tilted plane',
  curve: 'Near a curve (a helix)',
};

/** An error the way the sentences write it: three significant digits (0.110, 0.00207). */
export const mseText = (v: number): string => v.toPrecision(3);

/** A duration in milliseconds as the sentences write it: "2.1 s", "3 ms", "under 1 ms". */
export function durationText(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 1) return 'under 1 ms';
  return `${Math.round(ms)} ms`;
}

/**
 * The sentence of one point set: "On the curve the autoencoder's error is
 * 0.00207 against PCA's 0.110 (latent size 1; the autoencoder trained in
 * 2.1 s, PCA took 3 ms)."
 */
export function shapeSentence(r: ShapeComparison): string {
  return (
    `On the ${r.shape} the autoencoder's error is ${mseText(r.aeMse)} against PCA's ` +
    `${mseText(r.pcaMse)} (latent size ${r.latent}; the autoencoder trained in ` +
    `${durationText(r.aeMs)}, PCA took ${durationText(r.pcaMs)}).`
  );
}
