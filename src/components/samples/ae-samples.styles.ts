import { css } from 'lit';

/** The samples' grid is 8 digits wide: narrower than the other digit rows. */
export const samplesStyles = css`
  canvas[data-digits='samples'],
  canvas[data-digits='nearest'] {
    max-width: 448px;
  }
`;
