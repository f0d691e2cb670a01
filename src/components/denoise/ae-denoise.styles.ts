import { css } from 'lit';

/** The denoising figure: the noise controls in a line, the level beside its slider, rows' labels narrow. */
export const denoiseStyles = css`
  .denoise-controls,
  .denoise-training {
    align-items: center;
  }
  output[data-level] {
    min-width: 4.5em;
    font-variant-numeric: tabular-nums;
  }
  input[type='range'] {
    accent-color: var(--ae-demo-accent);
  }
  progress {
    width: 10rem;
    accent-color: var(--ae-demo-accent);
  }
  .digits > span:nth-child(odd) {
    max-width: 12rem;
  }
`;
