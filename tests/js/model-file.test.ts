// Model files through the public API: save -> load -> save gives the same
// bytes, a loaded model computes what the saved one did, the header is plain
// safetensors JSON, and malformed or hostile files give Errors saying what is
// wrong without harming the engine.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type ModelConfig } from 'latentlab';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

/** n deterministic pseudo-images with values in [0, 1]. */
function images(n: number, width: number): Float32Array {
  const values = new Float32Array(n * width);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
  return values;
}

interface Header {
  __metadata__: Record<string, string>;
  [tensor: string]: unknown;
}

/** The header and data of a safetensors file, read with nothing but JSON.parse. */
function readFile(bytes: Uint8Array): { header: Header; data: Uint8Array; headerLength: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  return { header: JSON.parse(text) as Header, data: bytes.subarray(8 + headerLength), headerLength };
}

/** A file from any header object and data (the length field may lie when given). */
function makeFile(header: unknown, data: Uint8Array, length?: bigint): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + text.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, length ?? BigInt(text.length), true);
  bytes.set(text, 8);
  bytes.set(data, 8 + text.length);
  return bytes;
}

const families: [string, ModelConfig][] = [
  ['plain', { inputSize: 12, encoder: [8], latentSize: 3, seed: 1 }],
  [
    'every part',
    {
      inputSize: 12,
      encoder: [8, 6],
      latentSize: 2,
      decoder: [5],
      activation: 'sigmoid',
      decoderActivation: 'relu',
      latentActivation: 'tanh',
      loss: 'bce',
      seed: 9,
      sparsity: { kind: 'kl', target: 0.1, weight: 0.5, layer: 1 },
      noise: { kind: 'mask', rate: 0.25 },
      contractive: { weight: 0.01 },
    },
  ],
  ['variational', { inputSize: 12, encoder: [8], latentSize: 2, seed: 4, variational: { beta: 0.5 } }],
];

describe('save and load', () => {
  it.each(families)('%s: save -> load -> save gives the same bytes and the same model', (_, config) => {
    const model = ll.createModel(config);
    const bytes = model.save();
    expect(bytes).toBeInstanceOf(Uint8Array);
    const loaded = ll.loadModel(bytes);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.parameters()).toEqual(model.parameters());
    expect(loaded.save()).toEqual(bytes);
    const x = images(5, model.inputSize);
    expect(loaded.reconstruct(x)).toEqual(model.reconstruct(x));
    expect(loaded.encode(x)).toEqual(model.encode(x));
    model.dispose();
    loaded.dispose();
  });

  it('keeps what training learned, and the loaded model trains on', () => {
    const config: ModelConfig = { inputSize: 64, encoder: [32], latentSize: 4, seed: 2 };
    const data = images(256, 64);
    const model = ll.createModel(config);
    const untrained = model.save();
    model.trainEpoch(data, { batchSize: 32, learningRate: 1e-2 });
    const trained = model.save();
    expect(trained).not.toEqual(untrained);
    const loaded = ll.loadModel(trained);
    expect(loaded.parameters()).toEqual(model.parameters());
    expect(loaded.evaluate(data).loss).toBe(model.evaluate(data).loss);
    const fresh = ll.loadModel(untrained);
    expect(loaded.evaluate(data).loss).toBeLessThan(fresh.evaluate(data).loss);
    fresh.dispose();
    const before = loaded.evaluate(data).loss;
    loaded.trainEpoch(data, { batchSize: 32, learningRate: 1e-2 });
    expect(loaded.evaluate(data).loss).toBeLessThan(before);
    model.dispose();
    loaded.dispose();
  });

  it('writes a safetensors header that JSON.parse reads: config, shapes, row-major weights', () => {
    const config: ModelConfig = { inputSize: 3, latentSize: 2, seed: 5, variational: { beta: 2 } };
    const model = ll.createModel(config);
    const bytes = model.save();
    const { header, data, headerLength } = readFile(bytes);
    expect(headerLength % 8).toBe(0);
    expect(header.__metadata__.format).toBe('latentlab');
    expect(header.__metadata__.version).toBe('2');
    expect(JSON.parse(header.__metadata__.config)).toEqual({
      inputSize: 3,
      encoder: [],
      latentSize: 2,
      decoder: [],
      activation: 'relu',
      decoderActivation: 'relu',
      latentActivation: 'identity',
      outputActivation: 'sigmoid',
      loss: 'mse',
      seed: 5,
      init: 'pytorch',
      variational: { beta: 2 },
    });
    // The variational code layer emits mean and log-variance: 4 x 3.
    expect(header['layers.0.weight']).toEqual({ dtype: 'F32', shape: [4, 3], data_offsets: [0, 48] });
    expect(header['layers.0.bias']).toEqual({ dtype: 'F32', shape: [4], data_offsets: [48, 64] });
    expect(header['layers.1.weight']).toEqual({ dtype: 'F32', shape: [3, 2], data_offsets: [64, 88] });
    expect(header['layers.1.bias']).toEqual({ dtype: 'F32', shape: [3], data_offsets: [88, 100] });
    expect(data.length).toBe(100);
    // parameters() is column-major per layer: W0(r, c) = p[c * 4 + r]; the file is row-major.
    const p = model.parameters();
    const file = new Float32Array(data.slice().buffer);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 3; c++) expect(file[r * 3 + c]).toBe(p[c * 4 + r]);
    }
    model.dispose();
  });

  it('returns a fresh copy every time', () => {
    const model = ll.createModel(families[0][1]);
    const a = model.save();
    a.fill(0);
    expect(model.save()).not.toEqual(a);
    model.dispose();
  });
});

