import type { BackendInfo, EpochReport, PcaSummary, TaskProgress } from '../../worker/bridge.ts';
import type { TrainMethod } from '../../core/settings.ts';

/** What the element is doing, shown in words. */
export type AeDemoPhase = 'idle' | 'loading' | 'computing' | 'ready' | 'cancelled' | 'error';

/** `detail` of the `ae-progress` event. */
export interface AeProgressDetail {
  phase: AeDemoPhase;
  stage: TaskProgress['stage'];
  fraction: number;
}

/** `detail` of the `ae-error` event. */
export interface AeErrorDetail {
  code: string;
  message: string;
}

/** `detail` of the `ae-ready` event. */
export interface AeReadyDetail {
  samples: number;
  componentsFor90: number;
  varianceAt90: number;
  timingsMs: PcaSummary['timingsMs'];
  kernel: PcaSummary['kernel'];
}

/** `detail` of the `ae-train-epoch` event: one finished epoch. */
export type AeTrainEpochDetail = EpochReport;

/** `detail` of the `ae-trained` event. */
export interface AeTrainedDetail {
  /** What was trained: `ae` (an autoencoder) or `vae`. */
  kind: TrainMethod;
  /** Test MSE per pixel (autoencoder) or the VAE's loss per digit, over `testCount` test digits. */
  testScore: number;
  testCount: number;
  epochs: number;
  latentSize: number;
  seed: number;
  /** Digits it trained on. */
  trainCount: number;
  samplesPerSecond: number;
  backend: BackendInfo;
}

/** `detail` of the `ae-train-progress` event: at most one per animation frame while training. */
export interface AeTrainProgressDetail {
  kind: TrainMethod;
  /** The run's fraction done, 0..1. */
  fraction: number;
  /** The epoch running now (1-based) and how many the run has. */
  epoch: number;
  epochs: number;
  /** Training digits per second; null until it can be measured. */
  samplesPerSecond: number | null;
  /** Seconds left at this pace; null until it can be estimated. */
  etaSeconds: number | null;
  paused: boolean;
}

/** The element's events by name: the one list TypeScript and the emitter read. */
export interface AeDemoEventDetails {
  'ae-progress': AeProgressDetail;
  'ae-ready': AeReadyDetail;
  'ae-error': AeErrorDetail;
  'ae-train-progress': AeTrainProgressDetail;
  'ae-train-epoch': AeTrainEpochDetail;
  'ae-trained': AeTrainedDetail;
}

/** Fires one of the element's events. */
export type Emit = <K extends keyof AeDemoEventDetails>(
  type: K,
  detail: AeDemoEventDetails[K],
) => void;

/**
 * The element's one way of firing its events: they bubble and cross the
 * shadow root. The one de-duplication policy: an `ae-error` whose code and
 * message were already fired while the element is connected is not fired
 * again (a figure that re-renders with the same failure, or every chart of a
 * chart module that could not load, reports it once); `reset` starts afresh
 * when the element is connected again.
 */
export class Emitter {
  private fired = new Set<string>();

  constructor(private readonly target: EventTarget) {}

  readonly emit: Emit = (type, detail) => {
    if (type === 'ae-error') {
      const { code, message } = detail as AeErrorDetail;
      const key = `${code}\n${message}`;
      if (this.fired.has(key)) return;
      this.fired.add(key);
    }
    this.target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  };

  /** Forgets the errors fired so far (a new connection reports them again). */
  reset(): void {
    this.fired.clear();
  }
}
