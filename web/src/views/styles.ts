// Styles shared by the views (each view lives in its own shadow root, so the
// page's styles do not reach it, but its CSS custom properties do: text takes
// the page's colour and font, and --latentlab-muted, -border, -surface,
// -surface-muted, -control and -focus recolour the rest, as docs/embedding.md
// lists; unset, each use keeps its own default). Canvases keep their drawing
// resolution and scale down to the width available, down to 360 px screens.
import { css } from 'lit';

export const viewStyles = css`
  :host {
    display: block;
    font: inherit;
    color: inherit;
    /* A view's redraws never lay out or repaint the page around it. */
    contain: content;
  }
  canvas {
    display: block;
    max-width: 100%;
    height: auto;
    image-rendering: pixelated;
  }
  /* Charts draw dark ink on their own white, as printed figures, whatever the page's colours. */
  canvas.chart {
    background: #fff;
  }
  canvas:focus-visible,
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--latentlab-focus, #4e79a7);
    outline-offset: 2px;
  }
  .notice {
    margin: 0;
    padding: 0.75rem;
    border: 1px dashed var(--latentlab-border, #bbb);
    border-radius: 0.3rem;
    color: var(--latentlab-muted, #555);
    background: var(--latentlab-surface-muted, #f4f4f4);
    font-size: 0.9rem;
  }
  .stats {
    margin: 0.35rem 0 0;
    font-size: 0.85rem;
    color: var(--latentlab-muted, #444);
    font-variant-numeric: tabular-nums;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem 0.9rem;
    margin: 0 0 0.5rem;
    font-size: 0.9rem;
  }
  .controls label {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  button,
  select {
    font: inherit;
    min-height: 2.25rem;
    padding: 0.25rem 0.6rem;
    border: 1px solid var(--latentlab-control, #345);
    border-radius: 0.35rem;
    background: var(--latentlab-surface, #fff);
    color: var(--latentlab-control, #123);
  }
  button {
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--latentlab-surface-muted, #e8eef5);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  input[type='range'] {
    width: 9rem;
    max-width: 40vw;
  }
  ul.legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.2rem 0.75rem;
    list-style: none;
    margin: 0.4rem 0 0;
    padding: 0;
    font-size: 0.85rem;
  }
  ul.legend li {
    display: flex;
    align-items: center;
    gap: 0.3rem;
  }
  .swatch {
    display: inline-block;
    width: 0.8rem;
    height: 0.8rem;
    border-radius: 50%;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: flex-start;
  }
  .row > div {
    min-width: 0;
  }
  .label {
    font-size: 0.8rem;
    color: var(--latentlab-muted, #555);
    margin: 0 0 0.2rem;
  }
`;
