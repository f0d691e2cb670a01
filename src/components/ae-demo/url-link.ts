import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { TrainSettings } from '../../core/settings.ts';
import type { ViewChoices, ViewOrigin, ViewState } from '../store/view-state.ts';
import type { AeErrorDetail } from './events.ts';
import { readLink, writeLink, type LinkState } from './url-state.ts';
import type { ViewName } from './views.ts';

/** How long the state rests before the URL follows it: a drag of the walk's point is one write. */
export const WRITE_DELAY_MS = 300;

/** What the link reads of `<ae-demo>`. */
export interface LinkHost {
  /** Whether the author opted in (`url-state`); read on every use. */
  urlState(): boolean;
  /** The element's id: its keys in the fragment are `ae.<id>.…` (none: `ae.…`). */
  id(): string;
  /** The element's view choices (see store/view-state.ts). */
  readonly view: ViewState;
  /** The views shown now. */
  shownViews(): readonly ViewName[];
  /** The settings the next training run would use (the author's, then the reader's). */
  trainSettings(): TrainSettings;
  /** A link changed the views shown. */
  viewsChanged(): void;
  emit(type: 'ae-error', detail: AeErrorDetail): void;
}

/** The link state of the element now: everything a link needs to reopen the same view. */
export function linkOf(
  choices: ViewChoices,
  views: readonly ViewName[],
  train: TrainSettings,
): LinkState {
  const { latent, walk } = choices;
  return {
    views,
    method: train.method,
    latent: train.latent,
    epochs: train.epochs,
    trainSize: train.trainSize,
    seed: train.seed,
    latentModel: latent.kind,
    latentDims: latent.dims,
    walkModel: walk.kind,
    walkDims: walk.dims,
    walkAnchor: walk.anchor === 'mean' ? 'mean' : walk.index,
    ...(choices.walkPoint ? { walkPoint: choices.walkPoint } : {}),
    interpolate: choices.interpolate,
    ...(choices.noise ? { noise: choices.noise } : {}),
  };
}

/** The change of view choices a link asks for: only what it holds; the rest stays as it is. */
export function choicesFrom(link: LinkState, now: ViewChoices): Partial<ViewChoices> {
  const patch: Partial<ViewChoices> = {};
  if (link.views) patch.views = link.views;
  const train: Partial<TrainSettings> = {};
  for (const key of ['method', 'latent', 'epochs', 'trainSize', 'seed'] as const) {
    if (link[key] !== undefined) Object.assign(train, { [key]: link[key] });
  }
  if (Object.keys(train).length) patch.train = { ...now.train, ...train };
  if (link.latentModel || link.latentDims) {
    patch.latent = {
      kind: link.latentModel ?? now.latent.kind,
      dims: link.latentDims ?? now.latent.dims,
    };
  }
  const anchor = link.walkAnchor;
  if (link.walkModel || link.walkDims || anchor !== undefined || link.walkPoint) {
    patch.walk = {
      kind: link.walkModel ?? now.walk.kind,
      dims: link.walkDims ?? now.walk.dims,
      anchor: anchor === undefined ? now.walk.anchor : anchor === 'mean' ? 'mean' : 'digit',
      index: typeof anchor === 'number' ? anchor : now.walk.index,
    };
    // A point belongs to its plane: a link that names the walk without one starts it at the centre.
    patch.walkPoint = link.walkPoint;
  }
  if (link.interpolate) patch.interpolate = link.interpolate;
  if (link.noise) patch.noise = link.noise;
  return patch;
}

/**
 * The element's state in the page URL, when the author opts in with
 * `url-state`: the fragment is read when the element connects (before its
 * first run) and whenever it changes (`hashchange`); the reader's changes
 * are written back with `history.replaceState` (no history entry each),
 * once the state has rested {@link WRITE_DELAY_MS}. Without `url-state` it
 * never reads or writes `location`. Also the "Copy link" button.
 */
