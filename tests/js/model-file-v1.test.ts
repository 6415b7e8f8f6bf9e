// Model files of format version 1, written by the last version that wrote
// it (tests/fixtures/model-v1/README.md), load in this version with the same
// configuration and compute the very reconstructions and codes they did.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab } from 'latentlab';

const directory = new URL('../fixtures/model-v1/', import.meta.url);
interface Expected {
  inputs: number[];
  models: Record<string, { config: Record<string, unknown>; reconstruction: number[]; codes: number[] }>;
}
const expected = JSON.parse(readFileSync(new URL('expected.json', directory), 'utf8')) as Expected;

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

function expectClose(actual: Float32Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const largest = Math.max(...Array.from(actual, (v, i) => Math.abs(v - expected[i])));
  expect(largest).toBeLessThan(1e-5);
}

describe('version 1 model files', () => {
  it.each(Object.keys(expected.models))('%s loads and computes what it did', (name) => {
    const bytes = new Uint8Array(readFileSync(new URL(`${name}.safetensors`, directory)));
    const header = new TextDecoder().decode(
      bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
    );
    expect(JSON.parse(header).__metadata__.version).toBe('1');
    const model = ll.loadModel(bytes);
    const want = expected.models[name];
    // What version 1 reported, plus the option version 2 added, at its default.
    expect(model.config).toEqual({ ...want.config, init: 'pytorch' });
    const inputs = new Float32Array(expected.inputs);
    // To float rounding: the kernels have changed since (own GEMM, four-lane sigmoid).
    expectClose(model.reconstruct(inputs), want.reconstruction);
    expectClose(model.encode(inputs), want.codes);
    // Saved again, it is a version 2 file of the same model.
    const again = ll.loadModel(model.save());
    expectClose(again.reconstruct(inputs), want.reconstruction);
    again.dispose();
    model.dispose();
  });
});
