import { AeScatter } from './ae-scatter.component.ts';

export { AeScatter };
export type { ScatterMark } from './ae-scatter.component.ts';

if (!customElements.get('ae-scatter')) customElements.define('ae-scatter', AeScatter);

declare global {
  interface HTMLElementTagNameMap {
    'ae-scatter': AeScatter;
  }
}
