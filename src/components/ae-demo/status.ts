import type { TaskProgress } from '../../worker/bridge.ts';
import type { DemoStore } from '../store/store.ts';
import { number } from './words.ts';

const STAGE_WORDS: Record<TaskProgress['stage'], string> = {
  download: 'Loading the digits',
  gram: 'Computing the covariance matrix',
  spectrum: 'Computing all eigenvalues',
  eigenvectors: 'Finding the leading components (power iteration)',
  projection: 'Projecting the digits',
};
const STAGES = Object.keys(STAGE_WORDS) as TaskProgress['stage'][];

/** What the PCA is doing, in the words of the element's status line. */
export function pcaStatus(store: DemoStore): string {
  const { phase, progress } = store.pcaRun;
  switch (phase) {
    case 'idle':
      return 'Waiting to start.';
    case 'loading':
    case 'computing':
      return progress
        ? `${STAGE_WORDS[progress.stage]}… ${Math.round(100 * progress.fraction)} %`
        : 'Working…';
    case 'cancelled':
      return 'Cancelled.';
    case 'error':
      return 'Something went wrong; see the message below.';
    case 'ready': {
      const r = store.pca!.result;
      const engine = r.kernel.simd ? 'WebAssembly SIMD' : 'WebAssembly (no SIMD)';
      return `PCA of ${number(r.samples)} digits in ${(r.timingsMs.total / 1000).toFixed(2)} s (${engine}, in a worker).`;
    }
  }
}

/** Overall progress 0..1 over the PCA's stages, for the progress bar. */
export function pcaFraction(progress: TaskProgress | undefined): number {
  return progress ? (STAGES.indexOf(progress.stage) + progress.fraction) / STAGES.length : 0;
}
