import { AeLatent } from './ae-latent.component.ts';

export { AeLatent };

if (!customElements.get('ae-latent')) customElements.define('ae-latent', AeLatent);

declare global {
  interface HTMLElementTagNameMap {
    'ae-latent': AeLatent;
  }
}
