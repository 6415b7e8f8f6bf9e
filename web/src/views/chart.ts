// Small plotting helpers for the views' charts: a plot area with linear or
// log-10 axes, tick values, and axis drawing.
import { gridColor, inkColor } from './palette';

export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Axis {
  low: number;
  high: number;
  log: boolean;
}

export class Plot {
  readonly context: CanvasRenderingContext2D;
  readonly width: number;
  readonly height: number;
  readonly margins: Margins;
  readonly x: Axis;
  readonly y: Axis;

  constructor(
    context: CanvasRenderingContext2D,
    width: number,
    height: number,
    margins: Margins,
    x: Axis,
    y: Axis,
  ) {
    this.context = context;
    this.width = width;
    this.height = height;
    this.margins = margins;
    this.x = x;
    this.y = y;
  }

  get left(): number {
    return this.margins.left;
  }
  get right(): number {
    return this.width - this.margins.right;
  }
  get top(): number {
    return this.margins.top;
  }
  get bottom(): number {
    return this.height - this.margins.bottom;
  }

  /** Canvas x of a value on the x axis. */
  px(value: number): number {
    return this.left + fraction(value, this.x) * (this.right - this.left);
  }

  /** Canvas y of a value on the y axis (up is larger). */
  py(value: number): number {
    return this.bottom - fraction(value, this.y) * (this.bottom - this.top);
  }

  /** Grid lines and labels for both axes, and the axis titles. */
  drawAxes(xTitle: string, yTitle: string, format: (value: number) => string = formatTick): void {
    const c = this.context;
    c.font = '12px system-ui, sans-serif';
    c.lineWidth = 1;
    c.strokeStyle = gridColor;
    c.fillStyle = inkColor;
    c.textAlign = 'right';
    c.textBaseline = 'middle';
    for (const tick of ticks(this.y)) {
      const y = Math.round(this.py(tick)) + 0.5;
      c.beginPath();
      c.moveTo(this.left, y);
      c.lineTo(this.right, y);
      c.stroke();
      c.fillText(format(tick), this.left - 5, y);
    }
    c.textAlign = 'center';
    c.textBaseline = 'top';
    for (const tick of ticks(this.x)) {
      const x = Math.round(this.px(tick)) + 0.5;
      c.beginPath();
      c.moveTo(x, this.top);
      c.lineTo(x, this.bottom);
      c.stroke();
      c.fillText(format(tick), x, this.bottom + 4);
    }
    c.strokeStyle = '#999';
    c.strokeRect(this.left + 0.5, this.top + 0.5, this.right - this.left, this.bottom - this.top);
    c.fillText(xTitle, (this.left + this.right) / 2, this.bottom + 18);
    c.save();
    c.translate(12, (this.top + this.bottom) / 2);
    c.rotate(-Math.PI / 2);
    c.textBaseline = 'middle';
    c.fillText(yTitle, 0, 0);
    c.restore();
  }

  /** A polyline through (x, y) pairs; non-finite or non-positive (on log axes) values break it. */
  line(points: ArrayLike<number>, color: string, width = 2, dash: number[] = []): void {
    const c = this.context;
    c.strokeStyle = color;
    c.lineWidth = width;
    c.setLineDash(dash);
    c.beginPath();
    let drawing = false;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const ok = this.#valid(points[i], this.x) && this.#valid(points[i + 1], this.y);
      if (!ok) {
        drawing = false;
        continue;
      }
      const x = this.px(points[i]);
      const y = this.py(points[i + 1]);
      if (drawing) c.lineTo(x, y);
      else c.moveTo(x, y);
      drawing = true;
    }
    c.stroke();
    c.setLineDash([]);
  }

  dot(x: number, y: number, color: string, radius = 3): void {
    if (!this.#valid(x, this.x) || !this.#valid(y, this.y)) return;
    const c = this.context;
    c.fillStyle = color;
    c.beginPath();
    c.arc(this.px(x), this.py(y), radius, 0, 2 * Math.PI);
    c.fill();
  }

  #valid(value: number, axis: Axis): boolean {
    return Number.isFinite(value) && (!axis.log || value > 0);
  }
}

function fraction(value: number, axis: Axis): number {
  if (axis.log) {
    const low = Math.log10(axis.low);
    return (Math.log10(value) - low) / (Math.log10(axis.high) - low || 1);
  }
  return (value - axis.low) / (axis.high - axis.low || 1);
}

/** An axis covering the values (positive ones only, for a log axis), with a little room. */
export function axisFor(values: number[], log: boolean, includeZero = false): Axis {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) return { low: log ? 0.01 : 0, high: 1, log };
  let low = Math.min(...usable);
  let high = Math.max(...usable);
  if (log) {
    if (high / low < 1.5) {
      low /= 1.25;
      high *= 1.25;
    }
    return { low: low / 1.05, high: high * 1.05, log };
  }
  if (includeZero) low = Math.min(0, low);
  if (high - low < 1e-12) high = low + 1;
  return { low, high: high + 0.02 * (high - low), log };
}

/** Tick values: 1, 2, 5 x 10^k on log axes (decades only when there are 3 or more), round steps on linear ones. */
export function ticks(axis: Axis): number[] {
  if (axis.log) {
    const low = Math.log10(axis.low);
    const high = Math.log10(axis.high);
    const all: { value: number; decade: boolean }[] = [];
    for (let exponent = Math.floor(low); exponent <= Math.ceil(high); exponent++) {
      for (const m of [1, 2, 5]) {
        const log = exponent + Math.log10(m);
        if (log >= low && log <= high) all.push({ value: m * 10 ** exponent, decade: m === 1 });
      }
    }
    const decades = all.filter((t) => t.decade);
    return (decades.length >= 3 ? decades : all).map((t) => t.value);
  }
  const span = axis.high - axis.low;
  const rough = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(axis.low / step) * step; v <= axis.high + 1e-9 * span; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}
