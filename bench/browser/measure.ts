/**
 * Training throughput of the notebook AE and VAE through the real `train()` loop, shared by
 * the Node benchmark (bench/train.ts) and the Chromium bench page (bench/browser/worker.ts).
 * No Node or DOM imports: it runs in Node, a page or a worker.
 */
import type { ImageView } from '../../src/core/models/batches.ts';
import { type BackendInfo, initBackend, tf } from '../../src/core/models/backend.ts';
import { createAutoencoder } from '../../src/core/models/autoencoder.ts';
import type { TrainableModel } from '../../src/core/models/model.ts';
import { getPreset } from '../../src/core/models/presets.ts';
import { train } from '../../src/core/models/train.ts';
import { createVae } from '../../src/core/models/vae.ts';

export type Kind = 'ae' | 'vae';
/** wasm with the kernels as shipped, wasm with src/core/models/matmul-fix.ts, TF.js's cpu. */
export type Variant = 'shipped' | 'fixed' | 'cpu';

export const KINDS: readonly Kind[] = ['ae', 'vae'];
export const VARIANTS: readonly Variant[] = ['shipped', 'fixed', 'cpu'];

/** The target of the training issue: notebook AE, wasm with the fix, one thread. */
export const TARGET_AE_SAMPLES_PER_SECOND = 3500;

/** How much to train. */
export interface BenchPlan {
  kinds: readonly Kind[];
  variants: readonly Variant[];
  /** Training images per timed wasm run (one epoch); a multiple of both batch sizes. */
  images: number;
  /** Training images per timed cpu run (one epoch). */
  cpuImages: number;
  /** Timed runs per wasm variant; the variants take turns, so drift hits them alike. */
  rounds: number;
  /** Batches trained before each timed run and not counted. */
  warmupBatches: number;
}

/** One model on one variant. */
export interface Measurement {
  kind: Kind;
  variant: Variant;
  batchSize: number;
  /** Images per timed run. */
  images: number;
  /** samples/s of each timed run, in order. */
  runs: number[];
  /** Median of `runs`. */
  samplesPerSecond: number;
  msPerStep: number;
  backend: BackendInfo;
}

/** Command-line options shared by bench/train.ts and bench/browser/run.ts. */
export interface BenchArgs {
  plan: BenchPlan;
  quick: boolean;
  json: boolean;
}

/**
 * Reads `--quick`, `--json`, `--images N`, `--cpu-images N` and `--rounds N` from `argv`.
 * Image counts default to multiples of 128 (the AE's batch, so also the VAE's 64): every
 * step is a full batch.
 */
export function parseBenchArgs(argv: string[], variants: readonly Variant[]): BenchArgs {
  const quick = argv.includes('--quick');
  const num = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    if (i < 0) return fallback;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 1) {
      throw new Error(`${name} needs a whole number ≥ 1, got ${String(argv[i + 1])}.`);
    }
    return v;
  };
  return {
    quick,
    json: argv.includes('--json'),
    plan: {
      kinds: KINDS,
      variants,
      images: num('--images', quick ? 1280 : 3840),
      cpuImages: num('--cpu-images', quick ? 256 : 512),
      rounds: num('--rounds', quick ? 1 : 3),
      warmupBatches: 3,
    },
  };
}

/** The notebook's batch size and learning rate for `kind` (src/core/models/presets.ts). */
export function notebookTraining(kind: Kind): { batchSize: number; learningRate: number } {
  const { batchSize, learningRate } = getPreset(kind, 'notebook').training;
  return { batchSize, learningRate };
}

async function use(variant: Variant): Promise<BackendInfo> {
  return variant === 'cpu'
    ? initBackend({ backend: 'cpu' })
    : initBackend({ backend: 'wasm', fixTransposedMatMul: variant === 'fixed' });
}

function createModel(kind: Kind): TrainableModel {
  return kind === 'ae' ? createAutoencoder() : createVae();
}

