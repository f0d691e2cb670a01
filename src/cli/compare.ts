/**
 * The heavy half of `ae-demo compare`: loads MNIST, fits PCA and trains one
 * autoencoder per latent size, all scored on the test images. Imported only
 * when the comparison runs, so parsing and --help never load TF.js.
 */
import { type CompareHooks, type CompareResult, compareLatentSizes } from '../core/compare.ts';
import { loadMnist } from '../core/data/node.ts';
import { throwIfAborted } from '../core/errors.ts';
import { type BackendInfo, initBackend } from '../core/models/backend.ts';
import { type CompareCommand, availableCores } from './args.ts';
import { startPool } from './pool.ts';
import { PROGRESS_INTERVAL_MS } from './train.ts';

/** What a comparison needs: the parsed command without its output format. */
export type CompareSetup = Omit<CompareCommand, 'command' | 'json'>;

/** Callbacks of {@link runCompare}. */
export type CompareRunHooks = Omit<CompareHooks, 'progressIntervalMs'>;

/** What {@link runCompare} resolves to. */
export interface CompareOutcome {
  result: CompareResult;
  backend: BackendInfo;
  timingsMs: { total: number };
  /** Autoencoders that trained at once. */
  jobs: number;
}

/** Compares autoencoders and PCA over the latent sizes `setup` lists, on MNIST. */
export async function runCompare(
  setup: CompareSetup,
  hooks: CompareRunHooks = {},
): Promise<CompareOutcome> {
  const t0 = performance.now();
  hooks.onStage?.('starting the WebAssembly backend');
  const backend = await initBackend();
  hooks.onStage?.('loading MNIST');
  const [train, test] = await Promise.all([loadMnist('train'), loadMnist('test')]);
  throwIfAborted(hooks.signal, 'The comparison');
  const { ks, preset, bottleneck, seed, epochs, trainSize } = setup;
  const jobs = Math.min(setup.jobs ?? availableCores(), ks.length);
  const pool = jobs > 1 ? startPool({ train, test }, { threads: jobs }) : undefined;
  try {
    const result = await compareLatentSizes(
      { train, test },
      { ks, preset, bottleneck, seed, epochs, trainSize },
      { ...hooks, progressIntervalMs: PROGRESS_INTERVAL_MS, runner: pool?.run },
    );
    return { result, backend, timingsMs: { total: performance.now() - t0 }, jobs };
  } finally {
    await pool?.close();
  }
}
