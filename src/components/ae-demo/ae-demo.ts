import {
  AeDemo,
  type AeErrorDetail,
  type AeProgressDetail,
  type AeReadyDetail,
} from './ae-demo.component.ts';
import type {
  AeTrainEpochDetail,
  AeTrainProgressDetail,
  AeTrainedDetail,
} from './models.controller.ts';

export { AeDemo };
export type {
  AeDemoPhase,
  AeErrorDetail,
  AeProgressDetail,
  AeReadyDetail,
} from './ae-demo.component.ts';
export type {
  AeTrainEpochDetail,
  AeTrainProgressDetail,
  AeTrainedDetail,
  TrainPhase,
} from './models.controller.ts';
export type { TrainMethod, TrainSettings } from '../../core/settings.ts';

if (!customElements.get('ae-demo')) customElements.define('ae-demo', AeDemo);

declare global {
  interface HTMLElementTagNameMap {
    'ae-demo': AeDemo;
  }
  /**
   * The element's events (they bubble and cross the shadow root), so that
   * `addEventListener('ae-ready', (e) => e.detail.componentsFor90)` is typed
   * on the element, the document and the window alike.
   */
  interface GlobalEventHandlersEventMap {
    'ae-progress': CustomEvent<AeProgressDetail>;
    'ae-ready': CustomEvent<AeReadyDetail>;
    'ae-error': CustomEvent<AeErrorDetail>;
    'ae-train-progress': CustomEvent<AeTrainProgressDetail>;
    'ae-train-epoch': CustomEvent<AeTrainEpochDetail>;
    'ae-trained': CustomEvent<AeTrainedDetail>;
  }
}
