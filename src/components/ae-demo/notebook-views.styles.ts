import { css } from 'lit';

/**
 * Styles of the notebook views figures (added to <ae-demo>'s shadow root),
 * and of the keyboard selection that both scatters share.
 */
export const notebookViewsStyles = css`
  .notebook {
    margin-top: 1.5rem;
    padding-top: 1rem;
    border-top: 1px solid var(--ae-demo-grid);
  }
  .notebook h2 {
    margin: 0 0 0.75rem;
    font-size: 1.15rem;
  }
  @container (min-width: 900px) {
    .notebook .figures {
      grid-template-columns: repeat(2, 1fr);
    }
    .notebook [data-figure='reconstructions'] {
      grid-column: 1 / -1;
    }
  }
  .notebook .digits > span:nth-child(odd) {
    max-width: 12rem;
  }
  .notebook .pending {
    color: var(--ae-demo-muted);
    font-size: 0.85rem;
  }
  .notebook .controls label {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    font-size: 0.9rem;
  }
  .notebook select {
    font: inherit;
    font-size: 0.9rem;
    padding: 0.2rem 0.35rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
  }
  .notebook select:focus-visible {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
  }
  /* Scatters take the keyboard: a visible ring when focused. */
  .chart[tabindex]:focus-visible {
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
  .legend .ring {
    box-sizing: border-box;
    border: 2px solid;
    border-radius: 50%;
  }
  .selection {
    margin: 0.25rem 0 0;
    min-height: 1.4em;
    font-size: 0.85rem;
    font-variant-numeric: tabular-nums;
  }
`;