export class UrlLink implements ReactiveController {
  /** Why parts of the last link read were ignored, one message each. */
  errors: string[] = [];
  /** What "Copy link" did: copied, or the link to copy by hand (no clipboard, or refused). */
  copied: { ok: true } | { ok: false; link: string } | undefined;

  private on = false;
  private unwatch: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private toEmit: string[] = [];

  constructor(
    private readonly element: ReactiveControllerHost,
    private readonly host: LinkHost,
  ) {
    element.addController(this);
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.stop();
  }

  hostUpdate(): void {
    // Fired with the element's update, after its own listeners can have been added.
    for (const message of this.toEmit)
      this.host.emit('ae-error', { code: 'BAD_ARGUMENT', message });
    this.toEmit = [];
  }

  /** Starts or stops following the URL as `url-state` says (on connect, and when it changes). */
  sync(): void {
    const wanted = this.host.urlState();
    if (wanted && !this.on) this.start();
    else if (!wanted && this.on) this.stop();
  }

  private start(): void {
    this.on = true;
    window.addEventListener('hashchange', this.onHashChange);
    this.unwatch = this.host.view.subscribe(this.onView);
    this.read();
  }

  private stop(): void {
    if (!this.on) return;
    this.on = false;
    window.removeEventListener('hashchange', this.onHashChange);
    this.unwatch?.();
    this.unwatch = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.errors = [];
    this.copied = undefined;
  }

  /** Applies the fragment's state for this element; a fragment without any is left alone. */
  private read(): void {
    const { state, errors, found } = readLink(location.hash, this.host.id() || undefined);
    if (this.errors.length || errors.length) this.element.requestUpdate();
    this.errors = errors;
    if (!found) return;
    this.toEmit.push(...errors);
    const before = this.host.view.value.views;
    this.host.view.update(choicesFrom(state, this.host.view.value), 'link');
    if (this.host.view.value.views !== before) this.host.viewsChanged();
    this.element.requestUpdate();
  }

  private onHashChange = () => this.read();

  private onView = (origin: ViewOrigin) => {
    if (origin !== 'reader') return;
    this.copied = undefined;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.write(), WRITE_DELAY_MS);
  };

  /** The URL of this page with the element's state in its fragment (other pairs kept). */
  link(): string {
    const { host } = this;
    const state = linkOf(host.view.value, host.shownViews(), host.trainSettings());
    const hash = writeLink(location.hash, state, host.id() || undefined);
    return `${location.href.replace(/#.*$/, '')}${hash}`;
  }

  private write(): void {
    this.timer = undefined;
    if (!this.on) return;
    const url = this.link();
    if (url !== location.href) history.replaceState(history.state, '', url);
  }

  /** "Copy link": to the clipboard, or shown in a field to copy by hand. */
  private onCopy = async () => {
    const link = this.link();
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      this.copied = { ok: true };
    } catch {
      this.copied = { ok: false, link };
    }
    this.element.requestUpdate();
  };

  /** The "Copy link" button and what it did; nothing without `url-state`. */
  render() {
    if (!this.on) return nothing;
    const copied = this.copied;
    return html`<div class="link" part="link">
      <button type="button" data-action="copy-link" @click=${this.onCopy}>Copy link</button>
      <span role="status" data-link-status
        >${copied?.ok ? 'Link copied.' : copied ? 'Copy this link:' : ''}</span
      >
      ${
        copied && !copied.ok
          ? html`<input
              type="text"
              readonly
              data-link
              aria-label="Link to this view"
              .value=${copied.link}
              @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
            />`
          : nothing
      }
    </div>`;
  }

  /** The box saying which parts of the link were ignored, if any. */
  renderErrors() {
    if (!this.on || this.errors.length === 0) return nothing;
    return html`<div part="link-error" class="error" role="alert" data-link-errors>
      <strong>Some of this link's settings were ignored.</strong>
      ${this.errors.map((message) => html`<span class="line">${message}</span>`)}
    </div>`;
  }
}
