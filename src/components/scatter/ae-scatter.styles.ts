import { css } from 'lit';

/** The scatter's box, its keyboard ring, the ringed mark, the tooltip and the announced selection. */
export const scatterStyles = css`
  :host {
    display: block;
    position: relative;
    min-width: 0;
  }
  .chart {
    width: 100%;
    min-height: 240px;
  }
  .mini {
    width: 100%;
    min-height: 200px;
  }
  .chart:focus-visible {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
    border-radius: 2px;
  }
  /* The point chosen with the keyboard, ringed on the plot. */
  .scatter-mark {
    position: absolute;
    width: 12px;
    height: 12px;
    margin: -8px 0 0 -8px;
    border: 2px solid var(--ae-demo-fg);
    border-radius: 50%;
    pointer-events: none;
    z-index: 1;
  }
  /* The point given as \`mark\` (the drawn digit), ringed in the chart's overlay. */
  .mark {
    position: absolute;
    width: 16px;
    height: 16px;
    margin: -8px 0 0 -8px;
    border-radius: 50%;
    border: 3px solid var(--ae-demo-fg);
    box-shadow: 0 0 0 2px var(--ae-demo-bg);
    pointer-events: none;
  }
  .mark[data-outside] {
    border-style: dashed;
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
  .selection {
    margin: 0.25rem 0 0;
    min-height: 1.4em;
    font-size: 0.85rem;
    font-variant-numeric: tabular-nums;
  }
  .chart-error {
    margin: 0;
    padding: 1rem 0.75rem;
    color: var(--ae-demo-error);
    overflow-wrap: anywhere;
  }
`;
