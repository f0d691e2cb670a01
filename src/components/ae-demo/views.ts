import { AeError } from '../../core/errors.ts';

/**
 * The figures and panels of `<ae-demo>`, by the names its `views` attribute
 * takes, in the order the element shows them.
 */
export const VIEW_NAMES = [
  'variance',
  'scatter',
  'mse',
  'reconstructions',
  'samples',
  'latent',
  'compare',
  'walk',
  'interpolate',
  'draw',
  'plane-curve',
  'denoise',
  'train',
] as const;

/** The views that need only the PCA; every other one uses the models (and loads TF.js). */
export const PCA_VIEWS = ['variance', 'scatter', 'mse'] as const;

/** One figure or panel of `<ae-demo>`. */
export type ViewName = (typeof VIEW_NAMES)[number];

/**
 * The views a `views` attribute asks for: names separated by spaces or commas,
 * or nothing (or "all") for every view. Throws BAD_ARGUMENT naming the valid
 * names when one is unknown.
 */
export function parseViews(value: string | null | undefined): ReadonlySet<ViewName> {
  const names = (value ?? '')
    .split(/[\s,]+/)
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return new Set(VIEW_NAMES);
  const unknown = names.filter((name) => !(VIEW_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new AeError(
      'BAD_ARGUMENT',
      `views="${value}" names ${unknown.map((n) => `"${n}"`).join(', ')}, which ` +
        `${unknown.length === 1 ? 'is not a view' : 'are not views'}; use any of ${VIEW_NAMES.join(', ')} (or "all").`,
    );
  }
  return new Set(names as ViewName[]);
}
