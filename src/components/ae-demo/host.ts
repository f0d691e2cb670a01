import type { DatasetSummary, PcaSummary, WorkerBridge } from '../../worker/bridge.ts';
import type { ChartTheme } from '../charts/charts.ts';
import type { ActiveModels } from './models.controller.ts';
import type { ViewName } from './views.ts';

/** The latent codes of every test digit under one model (the VAE's μ): count × latentSize. */
export interface TestCodes {
  count: number;
  latentSize: number;
  codes: Float32Array;
}

/** The PCA the element has drawn: its dataset (with labels) and the summary. */
export interface PcaState {
  dataset: DatasetSummary;
  result: PcaSummary;
  /** Whether it is the bundled test set, the digits the models are scored on. */
  isTestSet: boolean;
}

/**
 * What `<ae-demo>` gives the controllers that draw its figures. Each getter
 * reads the element's current state; the element re-renders (and so calls
 * every controller's hostUpdated) whenever it changes.
 */
export interface AeDemoHooks {
  bridge(): WorkerBridge | undefined;
  theme(): ChartTheme;
  emit<T>(type: string, detail: T): void;
  /** Shows in `box` that its chart could not be drawn, and fires `ae-error` (once per message). */
  chartFailed(box: HTMLElement, error: unknown): void;
  /** Whether the author's `views` attribute asks for this view. */
  shown(view: ViewName): boolean;
  /** The PCA once it is drawn, else undefined. */
  pca(): PcaState | undefined;
  /** The autoencoder and VAE the figures use now, once loaded. */
  models(): ActiveModels;
  /**
   * The test digits' codes under model `modelId`, encoded once in the worker
   * and shared by every figure that needs them (the latent scatter, the walk,
   * the draw pad). Forgotten when the model is no longer shown.
   */
  testCodes(modelId: string): Promise<TestCodes>;
  /** Whether the reader asked for reduced motion (prefers-reduced-motion). */
  reducedMotion(): boolean;
}
