import { css } from 'lit';

export const aeDemoStyles = css`
  :host {
    --ae-demo-fg: #1f2328;
    --ae-demo-muted: #59636e;
    --ae-demo-bg: #ffffff;
    --ae-demo-grid: #d8dee4;
    --ae-demo-accent: #0969da;
    --ae-demo-error: #cf222e;
    --ae-demo-radius: 8px;
    --ae-demo-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    display: block;
    color: var(--ae-demo-fg);
    background: var(--ae-demo-bg);
    font-family: var(--ae-demo-font);
    container-type: inline-size;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --ae-demo-fg: #e6edf3;
      --ae-demo-muted: #9198a1;
      --ae-demo-bg: #0d1117;
      --ae-demo-grid: #30363d;
      --ae-demo-accent: #4493f8;
      --ae-demo-error: #f85149;
    }
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    padding: 1rem;
  }
  header h2 {
    margin: 0 0 0.25rem;
    font-size: 1.15rem;
  }
  .status {
    margin: 0.25rem 0;
    color: var(--ae-demo-muted);
    min-height: 1.5em;
  }
  progress {
    width: 100%;
    accent-color: var(--ae-demo-accent);
  }
  .error {
    border: 1px solid var(--ae-demo-error);
    border-left-width: 4px;
    border-radius: var(--ae-demo-radius);
    padding: 0.5rem 0.75rem;
    color: var(--ae-demo-error);
    overflow-wrap: anywhere;
  }
  .error strong,
  .error .line {
    display: block;
  }
  /* A chart that could not be drawn says so where it would stand. */
  .chart-error {
    margin: 0;
    padding: 1rem 0.75rem;
    color: var(--ae-demo-error);
    overflow-wrap: anywhere;
  }
  /* One figure per row in a docs column; as many 280 px columns as fit on a wide page. */
  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 280px), 1fr));
    gap: 1rem;
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
  .tooltip {
    position: absolute;
    pointer-events: none;
    background: var(--ae-demo-bg);
    border: 1px solid var(--ae-demo-grid);
    border-radius: var(--ae-demo-radius);
    padding: 4px;
    font-size: 0.8rem;
    text-align: center;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
    z-index: 1;
  }
  .tooltip canvas {
    display: block;
    width: 84px;
    height: 84px;
    image-rendering: pixelated;
  }
  .models {
    margin-top: 1.5rem;
    padding-top: 1rem;
    border-top: 1px solid var(--ae-demo-grid);
  }
  .models h2 {
    margin: 0 0 0.25rem;
    font-size: 1.15rem;
  }
  .models h3 {
    margin: 1rem 0 0.25rem;
    font-size: 1rem;
  }
  .backend {
    margin: 0 0 0.75rem;
    color: var(--ae-demo-muted);
    font-size: 0.9rem;
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
  canvas[data-digits='samples'] {
    max-width: 448px;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.5rem 0;
  }
  button {
    font: inherit;
    font-size: 0.9rem;
    padding: 0.35rem 0.8rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
    cursor: pointer;
  }
  button[data-action='train'] {
    background: var(--ae-demo-accent);
    border-color: var(--ae-demo-accent);
    color: #ffffff;
  }
  /*
   * A dark theme's accent is light, to stand out on a dark page, so white text
   * on it is too faint (#4493f8: 3.1:1, WCAG asks 4.5:1): the button takes the
   * accent darkened by a quarter (5.2:1), which still reads as the accent.
   */
  @media (prefers-color-scheme: dark) {
    button[data-action='train'] {
      background: color-mix(in srgb, var(--ae-demo-accent) 75%, #000000);
      border-color: color-mix(in srgb, var(--ae-demo-accent) 75%, #000000);
    }
  }
  button:hover:not(:disabled) {
    border-color: var(--ae-demo-accent);
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible,
  a:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
  }
  .settings {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 1px solid var(--ae-demo-grid);
    border-radius: var(--ae-demo-radius);
    min-width: 0;
  }
  .settings legend {
    padding: 0 0.25rem;
    font-size: 0.9rem;
    color: var(--ae-demo-muted);
  }
  .settings label {
    display: flex;
    flex-direction: column;
    gap: 0.15rem;
    font-size: 0.85rem;
    color: var(--ae-demo-muted);
  }
  .settings input,
  .settings select {
    font: inherit;
    font-size: 0.9rem;
    width: 7.5rem;
    max-width: 100%;
    box-sizing: border-box;
    padding: 0.3rem 0.4rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
  }
  .settings select {
    width: 10rem;
  }
  .settings input[aria-invalid='true'] {
    border-color: var(--ae-demo-error);
  }
  .settings:disabled {
    opacity: 0.7;
  }
  .field-error {
    margin: 0.25rem 0;
    color: var(--ae-demo-error);
    font-size: 0.9rem;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .summary button {
    margin-left: 0.5rem;
  }
  /* A file input dressed as a button; the input stays focusable for the keyboard. */
  .file-button {
    position: relative;
    font-size: 0.9rem;
    padding: 0.35rem 0.8rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    cursor: pointer;
  }
  .file-button input {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    overflow: hidden;
  }
  .file-button:hover:not([data-disabled]) {
    border-color: var(--ae-demo-accent);
  }
  .file-button:focus-within {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
  }
  .file-button[data-disabled] {
    opacity: 0.5;
    cursor: default;
  }
  .downloads a {
    color: var(--ae-demo-accent);
    margin-right: 1rem;
  }
  [data-figure='loss'] {
    margin-top: 0.75rem;
    max-width: 720px;
  }
  [data-figure='loss'] .chart {
    min-height: 200px;
  }
  .models code {
    overflow-wrap: anywhere;
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
