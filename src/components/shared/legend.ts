import { html } from 'lit';
import { DIGIT_COLORS } from '../../core/settings.ts';
import { cssProps } from '../ae-demo/css-props.ts';

/** The colour key of a scatter of digits: one swatch per digit 0..9. */
export function digitLegend(label = 'Colour per digit') {
  return html`<ul class="legend" aria-label=${label}>
    ${DIGIT_COLORS.map((c, d) => html`<li><span ${cssProps({ background: c })}></span>${d}</li>`)}
  </ul>`;
}

/** A legend of lines: each a swatch of `color` (a ring when `ring`) and its words. */
export function lineLegend(lines: { color: string; text: string; ring?: boolean }[]) {
  return html`<ul class="legend" aria-label="Lines">
    ${lines.map((l) =>
      l.ring
        ? html`<li>
            <span class="ring" ${cssProps({ 'border-color': l.color })}></span>${l.text}
          </li>`
        : html`<li><span ${cssProps({ background: l.color })}></span>${l.text}</li>`,
    )}
  </ul>`;
}

/** A fraction as a percentage: 0.9007 → "90.07 %". */
export const percent = (v: number, digits = 2): string => `${(100 * v).toFixed(digits)} %`;
