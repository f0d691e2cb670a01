import { AeTrain } from './ae-train.component.ts';

export { AeTrain };

if (!customElements.get('ae-train')) customElements.define('ae-train', AeTrain);

declare global {
  interface HTMLElementTagNameMap {
    'ae-train': AeTrain;
  }
}
