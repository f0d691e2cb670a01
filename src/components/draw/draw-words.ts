import { majority } from '../shared/play-math.ts';

/** One method's take on the drawn digit. */
export interface Rebuilt {
  pixels: Float32Array;
  mse: number;
}

/** An image shape, rows × cols. */
export interface Shape {
  rows: number;
  cols: number;
}

/** Where the drawn digit lands and how each method rebuilds it. */
export interface DrawResult {
  input: Uint8Array;
  /** The images' shape the drawing was centred into (28 × 28, or an author's). */
  shape: Shape;
  pca?: Rebuilt & {
    k: number;
    pc: [number, number];
    near: number[];
    /** The PCA's images' labels; none for an author's set without labels. */
    labels: Uint8Array | undefined;
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
  const mnist = d.shape.rows === 28 && d.shape.cols === 28;
  const noun = mnist ? 'digit' : 'image';
  if (p && !p.labels) {
    // Without labels there are no digits to name: the nearest image, by its number.
    const set = p.test ? `test ${noun}s` : `${noun}s`;
    parts.push(
      `On PC1–PC2 your ${mnist ? 'digit' : 'drawing'} lands nearest to ${noun} #${p.near[0]} of the ${set}.`,
    );
  } else if (p?.labels) {
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
      `With all ${a.latentSize} numbers of the autoencoder's code, its nearest test ${noun} is a ${d.testLabels[a.near]} (#${a.near}).`,
    );
  } else if (a?.near !== undefined) {
    parts.push(
      `With all ${a.latentSize} numbers of the autoencoder's code, its nearest test ${noun} is #${a.near}.`,
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