/** Samples/s of one epoch of `train()` over `view` on a fresh notebook model, after a warm-up. */
async function timedRun(kind: Kind, view: ImageView, warmupBatches: number): Promise<number> {
  const { batchSize, learningRate } = notebookTraining(kind);
  const model = createModel(kind);
  try {
    const warmup = { ...view, indices: view.indices.subarray(0, warmupBatches * batchSize) };
    await train(model, warmup, { epochs: 1, batchSize, learningRate, shuffle: false });
    // train() times its epochs itself, without the optimizer's set-up or validation (none here).
    const result = await train(model, view, { epochs: 1, batchSize, learningRate, seed: 7 });
    return result.samplesPerSecond;
  } finally {
    model.dispose();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs the plan on `data` (at least `plan.images` images): per kind, `rounds` rounds in which
 * each wasm variant trains once, then cpu once on fewer images. `onRun` hears every timed run.
 */
export async function runBench(
  data: ImageView,
  plan: BenchPlan,
  onRun?: (kind: Kind, variant: Variant, samplesPerSecond: number) => void,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const kind of plan.kinds) {
    const { batchSize } = notebookTraining(kind);
    const byVariant = new Map<Variant, Measurement>();
    for (let round = 0; round < plan.rounds; round++) {
      for (const variant of plan.variants) {
        if (variant === 'cpu' && round > 0) continue;
        const images = variant === 'cpu' ? plan.cpuImages : plan.images;
        const backend = await use(variant);
        const view = { ...data, indices: data.indices.subarray(0, images) };
        const sps = await timedRun(kind, view, plan.warmupBatches);
        onRun?.(kind, variant, sps);
        const m = byVariant.get(variant) ?? {
          kind,
          variant,
          batchSize,
          images,
          runs: [],
          samplesPerSecond: 0,
          msPerStep: 0,
          backend,
        };
        m.runs.push(sps);
        byVariant.set(variant, m);
      }
    }
    for (const variant of plan.variants) {
      const m = byVariant.get(variant)!;
      m.samplesPerSecond = median(m.runs);
      m.msPerStep = (1000 * batchSize) / m.samplesPerSecond;
      out.push(m);
    }
  }
  const leaked = tf.memory().numTensors;
  if (leaked > 0) throw new Error(`The benchmark leaked ${leaked} tensors.`);
  return out;
}

/** `fixed`'s samples/s over `other`'s for `kind`, or undefined when either is missing. */
export function ratio(ms: Measurement[], kind: Kind, other: Variant): number | undefined {
  const get = (v: Variant) => ms.find((m) => m.kind === kind && m.variant === v);
  const fixed = get('fixed');
  const base = get(other);
  return fixed && base ? fixed.samplesPerSecond / base.samplesPerSecond : undefined;
}

const LABEL: Record<Variant, string> = {
  shipped: 'wasm shipped',
  fixed: 'wasm fixed',
  cpu: 'cpu',
};

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const pad = (s: string, n: number) => s.padStart(n);

/** The results as a table: one line per model and variant, then the ratios. */
export function formatTable(ms: Measurement[]): string[] {
  const lines = [
    `${'model'.padEnd(6)}${'variant'.padEnd(14)}${pad('batch', 6)}${pad('images', 8)}` +
      `${pad('samples/s', 11)}${pad('ms/step', 9)}  runs (samples/s)`,
  ];
  for (const m of ms) {
    lines.push(
      `${m.kind.toUpperCase().padEnd(6)}${LABEL[m.variant].padEnd(14)}${pad(String(m.batchSize), 6)}` +
        `${pad(int(m.images), 8)}${pad(int(m.samplesPerSecond), 11)}${pad(m.msPerStep.toFixed(1), 9)}` +
        `  ${m.runs.map(int).join(', ')}`,
    );
  }
  const kinds = [...new Set(ms.map((m) => m.kind))];
  const x = (r: number | undefined) => (r === undefined ? 'n/a' : `${r.toFixed(2)}×`);
  lines.push('', `${'ratios'.padEnd(6)}${pad('fixed/shipped', 15)}${pad('fixed/cpu', 11)}`);
  for (const kind of kinds) {
    lines.push(
      `${kind.toUpperCase().padEnd(6)}${pad(x(ratio(ms, kind, 'shipped')), 15)}` +
        `${pad(x(ratio(ms, kind, 'cpu')), 11)}`,
    );
  }
  return lines;
}

/** Whether the notebook AE on wasm with the fix reaches the target, and by how much. */
export function targetCheck(ms: Measurement[]): {
  samplesPerSecond: number;
  target: number;
  met: boolean;
  line: string;
} | null {
  const ae = ms.find((m) => m.kind === 'ae' && m.variant === 'fixed');
  if (!ae) return null;
  const target = TARGET_AE_SAMPLES_PER_SECOND;
  const sps = ae.samplesPerSecond;
  const met = sps >= target;
  const pct = Math.abs((sps / target - 1) * 100).toFixed(0);
  const line =
    `target ≥ ${int(target)} samples/s, notebook AE on wasm with the fix: ` +
    (met
      ? `met (${int(sps)}, ${pct}% above)`
      : `missed by ${int(target - sps)} samples/s (${int(sps)}, ${pct}% short)`);
  return { samplesPerSecond: sps, target, met, line };
}
