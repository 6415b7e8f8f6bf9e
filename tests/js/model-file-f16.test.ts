// Model files with float16 tensors through the public API: save({ dtype:
// 'F16' }) writes about half the bytes, each weight the nearest half (read
// back here with a binary16 decoder of its own), loads back, reconstructs
// within half precision of the float32 model; the default stays the float32
// file it always was; bad options and weights beyond the half range are refused.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type ModelConfig } from 'latentlab';
import { images, makeFile, readFile, scaleWeights } from './model-file-bytes';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

/** IEEE binary16 bits -> number, from the definition. */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** Every tensor of a model file, decoded from its bytes as its dtype says. */
function tensorsOf(bytes: Uint8Array): Map<string, { dtype: string; values: Float64Array }> {
  const { header, data } = readFile(bytes);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tensors = new Map<string, { dtype: string; values: Float64Array }>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const {
      dtype,
      data_offsets: [begin, end],
    } = entry as { dtype: string; data_offsets: [number, number] };
    const size = dtype === 'F16' ? 2 : 4;
    const values = new Float64Array((end - begin) / size);
    for (let i = 0; i < values.length; i++) {
      const at = begin + i * size;
      values[i] = size === 2 ? halfValue(view.getUint16(at, true)) : view.getFloat32(at, true);
    }
    tensors.set(name, { dtype, values });
  }
  return tensors;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

const mnistMlp: ModelConfig = { inputSize: 784, encoder: [256], latentSize: 32 };

