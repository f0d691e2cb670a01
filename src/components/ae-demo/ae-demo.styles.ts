import { css } from 'lit';
import { errorBoxStyles, statusStyles } from '../shared/box.styles.ts';

/**
 * The styles of `<ae-demo>`'s own shadow root: its colours (the custom
 * properties every part inherits), the status line, the error boxes and the
 * sections' layout. Each part styles its own figure (shared/part.styles.ts).
 */
export const aeDemoStyles = css`
  :host {
    --ae-demo-fg: #1f2328;
    --ae-demo-muted: #59636e;
    --ae-demo-bg: #ffffff;
    --ae-demo-grid: #d8dee4;
    --ae-demo-accent: #0969da;
    --ae-demo-error: #cf222e;
    --ae-demo-radius: 8px;
    --ae-demo-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    display: block;
    color: var(--ae-demo-fg);
    background: var(--ae-demo-bg);
    font-family: var(--ae-demo-font);
    container-type: inline-size;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --ae-demo-fg: #e6edf3;
      --ae-demo-muted: #9198a1;
      --ae-demo-bg: #0d1117;
      --ae-demo-grid: #30363d;
      --ae-demo-accent: #4493f8;
      --ae-demo-error: #f85149;
    }
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    padding: 1rem;
  }
  header h2 {
    margin: 0 0 0.25rem;
    font-size: 1.15rem;
  }
  ${statusStyles}
  ${errorBoxStyles}
  /* One figure per row in a docs column; as many 280 px columns as fit on a wide page. */
  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 280px), 1fr));
    gap: 1rem;
  }
  .figures > * {
    min-width: 0;
  }
  .notebook,
  .models,
  .play {
    margin-top: 1.5rem;
    padding-top: 1rem;
    border-top: 1px solid var(--ae-demo-grid);
  }
  .notebook h2,
  .models h2,
  .play h2 {
    margin: 0 0 0.5rem;
    font-size: 1.15rem;
  }
  @container (min-width: 900px) {
    .notebook .figures {
      grid-template-columns: repeat(2, 1fr);
    }
    .notebook ae-reconstructions {
      grid-column: 1 / -1;
    }
  }
  .backend {
    margin: 0 0 0.75rem;
    color: var(--ae-demo-muted);
    font-size: 0.9rem;
  }
  /* "Copy link" (url-state): the button, what it did, and the link to copy by hand. */
  .link {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin: 0.25rem 0 0.5rem;
    font-size: 0.9rem;
  }
  .link button,
  .link input {
    font: inherit;
    padding: 0.35rem 0.8rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
  }
  .link button {
    cursor: pointer;
  }
  .link button:hover {
    border-color: var(--ae-demo-accent);
  }
  .link button:focus-visible,
  .link input:focus-visible {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
  }
  .link input {
    flex: 1 1 16rem;
    min-width: 0;
  }
  .play-figures {
    display: grid;
    grid-template-columns: 1fr;
    gap: 1.5rem;
  }
  /* Nothing moves for a reader who asked for less motion; progress bars jump, they do not glide. */
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
`;
