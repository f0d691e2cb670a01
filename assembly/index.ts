/**
 * The PCA kernels' export list. Built twice from this source: with
 * `--enable simd` (v128 paths, selected by ASC_FEATURE_SIMD) and without.
 * The host (src/core/wasm/kernels.ts) owns the memory layout.
 */
export { reserve } from './memory';
export {
  colStatsU8,
  colStatsF32,
  gramScratchBytes,
  gramU8,
  gramF32,
  gramSparseBytes,
  gramSparseScratchBytes,
  gramSparseU8,
  gramSparseFlush,
  covariance,
} from './gram';
export { symEigenvalues, tridiagonalize, tql, tred2, sortDescending } from './eigen';
export {
  subspaceBytes,
  subspaceInit,
  subspaceRitz,
  subspaceRitzValues,
  subspaceAdvance,
  subspaceVectors,
  multiply,
} from './subspace';
export { projectU8, projectF32 } from './project';
export { adamStep } from './adam';

/** 1 when this build uses SIMD (v128) instructions, 0 otherwise. */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
