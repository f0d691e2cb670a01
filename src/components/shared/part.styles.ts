import { css } from 'lit';
import { errorBoxStyles } from './box.styles.ts';

/**
 * What every part of `<ae-demo>` looks like alike: a figure with its
 * caption, chart box, summary, legend and error box, digit canvases,
 * controls and buttons, focus rings and reduced motion. Each part adds its
 * own styles file after this one. Colours come from the element's
 * `--ae-demo-*` custom properties, which inherit into every part.
 */
export const partStyles = css`
  :host {
    display: block;
    position: relative;
    min-width: 0;
    /* A figure out of view is not styled, laid out or painted while another updates (training's
       frames): the browser skips it until it comes near, keeping the size it last had. */
    content-visibility: auto;
    contain-intrinsic-size: auto 320px;
  }
  :host([hidden]) {
    display: none;
  }
  figure {
    margin: 0;
    position: relative;
    min-width: 0;
  }
  figcaption {
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  .chart {
    width: 100%;
    min-height: 240px;
  }
  .summary {
    margin: 0.25rem 0 0;
    color: var(--ae-demo-muted);
    font-size: 0.9rem;
  }
  .summary button {
    margin-left: 0.5rem;
  }
  .pending {
    color: var(--ae-demo-muted);
    font-size: 0.85rem;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.6rem;
    margin: 0.25rem 0 0;
    padding: 0;
    list-style: none;
    font-size: 0.85rem;
  }
  .legend span {
    display: inline-block;
    width: 0.7em;
    height: 0.7em;
    margin-right: 0.25em;
    border-radius: 2px;
  }
  .legend .ring {
    box-sizing: border-box;
    border: 2px solid;
    border-radius: 50%;
  }
  ${errorBoxStyles}
  /* A chart that could not be drawn says so where it would stand. */
  .chart-error {
    margin: 0;
    padding: 1rem 0.75rem;
    color: var(--ae-demo-error);
    overflow-wrap: anywhere;
  }
  .digits {
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: center;
    gap: 0.35rem 0.75rem;
    font-size: 0.85rem;
    color: var(--ae-demo-muted);
  }
  canvas[data-digits] {
    display: block;
    width: 100%;
    max-width: 560px;
    image-rendering: pixelated;
    border-radius: 4px;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.5rem 0;
  }
  .controls label {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    font-size: 0.9rem;
  }
  select,
  input[type='number'],
  button {
    font: inherit;
    font-size: 0.9rem;
    padding: 0.2rem 0.35rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
  }
  /* A test digit's index, in the figures that take one. */
  input[type='number'] {
    width: 6em;
  }
  button {
    padding: 0.35rem 0.8rem;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--ae-demo-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible,
  a:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
  }
  /* Nothing moves for a reader who asked for less motion; progress bars jump, they do not glide. */
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
