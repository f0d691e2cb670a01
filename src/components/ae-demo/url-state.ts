/**
 * The state of `<ae-demo>` in a page URL's fragment (its `url-state`
 * attribute), as TensorFlow Playground keeps its own: plain text, no DOM,
 * so that Node tests it. A fragment is pairs `key=value` separated by `&`;
 * the element's keys start with `ae.` (or `ae.<id>.` for an element with an
 * id, so that several share one page), and every other pair (a docs page's
 * `#installation`, another tool's `x=1`) is kept as it was and never read.
 *
 *     #ae.views=latent,walk&ae.method=vae&ae.latent=2&ae.seed=7&ae.walk-point=0.5,-1.25
 *
 * Reading never throws: a value that is not valid is left out and named in
 * an error message, the rest applies.
 */
import { AeError } from '../../core/errors.ts';
import { formatNoise, parseNoise, type Noise } from '../../core/noise.ts';
import type { TrainMethod } from '../../core/settings.ts';
import { checkMethod, checkSetting, SETTING_LIMITS } from './train-settings.ts';
import { VIEW_NAMES, type ViewName } from './views.ts';

/** A model the latent view or the walk shows. */
export type LinkModel = 'ae' | 'vae';

/**
 * What a link says about the element; a field left out is not in the link
 * (the element keeps what it has). Dimensions are 0-based here and 1-based
 * in the link, as the figures name them (z1, z2).
 */
export interface LinkState {
  /** The views shown, in the element's order; all of them as `views=all`. */
  views?: readonly ViewName[];
  method?: TrainMethod;
  latent?: number;
  epochs?: number;
  trainSize?: number;
  seed?: number;
  /** The latent view's model and its two dimensions. */
  latentModel?: LinkModel;
  latentDims?: readonly [number, number];
  /** The walk's model, its two dimensions, what it holds the others at, and its point. */
  walkModel?: LinkModel;
  walkDims?: readonly [number, number];
  /** `mean`, or the index of the test digit whose code the walk holds. */
  walkAnchor?: 'mean' | number;
  walkPoint?: readonly [number, number];
  /** The two test digits the interpolation goes between. */
  interpolate?: readonly [number, number];
  /** The denoise view's noise (`gaussian:0.3`, `mask:0.5`). */
  noise?: Noise;
}

/** What reading a fragment gives: the state it holds for this element and why some of it was left out. */
export interface ReadLink {
  state: LinkState;
  /** One message per value left out, naming the key and what is valid. */
  errors: string[];
  /** Whether the fragment has any pair for this element. */
  found: boolean;
}

/** The namespace of every key of the element's state. */
export const LINK_NAMESPACE = 'ae.';

interface Field<K extends keyof LinkState> {
  key: string;
  /** Reads the value; throws BAD_ARGUMENT, with `subject` naming the pair, when it is not valid. */
  parse(text: string, subject: string): NonNullable<LinkState[K]>;
  format(value: NonNullable<LinkState[K]>): string;
}

const bad = (subject: string, what: string) => new AeError('BAD_ARGUMENT', `${subject} ${what}`);

