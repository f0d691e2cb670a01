import { majority } from '../shared/play-math.ts';

/** One method's take on the drawn digit. */
export interface Rebuilt {
  pixels: Float32Array;
  mse: number;
}

/** Where the drawn digit lands and how each method rebuilds it. */
export interface DrawResult {
  input: Uint8Array;
  pca?: Rebuilt & {
    k: number;
    pc: [number, number];
    near: number[];
    labels: Uint8Array;
    test: boolean;
  };
  ae?: Rebuilt & { code: Float32Array; near?: number; latentSize: number };
  vae?: Rebuilt;
  testLabels?: Uint8Array;
}

/** The draw pad's summary: where the digit lands among the digits, and each method's error. */
export function drawSummary(d: DrawResult): string {
  const parts: string[] = [];
  const p = d.pca;
  if (p) {
    const m = majority(p.labels, p.near);
    const set = p.test ? 'test digits' : 'digits';
    const first = p.near[0];
    parts.push(
      `Your digit lands ${2 * m.count > p.near.length ? 'among' : 'mostly near'} the ${m.label}s on PC1–PC2: ${m.count} of its ${p.near.length} nearest ${set} there are ${m.label}s; the nearest is a ${p.labels[first]} (#${first}).`,
    );
  }
  const a = d.ae;
  if (a?.near !== undefined && d.testLabels) {
    parts.push(
      `With all ${a.latentSize} numbers of the autoencoder's code, its nearest test digit is a ${d.testLabels[a.near]} (#${a.near}).`,
    );
  }
  const scores = [
    p && `${p.mse.toFixed(4)} by PCA (${p.k} components)`,
    a && `${a.mse.toFixed(4)} by the autoencoder`,
    d.vae && `${d.vae.mse.toFixed(4)} by the VAE`,
  ].filter(Boolean);
  if (scores.length) parts.push(`Rebuilt with MSE ${scores.join(', ')}.`);
  return parts.join(' ');
}
