// Model files through the public API: save -> load -> save gives the same
// bytes, a loaded model computes what the saved one did, the header is plain
// safetensors JSON. Malformed and hostile files are in bad-input.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type ModelConfig } from 'latentlab';
import { images, readFile } from './model-file-bytes';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

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
