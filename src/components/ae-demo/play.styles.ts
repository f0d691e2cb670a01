import { css } from 'lit';

/** Styles of the play figures (added to <ae-demo>'s shadow root). */
export const playStyles = css`
  .play {
    margin-top: 1.5rem;
    padding-top: 1rem;
    border-top: 1px solid var(--ae-demo-grid);
  }
  .play h2 {
    margin: 0 0 0.5rem;
    font-size: 1.15rem;
  }
  .play-figures {
    display: grid;
    grid-template-columns: 1fr;
    gap: 1.5rem;
  }
  .play label {
    font-size: 0.9rem;
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  .play select,
  .play input[type='number'] {
    font: inherit;
    font-size: 0.9rem;
    padding: 0.2rem 0.3rem;
    border: 1px solid var(--ae-demo-grid);
    border-radius: 6px;
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
  }
  .play input[type='number'] {
    width: 6em;
  }
  .play select:focus-visible,
  .play input:focus-visible {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 1px;
  }

  /* The walk: the grid is the plane the point moves over. */
  .walk {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    align-items: flex-start;
  }
  .plane {
    position: relative;
    width: min(100%, 380px);
    touch-action: none;
    cursor: crosshair;
    user-select: none;
  }
  .play canvas[data-digits='walk-grid'] {
    max-width: none;
  }
  .thumb {
    position: absolute;
    width: 22px;
    height: 22px;
    margin: -11px 0 0 -11px;
    border-radius: 50%;
    border: 3px solid var(--ae-demo-accent);
    background: rgb(255 255 255 / 0.35);
    box-shadow: 0 0 0 2px #ffffff;
    cursor: grab;
  }
  .thumb.animate {
    transition:
      left 80ms ease-out,
      top 80ms ease-out;
  }
  @media (prefers-reduced-motion: reduce) {
    .thumb.animate {
      transition: none;
    }
  }
  .thumb:focus-visible {
    outline: 3px solid var(--ae-demo-fg);
    outline-offset: 2px;
  }
  .point {
    width: 168px;
  }
  .play canvas[data-digits='walk-point'] {
    width: 168px;
    height: 168px;
    border: 1px solid var(--ae-demo-grid);
  }

  /* The interpolation. */
  .interp-controls {
    align-items: center;
  }
  .play canvas[data-digits='interp-a'],
  .play canvas[data-digits='interp-b'] {
    width: 42px;
    height: 42px;
    border: 1px solid var(--ae-demo-grid);
  }

  /* The drawing pad. */
  .draw {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
  }
  .pad-box {
    width: min(100%, 280px);
  }
  canvas.pad {
    display: block;
    width: 100%;
    aspect-ratio: 1;
    border: 1px solid var(--ae-demo-grid);
    border-radius: 4px;
    touch-action: none;
    cursor: crosshair;
    background: #ffffff;
  }
  .where {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    flex: 1 1 320px;
    min-width: 0;
  }
  .where > div {
    flex: 1 1 200px;
    min-width: 0;
  }
  .where .label {
    font-size: 0.85rem;
    color: var(--ae-demo-muted);
  }
  .where .legend {
    flex-basis: 100%;
  }
  .mini {
    width: 100%;
    min-height: 200px;
  }
  .mini .mark {
    position: absolute;
    width: 16px;
    height: 16px;
    margin: -8px 0 0 -8px;
    border-radius: 50%;
    border: 3px solid var(--ae-demo-fg);
    box-shadow: 0 0 0 2px var(--ae-demo-bg);
    pointer-events: none;
  }
  .mini .mark[data-outside] {
    border-style: dashed;
  }
  .rebuilt {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    list-style: none;
    margin: 0.75rem 0 0;
    padding: 0;
  }
  .rebuilt li {
    display: flex;
    flex-direction: column;
    align-items: center;
    font-size: 0.8rem;
    color: var(--ae-demo-muted);
    text-align: center;
  }
  .play .rebuilt canvas[data-digits] {
    width: 84px;
    height: 84px;
    border: 1px solid var(--ae-demo-grid);
  }
`;
