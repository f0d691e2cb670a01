import { css } from 'lit';
import { statusStyles } from '../shared/box.styles.ts';

/**
 * The training panel's own look (after partStyles): its heading, status
 * line and progress bar, the accent Train button, the settings fieldset,
 * the file input dressed as a button, the download links and the loss
 * figure.
 */
export const trainStyles = css`
  h3 {
    margin: 1rem 0 0.25rem;
    font-size: 1rem;
  }
  code {
    overflow-wrap: anywhere;
  }
  ${statusStyles}
  button[data-action='train'] {
    background: var(--ae-demo-accent);
    border-color: var(--ae-demo-accent);
    color: #ffffff;
  }
  /*
   * A dark theme's accent is light, to stand out on a dark page, so white text
   * on it is too faint (#4493f8: 3.1:1, WCAG asks 4.5:1): the button takes the
   * accent darkened by a quarter (5.2:1), which still reads as the accent.
   */
  @media (prefers-color-scheme: dark) {
    button[data-action='train'] {
      background: color-mix(in srgb, var(--ae-demo-accent) 75%, #000000);
      border-color: color-mix(in srgb, var(--ae-demo-accent) 75%, #000000);
    }
  }
  .settings {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
    margin: 0.5rem 0;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 1px solid var(--ae-demo-grid);
    border-radius: var(--ae-demo-radius);
    min-width: 0;
  }
  .settings legend {
    padding: 0 0.25rem;
    font-size: 0.9rem;
    color: var(--ae-demo-muted);
  }
  .settings label {
    display: flex;
    flex-direction: column;
    gap: 0.15rem;
    font-size: 0.85rem;
    color: var(--ae-demo-muted);
  }
  .settings input,
  .settings select {
    font: inherit;
    font-size: 0.9rem;
    width: 7.5rem;
    max-width: 100%;
    box-sizing: border-box;
    padding: 0.3rem 0.4rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    background: var(--ae-demo-bg);
    color: var(--ae-demo-fg);
  }
  .settings select {
    width: 10rem;
  }
  .settings input[aria-invalid='true'] {
    border-color: var(--ae-demo-error);
  }
  .settings:disabled {
    opacity: 0.7;
  }
  .field-error {
    margin: 0.25rem 0;
    color: var(--ae-demo-error);
    font-size: 0.9rem;
  }
  /* A file input dressed as a button; the input stays focusable for the keyboard. */
  .file-button {
    position: relative;
    font-size: 0.9rem;
    padding: 0.35rem 0.8rem;
    border-radius: 6px;
    border: 1px solid var(--ae-demo-grid);
    cursor: pointer;
  }
  .file-button input {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    overflow: hidden;
    /* Its own "Choose file" text is laid out too: in a font the element already uses. */
    font: inherit;
  }
  .file-button:hover:not([data-disabled]) {
    border-color: var(--ae-demo-accent);
  }
  .file-button:focus-within {
    outline: 2px solid var(--ae-demo-accent);
    outline-offset: 2px;
  }
  .file-button[data-disabled] {
    opacity: 0.5;
    cursor: default;
  }
  .downloads a {
    color: var(--ae-demo-accent);
    margin-right: 1rem;
  }
  [data-figure='loss'] {
    margin-top: 0.75rem;
    max-width: 720px;
  }
  [data-figure='loss'] .chart {
    min-height: 200px;
  }
`;
