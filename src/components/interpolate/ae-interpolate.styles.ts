import { css } from 'lit';

/** The interpolation: the two chosen digits small beside their inputs. */
export const interpolateStyles = css`
  .interp-controls {
    align-items: center;
  }
  canvas[data-digits='interp-a'],
  canvas[data-digits='interp-b'] {
    width: 42px;
    height: 42px;
    border: 1px solid var(--ae-demo-grid);
  }
`;
