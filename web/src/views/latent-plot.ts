// Drawing a latent map (dots coloured by digit) on a square canvas, with an
// optional marker, and the mapping between the map's and the canvas's
// coordinates (for hover and for placing the marker).
import type { LatentMapData } from '../lab/protocol';
import { digitColors, inkColor } from './palette';

export interface PlotFrame {
  /** Map coordinates to canvas pixels. */
  toCanvas(x: number, y: number): [number, number];
}

/** Draws the points of `map` filling a size x size canvas; returns the frame used. */
export function drawLatentMap(
  context: CanvasRenderingContext2D,
  size: number,
  map: LatentMapData,
  radius: number,
  marker?: [number, number],
): PlotFrame {
  const { points, labels } = map;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  if (marker) {
    minX = Math.min(minX, marker[0]);
    maxX = Math.max(maxX, marker[0]);
    minY = Math.min(minY, marker[1]);
    maxY = Math.max(maxY, marker[1]);
  }
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const padding = radius + 6;
  const inner = size - 2 * padding;
  const frame: PlotFrame = {
    toCanvas: (x, y) => [padding + ((x - minX) / spanX) * inner, padding + ((maxY - y) / spanY) * inner],
  };
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size, size);
  context.globalAlpha = 0.8;
  // One path per digit: 10 fills instead of 2000.
  for (let digit = 0; digit < 10; digit++) {
    context.fillStyle = digitColors[digit];
    context.beginPath();
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== digit) continue;
      const [x, y] = frame.toCanvas(points[2 * i], points[2 * i + 1]);
      context.moveTo(x + radius, y);
      context.arc(x, y, radius, 0, 2 * Math.PI);
    }
    context.fill();
  }
  context.globalAlpha = 1;
  if (marker) drawMarker(context, ...frame.toCanvas(marker[0], marker[1]), radius * 4);
  return frame;
}

/** A black-and-white star-like cross, visible over any dot colour. */
export function drawMarker(context: CanvasRenderingContext2D, x: number, y: number, size: number): void {
  context.lineCap = 'round';
  for (const [color, width] of [
    ['#fff', 6],
    [inkColor, 3],
  ] as const) {
    context.strokeStyle = color;
    context.lineWidth = width;
    context.beginPath();
    context.moveTo(x - size, y);
    context.lineTo(x + size, y);
    context.moveTo(x, y - size);
    context.lineTo(x, y + size);
    context.stroke();
  }
}

/** Index of the point nearest to canvas position (cx, cy) within `reach` pixels, or -1. */
export function nearestPoint(
  map: LatentMapData,
  frame: PlotFrame,
  cx: number,
  cy: number,
  reach: number,
): number {
  let best = -1;
  let bestDistance = reach * reach;
  for (let i = 0; i < map.labels.length; i++) {
    const [x, y] = frame.toCanvas(map.points[2 * i], map.points[2 * i + 1]);
    const distance = (x - cx) ** 2 + (y - cy) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}
