import { AeDenoise } from './ae-denoise.component.ts';

export { AeDenoise };

if (!customElements.get('ae-denoise')) customElements.define('ae-denoise', AeDenoise);

declare global {
  interface HTMLElementTagNameMap {
    'ae-denoise': AeDenoise;
  }
}
