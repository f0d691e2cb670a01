import { css } from 'lit';
import { statusStyles } from '../shared/box.styles.ts';

/** The measurement on an author's images: its status line and progress bar, as training's. */
export const compareStyles = css`
  ${statusStyles}
`;
