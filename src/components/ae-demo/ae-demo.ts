import { AeDemo } from './ae-demo.component.ts';
import type { AeDemoEventDetails } from './events.ts';

export { AeDemo };
export type {
  AeDemoPhase,
  AeErrorDetail,
  AeProgressDetail,
  AeReadyDetail,
  AeTrainEpochDetail,
  AeTrainProgressDetail,
  AeTrainedDetail,
} from './events.ts';
export type { TrainPhase } from '../store/training.ts';
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
    'ae-progress': CustomEvent<AeDemoEventDetails['ae-progress']>;
    'ae-ready': CustomEvent<AeDemoEventDetails['ae-ready']>;
    'ae-error': CustomEvent<AeDemoEventDetails['ae-error']>;
    'ae-train-progress': CustomEvent<AeDemoEventDetails['ae-train-progress']>;
    'ae-train-epoch': CustomEvent<AeDemoEventDetails['ae-train-epoch']>;
    'ae-trained': CustomEvent<AeDemoEventDetails['ae-trained']>;
  }
}
