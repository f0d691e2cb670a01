import { css } from 'lit';

/** The draw pad beside the two small scatters, and the row of rebuilt digits below. */
export const drawStyles = css`
  .draw {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
  }
  .pad-box {
    /* The pad has the images' aspect ratio (square for MNIST's), set by the element. */
    width: min(100%, var(--pad-width, 280px));
  }
  canvas.pad {
    display: block;
    width: 100%;
    aspect-ratio: var(--pad-aspect, 1);
    border: 1px solid var(--ae-demo-grid);
    border-radius: 4px;
    touch-action: none;
    cursor: crosshair;
    background: #ffffff;
  }
  .where {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    flex: 1 1 320px;
    min-width: 0;
  }
  .where > div {
    flex: 1 1 200px;
    min-width: 0;
  }
  .where .label {
    font-size: 0.85rem;
    color: var(--ae-demo-muted);
  }
  .where .legend {
    flex-basis: 100%;
  }
  .rebuilt {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    list-style: none;
    margin: 0.75rem 0 0;
    padding: 0;
  }
  .rebuilt li {
    display: flex;
    flex-direction: column;
    align-items: center;
    font-size: 0.8rem;
    color: var(--ae-demo-muted);
    text-align: center;
  }
  .rebuilt canvas[data-digits] {
    width: 84px;
    height: auto;
    aspect-ratio: var(--image-aspect, 1);
    border: 1px solid var(--ae-demo-grid);
  }
`;