/** A whole number from `min` to `max`. */
function whole(text: string, subject: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw bad(subject, `must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

/** Two values separated by a comma. */
function pair(text: string, subject: string, what: string): [string, string] {
  const parts = text.split(',');
  if (parts.length !== 2) throw bad(subject, `must be two ${what} separated by a comma.`);
  return [parts[0], parts[1]];
}

const [, LATENT_MAX] = SETTING_LIMITS.latent;
/** Test digit indices: the set's size is known only once it is loaded; the figure checks the range. */
const INDEX_MAX = 9_999_999;

function model(text: string, subject: string): LinkModel {
  if (text === 'ae' || text === 'vae') return text;
  throw bad(subject, 'must be "ae" (the autoencoder) or "vae".');
}

function dims(text: string, subject: string): [number, number] {
  const [a, b] = pair(text, subject, 'latent dimensions');
  const one = (t: string) => {
    const n = Number(t);
    if (t.trim() === '' || !Number.isInteger(n) || n < 1 || n > LATENT_MAX) {
      throw bad(subject, `must be two latent dimensions from 1 to ${LATENT_MAX}, such as 1,2.`);
    }
    return n - 1;
  };
  const d: [number, number] = [one(a), one(b)];
  if (d[0] === d[1]) throw bad(subject, 'must be two different latent dimensions, such as 1,2.');
  return d;
}

function digits(text: string, subject: string): [number, number] {
  const [a, b] = pair(text, subject, 'test digit numbers');
  return [whole(a, subject, 0, INDEX_MAX), whole(b, subject, 0, INDEX_MAX)];
}

/** A coordinate in the link: at most 4 decimals, no "-0". */
function coordinate(v: number): string {
  const text = String(Number(v.toFixed(4)));
  return text === '-0' ? '0' : text;
}

const setting =
  (name: 'latent' | 'epochs' | 'trainSize' | 'seed') => (text: string, subject: string) =>
    checkSetting(name, text, subject);

/** The keys of a link, in the order it writes them. */
const FIELDS: { [K in keyof LinkState]-?: Field<K> } = {
  views: {
    key: 'views',
    parse(text, subject) {
      const names = text.split(',').filter(Boolean);
      if (names.length === 1 && names[0] === 'all') return VIEW_NAMES;
      const unknown = names.filter((n) => !(VIEW_NAMES as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) {
        throw bad(subject, `must be "all" or views separated by commas: ${VIEW_NAMES.join(', ')}.`);
      }
      return VIEW_NAMES.filter((v) => names.includes(v));
    },
    format: (views) => (views.length === VIEW_NAMES.length ? 'all' : views.join(',')),
  },
  method: {
    key: 'method',
    parse(text, subject) {
      try {
        return checkMethod(text);
      } catch {
        throw bad(subject, 'must be "ae" (an autoencoder) or "vae" (a variational autoencoder).');
      }
    },
    format: String,
  },
  latent: { key: 'latent', parse: setting('latent'), format: String },
  epochs: { key: 'epochs', parse: setting('epochs'), format: String },
  trainSize: { key: 'train-size', parse: setting('trainSize'), format: String },
  seed: { key: 'seed', parse: setting('seed'), format: String },
  latentModel: { key: 'latent-model', parse: model, format: String },
  latentDims: { key: 'latent-dims', parse: dims, format: ([a, b]) => `${a + 1},${b + 1}` },
  walkModel: { key: 'walk-model', parse: model, format: String },
  walkDims: { key: 'walk-dims', parse: dims, format: ([a, b]) => `${a + 1},${b + 1}` },
  walkAnchor: {
    key: 'walk-anchor',
    parse(text, subject) {
      if (text === 'mean') return 'mean';
      try {
        return whole(text, subject, 0, INDEX_MAX);
      } catch {
        throw bad(subject, 'must be "mean" or the number of a test digit (0 or more).');
      }
    },
    format: String,
  },
  walkPoint: {
    key: 'walk-point',
    parse(text, subject) {
      const [x, y] = pair(text, subject, 'numbers').map(Number);
      const ok = (t: string) => t.trim() !== '' && Number.isFinite(Number(t));
      if (!text.split(',').every(ok)) throw bad(subject, 'must be two numbers, such as 0.5,-1.25.');
      return [x, y];
    },
    format: ([x, y]) => `${coordinate(x)},${coordinate(y)}`,
  },
  interpolate: {
    key: 'interpolate',
    parse: digits,
    format: ([a, b]) => `${a},${b}`,
  },
  noise: {
    key: 'noise',
    parse(text, subject) {
      try {
        return parseNoise(text);
      } catch (error) {
        throw bad(subject, `is not a noise: ${(error as Error).message}`);
      }
    },
    format: formatNoise,
  },
};

const FIELD_NAMES = Object.keys(FIELDS) as (keyof LinkState)[];
const BY_KEY = new Map(FIELD_NAMES.map((name) => [FIELDS[name].key, name]));

/** The prefix of an element's keys: `ae.`, or `ae.<id>.` for an element with an id. */
export function linkPrefix(id?: string): string {
  return id ? `${LINK_NAMESPACE}${encodeURIComponent(id)}.` : LINK_NAMESPACE;
}

/** A fragment's pairs, as written (no `#`); an empty fragment has none. */
function pairsOf(hash: string): string[] {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  return text ? text.split('&') : [];
}

/** The element (id, or '' for none) and key a raw pair names, if it is the element's; undefined for a foreign pair. */
function ownKey(raw: string): { id: string; key: string } | undefined {
  const name = raw.split('=', 1)[0];
  if (!name.startsWith(LINK_NAMESPACE)) return undefined;
  const rest = name.slice(LINK_NAMESPACE.length);
  const dot = rest.lastIndexOf('.');
  let id: string;
  try {
    id = dot < 0 ? '' : decodeURIComponent(rest.slice(0, dot));
  } catch {
    id = rest.slice(0, dot);
  }
  return { id, key: rest.slice(dot + 1) };
}

/** `text` percent-decoded, or undefined when it is not valid percent-encoding. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The state a fragment (`location.hash`, with or without `#`) holds for the
 * element with `id` (none: the keys without one). Never throws: pairs of
 * other elements and foreign pairs are ignored silently; each of the
 * element's own pairs that is not valid is left out, with a message naming
 * it and what is valid.
 */
export function readLink(hash: string, id?: string): ReadLink {
  const state: LinkState = {};
  const errors: string[] = [];
  let found = false;
  for (const raw of pairsOf(hash)) {
    const own = ownKey(raw);
    if (!own || own.id !== (id ?? '')) continue;
    found = true;
    const eq = raw.indexOf('=');
    const keyText = raw.slice(0, eq < 0 ? undefined : eq);
    const value = eq < 0 ? undefined : decoded(raw.slice(eq + 1));
    const name = BY_KEY.get(own.key);
    if (!name) {
      errors.push(
        `${keyText} is not part of the element's link; its keys are ${[...BY_KEY.keys()].join(', ')}.`,
      );
      continue;
    }
    if (value === undefined) {
      errors.push(
        eq < 0
          ? `${keyText} has no value (write ${keyText}=…).`
          : `${keyText} has a value that is not valid percent-encoding.`,
      );
      continue;
    }
    try {
      // A string cast: each field's parse returns its own key's type.
      (state as Record<string, unknown>)[name] = FIELDS[name].parse(value, `${keyText}="${value}"`);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { state, errors, found };
}

/** A value in a fragment: percent-encoded, but with the commas and colons of lists left readable. */
function encodeValue(text: string): string {
  return encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** The element's pairs for `state` (only the fields it has, each valid), in the link's order. */
export function linkPairs(state: LinkState, id?: string): string[] {
  const prefix = linkPrefix(id);
  const pairs: string[] = [];
  for (const name of FIELD_NAMES) {
    const value = state[name];
    if (value === undefined) continue;
    const field = FIELDS[name] as Field<typeof name>;
    const text = field.format(value as never);
    // A value the reader has half-typed (an empty number field) is not written.
    if (readLink(`${prefix}${field.key}=${encodeValue(text)}`, id).errors.length) continue;
    pairs.push(`${prefix}${field.key}=${encodeValue(text)}`);
  }
  return pairs;
}

/**
 * `hash` with the element's pairs replaced by those of `state`: foreign
 * pairs and other elements' pairs stay where they were, the element's go
 * where its first one was (or at the end). Returns the fragment with its
 * `#`, or '' when nothing is left.
 */
export function writeLink(hash: string, state: LinkState, id?: string): string {
  const mine = linkPairs(state, id);
  const out: string[] = [];
  let placed = false;
  for (const raw of pairsOf(hash)) {
    const own = ownKey(raw);
    if (own && own.id === (id ?? '')) {
      if (!placed) out.push(...mine);
      placed = true;
    } else {
      out.push(raw);
    }
  }
  if (!placed) out.push(...mine);
  return out.length ? `#${out.join('&')}` : '';
}
