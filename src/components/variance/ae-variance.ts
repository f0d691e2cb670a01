import { AeVariance } from './ae-variance.component.ts';

export { AeVariance };

if (!customElements.get('ae-variance')) customElements.define('ae-variance', AeVariance);

declare global {
  interface HTMLElementTagNameMap {
    'ae-variance': AeVariance;
  }
}
