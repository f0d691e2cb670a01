import { AeWalk } from './ae-walk.component.ts';

export { AeWalk };

if (!customElements.get('ae-walk')) customElements.define('ae-walk', AeWalk);

declare global {
  interface HTMLElementTagNameMap {
    'ae-walk': AeWalk;
  }
}
