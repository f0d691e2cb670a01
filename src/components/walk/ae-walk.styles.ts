import { css } from 'lit';

/** The walk: the grid is the plane the point moves over; the point's digit beside it. */
export const walkStyles = css`
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
  canvas[data-digits='walk-grid'] {
    max-width: none;
  }
  .thumb {
    position: absolute;
    width: 22px;
    height: 22px;
    /* Centred on the point: half of 22px and the two 3px borders. */
    margin: -14px 0 0 -14px;
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
  .thumb:focus-visible {
    outline: 3px solid var(--ae-demo-fg);
    outline-offset: 2px;
  }
  .point {
    width: 168px;
  }
  canvas[data-digits='walk-point'] {
    width: 168px;
    /* The images' aspect (the canvas is rows × cols pixels). */
    height: auto;
    border: 1px solid var(--ae-demo-grid);
  }
`;
