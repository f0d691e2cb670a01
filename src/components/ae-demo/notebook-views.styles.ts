import { css } from 'lit';

/** Styles of the notebook views figures (added to <ae-demo>'s shadow root). */
export const notebookViewsStyles = css``;
