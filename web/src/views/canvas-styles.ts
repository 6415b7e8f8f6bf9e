// Styles shared by the views: a canvas that keeps its drawing resolution
// and scales down to the width available (down to 360 px screens).
import { css } from 'lit';

export const canvasStyles = css`
  :host {
    display: block;
  }
  canvas {
    display: block;
    width: 100%;
    height: auto;
  }
`;
