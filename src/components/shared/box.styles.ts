import { css } from 'lit';

/** An error box (`.error`, its first line `strong`, one `.line` per message), in the element and its parts. */
export const errorBoxStyles = css`
  .error {
    border: 1px solid var(--ae-demo-error);
    border-left-width: 4px;
    border-radius: var(--ae-demo-radius);
    padding: 0.5rem 0.75rem;
    color: var(--ae-demo-error);
    overflow-wrap: anywhere;
  }
  .error strong,
  .error .line {
    display: block;
  }
`;

/** A status line (`.status`) and its progress bar, for the PCA and for training. */
export const statusStyles = css`
  .status {
    margin: 0.25rem 0;
    color: var(--ae-demo-muted);
    min-height: 1.5em;
  }
  progress {
    width: 100%;
    accent-color: var(--ae-demo-accent);
  }
`;
