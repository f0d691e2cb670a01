import { AeInterpolate } from './ae-interpolate.component.ts';

export { AeInterpolate };

if (!customElements.get('ae-interpolate')) customElements.define('ae-interpolate', AeInterpolate);

declare global {
  interface HTMLElementTagNameMap {
    'ae-interpolate': AeInterpolate;
  }
}
