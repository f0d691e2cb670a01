import { plural } from '../ae-demo/words.ts';
import { GRID, MNIST_SHAPE, VAE_SPAN, type Range, type WalkFrame } from './walk-plane.ts';

/** What the walk calls an image: MNIST's are digits; an author's images of another shape are images. */
export const noun = (f: WalkFrame) =>
  f.shape.rows === MNIST_SHAPE.rows && f.shape.cols === MNIST_SHAPE.cols ? 'digit' : 'image';

/** A coordinate as the walk writes it: −1.25. */
const fixed = (v: number) => v.toFixed(2).replace('-', '−');

const range = (r: Range) => `${fixed(r[0])} to ${fixed(r[1])}`;

/** Where the point is, in words (the slider's value text and the point canvas's `data-point`). */
export function pointText(f: WalkFrame, point: { x: number; y: number }): string {
  return `z${f.dimX + 1} = ${fixed(point.x)} across, z${f.dimY + 1} = ${fixed(point.y)} up`;
}

/** What the walk's axes span, in words. */
function spanText(f: WalkFrame): string {
  const n = noun(f);
  if (f.kind === 'vae')
    return f.anchor
      ? ` (${VAE_SPAN} standard deviations of its prior either side of the ${n}'s code)`
      : ' (standard deviations of its prior)';
  return f.anchor
    ? ` (as wide as the 1st to 99th percentile of the test ${n}s' codes, centred on the ${n}'s code)`
    : ` (the 1st to 99th percentile of the test ${n}s' codes)`;
}

/** What the walk holds the other dimensions at, in words. */
function heldText(f: WalkFrame): string {
  const others = f.latentSize - 2;
  const a = f.anchor;
  const n = noun(f);
  if (a) {
    const label = a.label === undefined ? '' : ` (a ${a.label})`;
    const code = `the code of test ${n} #${a.index}${label}${f.kind === 'vae' ? ', its means μ' : ''}`;
    return others > 0
      ? `The other ${plural(others, 'dimension')} stay at ${code}; the grid's middle decodes that ${n}.`
      : `The grid is centred on ${code}, so its middle decodes that ${n}.`;
  }
  if (others === 0) return '';
  return f.kind === 'vae'
    ? `The other ${plural(others, 'dimension')} stay at 0, the prior's mean.`
    : `The other ${plural(others, 'dimension')} stay at the test ${n}s' mean code.`;
}

/** The walk's summary: what the grid shows, and how to move the point. */
export function walkSummary(f: WalkFrame): string {
  const by = f.kind === 'vae' ? 'the VAE' : 'the autoencoder';
  return [
    noun(f) === 'digit'
      ? `${GRID} × ${GRID} digits decoded by ${by} from a grid of latent points:`
      : `${GRID} × ${GRID} images of ${f.shape.rows} × ${f.shape.cols} pixels decoded by ${by} from a grid of latent points:`,
    `z${f.dimX + 1} runs across from ${range(f.x)} and z${f.dimY + 1} up from ${range(f.y)}${spanText(f)}.`,
    heldText(f),
    'Drag the point, or focus it and use the arrow keys, to decode any point in between.',
  ]
    .filter(Boolean)
    .join(' ');
}
