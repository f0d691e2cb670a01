import { AeSamples } from './ae-samples.component.ts';

export { AeSamples };

if (!customElements.get('ae-samples')) customElements.define('ae-samples', AeSamples);

declare global {
  interface HTMLElementTagNameMap {
    'ae-samples': AeSamples;
  }
}
