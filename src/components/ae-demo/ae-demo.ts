import { AeDemo } from './ae-demo.component.ts';

export { AeDemo };
export type {
  AeDemoPhase,
  AeErrorDetail,
  AeProgressDetail,
  AeReadyDetail,
} from './ae-demo.component.ts';
export type { AeTrainEpochDetail, AeTrainedDetail, TrainPhase } from './models.controller.ts';

if (!customElements.get('ae-demo')) customElements.define('ae-demo', AeDemo);

declare global {
  interface HTMLElementTagNameMap {
    'ae-demo': AeDemo;
  }
}
