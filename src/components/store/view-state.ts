import type { Noise } from '../../core/noise.ts';
import type { TrainSettings } from '../../core/settings.ts';
import type { ViewName } from '../ae-demo/views.ts';

/** A model a figure shows. */
export type ViewModel = 'ae' | 'vae';

/** The walk's choices: model, dimensions (0-based), what the other dimensions are held at, the point. */
export interface WalkView {
  kind: ViewModel;
  dims: readonly [number, number];
  anchor: 'mean' | 'digit';
  /** The test digit the walk holds the other dimensions at, when `anchor` is `digit`. */
  index: number;
}

/**
 * The reader's choices that a link restores, kept for the whole life of the
 * element (across its stores) and read by the parts through `store.view`:
 * a new object whenever one changes, so a part tells a change by identity.
 */
export interface ViewChoices {
  /** The views a link asked for, over the author's `views` attribute; undefined: the author's. */
  views?: readonly ViewName[];
  /** The reader's training settings, over the author's attributes (the training panel's form). */
  train: Partial<TrainSettings>;
  latent: { kind: ViewModel; dims: readonly [number, number] };
  walk: WalkView;
  /** The walk's point in the latent plane; undefined: where the other dimensions are held. */
  walkPoint?: readonly [number, number];
  /** The two test digits the interpolation goes between. */
  interpolate: readonly [number, number];
  /**
   * The denoise view's noise level. The hook for that view: it reads and
   * sets it here (undefined: the view's own default), and links carry it.
   */
  noise?: Noise;
}

/** Where a change came from: the reader (a link should follow) or a link being applied. */
export type ViewOrigin = 'reader' | 'link';

/** The choices before the reader has made any. */
export const DEFAULT_VIEW: ViewChoices = {
  train: {},
  latent: { kind: 'vae', dims: [0, 1] },
  walk: { kind: 'vae', dims: [0, 1], anchor: 'mean', index: 0 },
  interpolate: [0, 1],
};

type Listener = (origin: ViewOrigin) => void;

/**
 * The element's view choices: one per `<ae-demo>`, outliving its stores
 * (a new `model-src` keeps the reader's choices). The store passes changes
 * on to the parts; the element's link follows the reader's.
 */
export class ViewState {
  private current: ViewChoices;
  private readonly listeners = new Set<Listener>();

  constructor(initial: ViewChoices = DEFAULT_VIEW) {
    this.current = initial;
  }

  /** The choices now (do not mutate: {@link update} makes a new object). */
  get value(): ViewChoices {
    return this.current;
  }

  /** Changes some choices and tells every listener at once, with where the change came from. */
  update(patch: Partial<ViewChoices>, origin: ViewOrigin = 'reader'): void {
    this.current = { ...this.current, ...patch };
    for (const listener of [...this.listeners]) listener(origin);
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
