import { AeDemo } from './ae-demo.component.ts';

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
export type { TrainMethod, TrainSettings } from './train-settings.ts';

if (!customElements.get('ae-demo')) customElements.define('ae-demo', AeDemo);

declare global {
  interface HTMLElementTagNameMap {
    'ae-demo': AeDemo;
  }
}
