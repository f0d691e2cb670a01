import { css } from 'lit';

/** Styles of the play figures (added to <ae-demo>'s shadow root). */
export const playStyles = css``;
