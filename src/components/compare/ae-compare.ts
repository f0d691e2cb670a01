import { AeCompare } from './ae-compare.component.ts';

export { AeCompare };

if (!customElements.get('ae-compare')) customElements.define('ae-compare', AeCompare);

declare global {
  interface HTMLElementTagNameMap {
    'ae-compare': AeCompare;
  }
}
