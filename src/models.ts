/**
 * ae-demo's training API for scripts (Node, workers, pages): the TF.js
 * backend, the AE and VAE factories, presets, the training loop, inference,
 * artifacts and the AE-vs-PCA comparison. A separate entry point from
 * `ae-demo`, so that PCA alone never loads TF.js. Node file helpers are in
 * `ae-demo/node`.
 */
export {
  initBackend,
  threadsPay,
  tf,
  type BackendInfo,
  type InitBackendOptions,
} from './core/models/backend.ts';
export {
  createAutoencoder,
  DEFAULT_AE_CONFIG,
  type AeConfig,
  type AeLoss,
  type Autoencoder,
} from './core/models/autoencoder.ts';
export {
  createVae,
  DEFAULT_VAE_CONFIG,
  type Vae,
  type VaeConfig,
  type VaeLoss,
} from './core/models/vae.ts';
export type { Activation, TrainableModel } from './core/models/model.ts';
export {
  AE_PRESETS,
  VAE_PRESETS,
  getPreset,
  selectData,
  presetTrainOptions,
  type AePreset,
  type VaePreset,
  type TrainingPreset,
} from './core/models/presets.ts';
export { viewOf, kerasValidationSplit, type ImageView } from './core/models/batches.ts';
export {
  train,
  TrainingControl,
  type TrainOptions,
  type TrainResult,
  type EpochProgress,
  type BatchProgress,
  type EarlyStopping,
} from './core/models/train.ts';
export {
  runPreset,
  type Run,
  type RunSpec,
  type RunHooks,
  type RunPlan,
} from './core/models/run.ts';
export {
  encodeImages,
  reconstructImages,
  decodeLatents,
  sampleFromPrior,
  evaluate,
} from './core/models/inference.ts';
export {
  saveArtifacts,
  loadArtifacts,
  toModelFiles,
  fromModelFiles,
  type LayersModelFiles,
} from './core/models/artifacts.ts';
export {
  compareLatentSizes,
  countDeadUnits,
  type CompareOptions,
  type CompareResult,
  type CompareRow,
} from './core/compare.ts';
