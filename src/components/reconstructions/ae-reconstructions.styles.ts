import { css } from 'lit';

/** The digit rows' labels stay narrow, so the canvases get the width. */
export const reconstructionsStyles = css`
  .digits > span:nth-child(odd) {
    max-width: 12rem;
  }
`;
