import { AePcaScatter } from './ae-pca-scatter.component.ts';

export { AePcaScatter };

if (!customElements.get('ae-pca-scatter')) customElements.define('ae-pca-scatter', AePcaScatter);

declare global {
  interface HTMLElementTagNameMap {
    'ae-pca-scatter': AePcaScatter;
  }
}
