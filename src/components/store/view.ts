import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { showChartError } from '../charts/load.ts';
import { errorDetail } from '../ae-demo/words.ts';
import { renderInTurn } from '../shared/render-slice.ts';
import { storeContext } from './context.ts';
import type { DemoStore } from './store.ts';

/**
 * The base of `<ae-demo>`'s parts: each is a small element that reads the
 * store of the `<ae-demo>` it sits in (through context) and renders again
 * whenever the store changes. A part keeps only the reader's choices; what
 * it computes is keyed by the store's values (the PCA, the model objects),
 * so a new store (a moved element, a new model-src) means new results, with
 * no field to reset. `disconnectedCallback` only lets go of what the page
 * holds for it (observers).
 */
export abstract class AeView extends LitElement {
  private readonly consumer = new ContextConsumer(this, {
    context: storeContext,
    subscribe: true,
    callback: (store) => this.attach(store),
  });
  private unsubscribe: (() => void) | undefined;

  /** The store of the element this part is in; set while it is connected. */
  protected get store(): DemoStore | undefined {
    return this.consumer.value;
  }

  private attach(store: DemoStore | undefined): void {
    this.unsubscribe?.();
    this.unsubscribe = store?.subscribe(() => this.requestUpdate());
    this.requestUpdate();
  }

  /** Takes its turn with the element's other renders (see renderInTurn): no long task. */
  protected override scheduleUpdate(): Promise<unknown> {
    return renderInTurn(() => super.scheduleUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Shows in `box` that its chart could not be drawn, and fires `ae-error` (once per message). */
  protected readonly chartFailed = (box: HTMLElement, error: unknown): void => {
    showChartError(box, error);
    this.store?.host.emit('ae-error', errorDetail(error));
  };

  /** A failure of this part's work, fired as `ae-error` unless it is a cancellation. */
  protected fail(error: unknown): string | undefined {
    const detail = errorDetail(error);
    if (detail.code === 'ABORTED' || this.store?.signal.aborted) return undefined;
    this.store?.host.emit('ae-error', detail);
    return detail.message;
  }
}
