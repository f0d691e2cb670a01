import { css } from 'lit';

/** The plane and the curve: one square scatter per set, side by side when there is room. */
export const planeCurveStyles = css`
  .pc-panels {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    margin-top: 0.5rem;
  }
  .pc-panel {
    flex: 1 1 260px;
    max-width: 360px;
    min-width: 0;
  }
  .pc-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem 0.75rem;
    font-size: 0.9rem;
    margin-bottom: 0.25rem;
  }
  .pc-head label {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  canvas[data-scatter3d] {
    display: block;
    box-sizing: border-box;
    width: 100%;
    aspect-ratio: 1;
    border: 1px solid var(--ae-demo-grid);
    border-radius: 4px;
    /* Dragging turns the scatter; it must not scroll the page on touch screens. */
    touch-action: none;
    cursor: grab;
  }
  /* Inside the box: the part's paint containment (content-visibility) would clip a ring outside it. */
  canvas[data-scatter3d]:focus-visible {
    outline-offset: -3px;
  }
  canvas[data-scatter3d]:active {
    cursor: grabbing;
  }
  .pc-legend label {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
  }
  .pc-legend .mark {
    width: 0.7em;
    height: 0.7em;
    margin: 0;
  }
  .pc-legend .mark.points {
    width: 0.4em;
    height: 0.4em;
    background: var(--ae-demo-fg);
    opacity: 0.5;
  }
  /* A plus, as the autoencoder's marks are drawn. */
  .pc-legend .mark.ae {
    background:
      linear-gradient(var(--ae-demo-accent), var(--ae-demo-accent)) center / 100% 2px no-repeat,
      linear-gradient(var(--ae-demo-accent), var(--ae-demo-accent)) center / 2px 100% no-repeat;
  }
`;
