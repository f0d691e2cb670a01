import { AeMse } from './ae-mse.component.ts';

export { AeMse };

if (!customElements.get('ae-mse')) customElements.define('ae-mse', AeMse);

declare global {
  interface HTMLElementTagNameMap {
    'ae-mse': AeMse;
  }
}
