/**
 * The models controller is gone: its training run is store/training.ts,
 * its panel <ae-train> (train/) and its samples <ae-samples> (samples/).
 * Only these names are left, for the old play controller and host.ts,
 * which still import them from here; delete this file with them.
 */
export type { ActiveModel, ActiveModels, ModelOrigin as ReconSource } from '../store/store.ts';