describe('malformed and hostile files', () => {
  const good = () => {
    const model = ll.createModel(families[0][1]);
    const bytes = model.save();
    model.dispose();
    return readFile(bytes);
  };

  it('rejects each with an Error that says what is wrong, and leaks nothing', () => {
    const { header, data } = good();
    const withTensor = (name: string, field: string, value: unknown) =>
      makeFile({ ...header, [name]: { ...(header[name] as object), [field]: value } }, data);
    const withMetadata = (key: string, value: string | undefined) =>
      makeFile({ ...header, __metadata__: { ...header.__metadata__, [key]: value } }, data);
    const withWeight = (name: string, index: number, value: number) => {
      const copy = data.slice();
      const [begin] = (header[name] as { data_offsets: number[] }).data_offsets;
      new DataView(copy.buffer).setFloat32(begin + 4 * index, value, true);
      return makeFile(header, copy);
    };
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /model file: truncated: 0 bytes/],
      [
        'a header length of 2^63',
        makeFile(header, data, 1n << 63n),
        /header length 9223372036854775808 runs past the end/,
      ],
      [
        'truncated data',
        makeFile(header, data.subarray(0, data.length - 4)),
        /reach past the \d+ bytes of tensor data/,
      ],
      ['not JSON', makeFile(header, data).fill(0x7b, 8, 20), /the header is not valid JSON/],
      ['no metadata', makeFile({ ...header, __metadata__: undefined }, data), /no __metadata__/],
      ['another format', withMetadata('format', 'pt'), /__metadata__.format is 'pt', expected 'latentlab'/],
      ['another version', withMetadata('version', '9'), /unsupported version '9'/],
      ['no config', withMetadata('config', undefined), /__metadata__ has no 'config'/],
      // The very error createModel gives for the same configuration.
      [
        'an invalid config',
        withMetadata('config', '{"inputSize":0}'),
        /^inputSize must be an integer in \[1, 65536\], got 0$/,
      ],
      [
        'a 2^40-element tensor',
        withTensor('layers.0.weight', 'shape', [2 ** 20, 2 ** 20]),
        /1099511627776 float32 values.*data_offsets span 384 bytes/,
      ],
      [
        'a NaN weight',
        withWeight('layers.0.weight', 13, NaN),
        /^model file: tensor 'layers.0.weight' holds NaN at \[1, 1\]: every weight must be finite$/,
      ],
      [
        'an infinite bias',
        withWeight('layers.0.bias', 7, -Infinity),
        /'layers.0.bias' holds -Infinity at \[7\]/,
      ],
      ['F64 weights', withTensor('layers.0.bias', 'dtype', 'F64'), /has dtype "F64", only "F32"/],
      ['overlapping tensors', withTensor('layers.0.bias', 'data_offsets', [0, 32]), /overlap/],
      [
        'a shape the config does not imply',
        withTensor('layers.0.weight', 'shape', [12, 8]),
        /has shape \[12, 8\], the config implies \[8, 12\]/,
      ],
    ];
    const before = ll.heapBytes();
    for (const [what, bytes, message] of cases) {
      expect(() => ll.loadModel(bytes), what).toThrow(message);
    }
    expect(() => ll.loadModel([1, 2, 3] as unknown as Uint8Array)).toThrow(
      /bytes must be a Uint8Array.*Array/,
    );
    expect(ll.heapBytes()).toBe(before);
    // The engine is unharmed.
    const model = ll.createModel(families[0][1]);
    expect(model.reconstruct(images(1, 12)).length).toBe(12);
    model.dispose();
  });

  it('rejects random bytes', () => {
    let state = 12345;
    const random = new Uint8Array(4096).map(() => (state = (state * 1103515245 + 12345) >>> 0) >>> 24);
    expect(() => ll.loadModel(random)).toThrow(/^model file: /);
  });
});
