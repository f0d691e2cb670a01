import { css } from 'lit';

/** The interpolation: the two chosen digits small beside their inputs. */
export const interpolateStyles = css`
  .interp-controls {
    align-items: center;
  }
  canvas[data-digits='interp-a'],
  canvas[data-digits='interp-b'] {
    /* As tall as a line of the controls; as wide as the images' aspect makes them. */
    width: auto;
    height: 42px;
    border: 1px solid var(--ae-demo-grid);
  }
`;