describe('save({ dtype: "F16" })', () => {
  it('halves the file of the default 784-256-32 MLP; the header but for dtypes and offsets is the same', () => {
    const model = ll.createModel(mnistMlp);
    const f32 = model.save();
    const f16 = model.save({ dtype: 'F16' });
    console.log(`784-256-32 MLP: F32 ${f32.length} bytes, F16 ${f16.length} bytes`);
    const a = readFile(f32);
    const b = readFile(f16);
    expect(b.data.length * 2).toBe(a.data.length);
    expect(f16.length).toBeLessThan(f32.length / 2 + 1024);
    expect(b.headerLength % 8).toBe(0);
    expect(b.header.__metadata__).toEqual(a.header.__metadata__);
    let values = 0;
    for (const tensor of model.weights()) {
      const entry = b.header[tensor.name] as { dtype: string; shape: number[]; data_offsets: number[] };
      expect(entry).toEqual({
        dtype: 'F16',
        shape: tensor.shape,
        data_offsets: [2 * values, 2 * (values + tensor.values.length)],
      });
      values += tensor.values.length;
    }
    model.dispose();
  });

  it('loads back with every weight the nearest half of the float32 weight', () => {
    const model = ll.createModel({ inputSize: 64, encoder: [32], latentSize: 8, seed: 3 });
    model.trainEpoch(images(256, 64), { batchSize: 32, learningRate: 1e-2 });
    const f16 = model.save({ dtype: 'F16' });
    const onFile = tensorsOf(f16);
    const loaded = ll.loadModel(f16);
    expect(loaded.config).toEqual(model.config);
    let checked = 0;
    for (const [index, tensor] of model.weights().entries()) {
      const read = loaded.weights()[index];
      expect(read.name).toBe(tensor.name);
      const half = onFile.get(tensor.name)!;
      expect(half.dtype).toBe('F16');
      // The engine reads exactly the halves the file holds ...
      expect(Array.from(read.values)).toEqual(Array.from(half.values));
      // ... and each is within half a step of float16 (2^-11 relative, 2^-25 absolute near 0).
      for (let i = 0; i < tensor.values.length; i++, checked++) {
        const w = tensor.values[i];
        expect(Math.abs(read.values[i] - w)).toBeLessThanOrEqual(Math.max(Math.abs(w) * 2 ** -11, 2 ** -25));
      }
    }
    expect(checked).toBe(model.parameterCount);
    // Halves are floats: saved again as F16 nothing changes, as F32 the values stay.
    expect(loaded.save({ dtype: 'F16' })).toEqual(f16);
    const again = ll.loadModel(loaded.save());
    expect(again.parameters()).toEqual(loaded.parameters());
    for (const m of [model, loaded, again]) m.dispose();
  });

  it('reconstructs within half precision of the float32 model', () => {
    const data = images(200, 784);
    const model = ll.createModel({ ...mnistMlp, seed: 1 });
    model.trainEpoch(data, { batchSize: 50, learningRate: 1e-3 });
    const loaded = ll.loadModel(model.save({ dtype: 'F16' }));
    const recon = model.reconstruct(data);
    const difference = maxAbsDifference(loaded.reconstruct(data), recon);
    const codeDifference = maxAbsDifference(loaded.encode(data), model.encode(data));
    console.log(
      `F16 vs F32: max |reconstruction difference| ${difference.toExponential(2)}, codes ${codeDifference.toExponential(2)}`,
    );
    expect(difference).toBeGreaterThan(0); // the weights did change
    expect(difference).toBeLessThan(1e-3);
    expect(loaded.evaluate(data).loss).toBeCloseTo(model.evaluate(data).loss, 4);
    model.dispose();
    loaded.dispose();
  });

  it('leaves the default file as it was: save(), save({}) and F32 give the bytes of files written before F16', () => {
    const model = ll.createModel({ inputSize: 12, encoder: [8], latentSize: 3, seed: 1 });
    const bytes = model.save();
    expect(model.save({})).toEqual(bytes);
    expect(model.save({ dtype: 'F32' })).toEqual(bytes);
    expect(model.save({ dtype: undefined })).toEqual(bytes);
    model.dispose();
    // The fuzzer's seed files of version 2 were written by the engine before it knew F16.
    const corpus = new URL('../fuzz/corpus/model_file/', import.meta.url);
    let compared = 0;
    for (const name of readdirSync(corpus)) {
      const file = new Uint8Array(readFileSync(new URL(name, corpus)));
      const { header } = readFile(file);
      const dtypes = Object.entries(header).filter(([key]) => key !== '__metadata__');
      if (
        header.__metadata__.version !== '2' ||
        dtypes.some(([, entry]) => (entry as { dtype: string }).dtype !== 'F32')
      ) {
        continue; // version 1 saves as version 2; F16 seeds are new
      }
      const loaded = ll.loadModel(file);
      expect(loaded.save(), name).toEqual(file);
      loaded.dispose();
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it('rejects unknown options and dtypes with the usual errors', () => {
    const model = ll.createModel({ inputSize: 12, encoder: [8], latentSize: 3 });
    const save = model.save.bind(model) as (options?: unknown) => Uint8Array;
    expect(() => save({ dtype: 'F64' })).toThrow(
      new RangeError(`dtype must be one of 'F32', 'F16', got "F64"`),
    );
    expect(() => save({ dtype: 'f16' })).toThrow(RangeError);
    expect(() => save({ dtype: 16 })).toThrow(new RangeError(`dtype must be one of 'F32', 'F16', got 16`));
    // null and undefined mean the default, as for every other option.
    expect(save({ dtype: null })).toEqual(save());
    expect(() => save({ dtipe: 'F16' })).toThrow(
      new TypeError(`save options: unknown option 'dtipe' (known: dtype)`),
    );
    expect(() => save(null)).toThrow(new TypeError('save options must be an object'));
    expect(() => save('F16')).toThrow(new TypeError('save options must be an object'));
    expect(() => save([])).toThrow(TypeError);
    model.dispose();
    expect(() => model.save({ dtype: 'F16' })).toThrow(/^this Model has been disposed$/);
  });

  it('refuses a weight beyond the half range with an Error naming tensor, index and value', () => {
    const sound = ll.createModel({ inputSize: 12, encoder: [8], latentSize: 3, seed: 2 });
    // Every weight times 1e6: some of them now exceed 65504.
    const model = ll.loadModel(scaleWeights(sound.save(), 1e6));
    sound.dispose();
    let error: unknown;
    try {
      model.save({ dtype: 'F16' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor).toBe(Error);
    expect((error as Error).message).toMatch(
      /^model file: cannot save as F16: tensor 'layers\.0\.weight' holds -?\d+(\.\d+)? at \[\d+, \d+\], beyond the float16 range \(the largest half is 65504; from 65520 on a value would round to Infinity\): save it as F32$/,
    );
    // The first weight that is refused is the first on file with |w| >= 65520.
    const first = model.weights()[0];
    const index = first.values.findIndex((w) => Math.abs(w) >= 65520);
    const [, columns] = first.shape;
    expect((error as Error).message).toContain(`at [${Math.floor(index / columns)}, ${index % columns}]`);
    expect(model.save().length).toBeGreaterThan(0); // F32 holds them
    model.dispose();
  });

  it('a file whose halves are Infinity or NaN is refused on load, naming the tensor and the index', () => {
    const model = ll.createModel({ inputSize: 12, encoder: [8], latentSize: 3 });
    const { header, data } = readFile(model.save({ dtype: 'F16' }));
    model.dispose();
    const begin = (header['layers.0.bias'] as { data_offsets: number[] }).data_offsets[0];
    for (const [bits, text] of [
      [0x7c00, 'Infinity'],
      [0xfc00, '-Infinity'],
      [0x7e00, 'NaN'],
    ] as const) {
      const bad = data.slice();
      new DataView(bad.buffer).setUint16(begin + 2 * 5, bits, true);
      expect(() => ll.loadModel(makeFile(header, bad))).toThrow(
        new Error(`model file: tensor 'layers.0.bias' holds ${text} at [5]: every weight must be finite`),
      );
    }
  });
});
