import { AeReconstructions } from './ae-reconstructions.component.ts';

export { AeReconstructions };

if (!customElements.get('ae-reconstructions')) {
  customElements.define('ae-reconstructions', AeReconstructions);
}

declare global {
  interface HTMLElementTagNameMap {
    'ae-reconstructions': AeReconstructions;
  }
}
