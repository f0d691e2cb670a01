/**
 * ae-demo's public API for scripts (Node, workers, pages). The `<ae-demo>`
 * element is defined by importing `src/components/ae-demo/ae-demo.ts`.
 */
export { AeError, type AeErrorCode } from './core/errors.ts';
export {
  parseIdxImages,
  parseIdxLabels,
  parseIdxDataset,
  encodeIdxImages,
  encodeIdxLabels,
  imageAsFloats,
  type Dataset,
  type IdxImages,
} from './core/data/idx.ts';
export { loadIdxDataset, maybeGunzip, fetchBytes } from './core/data/load.ts';
export {
  pca,
  type KernelFlavor,
  type PcaInput,
  type PcaOptions,
  type PcaProgress,
  type PcaResult,
} from './core/pca.ts';
