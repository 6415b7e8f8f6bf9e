// Numbers behind the views, against hand-computed or independent references:
// the drawing pad's MNIST preparation, ROC curves, normal quantiles, the
// seeded Gaussian generator and the chart ticks.
import { describe, expect, test } from 'vitest';
import { init } from '../../dist/index.js';
import { toMnistDigit } from '../../web/src/lab/mnist-preprocess';
import { gaussianGenerator, normalQuantile } from '../../web/src/worker/compute/generation';
import { rocCurve } from '../../web/src/worker/compute/uses';
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

describe('rocCurve', () => {
  test('perfectly separated scores go straight up, then across', () => {
    expect(Array.from(rocCurve([1, 2], [3, 4], 100))).toEqual([0, 0, 0, 0.5, 0, 1, 0.5, 1, 1, 1]);
  });

  test('its area matches the engine ROC-AUC', async () => {
    const ll = await init();
    const random = gaussianGenerator(3);
    const normal = Array.from({ length: 500 }, () => random());
    const anomalous = Array.from({ length: 300 }, () => random() + 1);
    const curve = rocCurve(normal, anomalous, 1000);
    let area = 0;
    for (let i = 2; i < curve.length; i += 2)
      area += ((curve[i] - curve[i - 2]) * (curve[i + 1] + curve[i - 1])) / 2;
    const labels = [...normal.map(() => 0), ...anomalous.map(() => 1)];
    expect(area).toBeCloseTo(ll.rocAuc([...normal, ...anomalous], labels), 5);
    expect(curve.slice(-2)).toEqual(Float32Array.of(1, 1));
  });

  test('thinned to about maxPoints', () => {
    const random = gaussianGenerator(4);
    const curve = rocCurve(Array.from({ length: 1000 }, random), Array.from({ length: 1000 }, random), 200);
    expect(curve.length / 2).toBeLessThanOrEqual(202);
  });
});

test('normalQuantile inverts the normal CDF', () => {
  expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
  expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
  expect(normalQuantile(0.025)).toBeCloseTo(-1.959963985, 7);
  expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
  expect(() => normalQuantile(1)).toThrow(RangeError);
});

test('the seeded Gaussian generator repeats, and has mean 0 and variance 1', () => {
  const a = gaussianGenerator(7);
  const b = gaussianGenerator(7);
  const draws = Array.from({ length: 20000 }, () => a());
  expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
  const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
  expect(Math.abs(mean)).toBeLessThan(0.03);
  expect(variance).toBeCloseTo(1, 1);
});

test('chart ticks: decades on long log axes, round steps on linear ones', () => {
  expect(ticks({ low: 0.001, high: 2, log: true })).toEqual([0.001, 0.01, 0.1, 1]);
  expect(ticks({ low: 0.02, high: 0.09, log: true })).toEqual([0.02, 0.05]);
  expect(ticks({ low: 0, high: 1, log: false })).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  expect(ticks({ low: 0, high: 4.3, log: false })).toEqual([0, 1, 2, 3, 4]);
});
