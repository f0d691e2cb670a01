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
  .error strong {
    display: block;
  }
  .figures {
    display: grid;
    grid-template-columns: 1fr;
    gap: 1rem;
  }
  @container (min-width: 900px) {
    .figures {
      grid-template-columns: repeat(3, 1fr);
    }
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
`;
