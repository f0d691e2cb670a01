import { ref } from 'lit/directives/ref.js';

/**
 * Sets inline style properties through CSSOM (`el.style.setProperty`) on
 * every render. A strict Content-Security-Policy without 'unsafe-inline'
 * styles blocks `style="…"` attributes, including the one Lit's styleMap
 * writes on its first render, but allows CSSOM.
 */
export function cssProps(props: Record<string, string>) {
  return ref((el) => {
    if (!(el instanceof HTMLElement)) return;
    for (const [name, value] of Object.entries(props)) el.style.setProperty(name, value);
  });
}
