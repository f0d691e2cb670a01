import { AeDraw } from './ae-draw.component.ts';

export { AeDraw };

if (!customElements.get('ae-draw')) customElements.define('ae-draw', AeDraw);

declare global {
  interface HTMLElementTagNameMap {
    'ae-draw': AeDraw;
  }
}
