// Numbers behind the views that are the page's own (drawing, not the
// engine's statistics: those are in statistics.test.ts), against
// hand-computed references: the drawing pad's MNIST preparation and the
// chart ticks.
import { describe, expect, test } from 'vitest';
import { toMnistDigit } from '../../web/src/lab/mnist-preprocess';
import { ticks } from '../../web/src/views/chart';

describe('toMnistDigit', () => {
  test('no ink gives an empty digit', () => {
    expect(toMnistDigit(new Float32Array(100 * 100), 100, 100).every((v) => v === 0)).toBe(true);
  });

  test('a square of ink in a corner becomes a 20 x 20 square centred in 28 x 28', () => {
    const ink = new Float32Array(200 * 200);
    for (let y = 10; y < 60; y++) for (let x = 10; x < 60; x++) ink[y * 200 + x] = 1;
    const digit = toMnistDigit(ink, 200, 200);
    let count = 0;
    let sumX = 0;
    let sumY = 0;
    digit.forEach((v, i) => {
      if (v > 0.5) {
        count++;
        sumX += i % 28;
        sumY += Math.floor(i / 28);
      }
    });
    expect(count).toBe(400);
    expect(sumX / count).toBeCloseTo(13.5, 5);
    expect(sumY / count).toBeCloseTo(13.5, 5);
  });

  test('a tall stroke keeps its aspect ratio: 20 pixels high, thin', () => {
    const ink = new Float32Array(280 * 280);
    for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) ink[y * 280 + x] = 1;
    const digit = toMnistDigit(ink, 280, 280);
    const rows = new Set<number>();
    const columns = new Set<number>();
    digit.forEach((v, i) => {
      if (v > 0.5) {
        rows.add(Math.floor(i / 28));
        columns.add(i % 28);
      }
    });
    expect(rows.size).toBe(20);
    expect(columns.size).toBe(2);
  });

  test('rejects ink of the wrong size', () => {
    expect(() => toMnistDigit(new Float32Array(10), 4, 4)).toThrow(/4 x 4/);
  });
});

test('chart ticks: decades on long log axes, round steps on linear ones', () => {
  expect(ticks({ low: 0.001, high: 2, log: true })).toEqual([0.001, 0.01, 0.1, 1]);
  expect(ticks({ low: 0.02, high: 0.09, log: true })).toEqual([0.02, 0.05]);
  expect(ticks({ low: 0, high: 1, log: false })).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  expect(ticks({ low: 0, high: 4.3, log: false })).toEqual([0, 1, 2, 3, 4]);
});
