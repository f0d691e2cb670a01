import { AePlaneCurve } from './ae-plane-curve.component.ts';

export { AePlaneCurve };

if (!customElements.get('ae-plane-curve')) customElements.define('ae-plane-curve', AePlaneCurve);

declare global {
  interface HTMLElementTagNameMap {
    'ae-plane-curve': AePlaneCurve;
  }
}
