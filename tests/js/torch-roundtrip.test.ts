// Models move between LatentLab and PyTorch: wasm trains and saves, PyTorch
// (Debian's python3-torch, through python/latentlab_torch.py) loads, checks
// that it reconstructs the same, trains further and saves, and wasm loads that
// file and reconstructs what PyTorch did. Both directions agree to 1e-5.
// The '-f16' cases travel as float16: LatentLab saves them with
// save({ dtype: 'F16' }), PyTorch converts its trained module with .half()
// and saves that, and LatentLab reads exactly the halves PyTorch held.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { init, type ModelConfig } from 'latentlab';
import { readFile } from './model-file-bytes';

const python = '/usr/bin/python3';
const script = path.resolve('tests/python/test_torch_roundtrip.py');
const tolerance = 1e-5;
const width = 64;

const cases: Record<string, ModelConfig> = {
  mse: { inputSize: width, encoder: [32], latentSize: 8, seed: 1 },
  'bce-tanh': {
    inputSize: width,
    encoder: [24, 16],
    latentSize: 4,
    decoder: [20, 12],
    activation: 'tanh',
    decoderActivation: 'relu',
    latentActivation: 'tanh',
    loss: 'bce',
    seed: 2,
  },
  variational: { inputSize: width, encoder: [32], latentSize: 3, variational: { beta: 0.5 }, seed: 3 },
  'every-part': {
    inputSize: width,
    encoder: [16],
    latentSize: 4,
    activation: 'sigmoid',
    outputActivation: 'identity',
    sparsity: { kind: 'kl', target: 0.05, weight: 0.1 },
    noise: { kind: 'gaussian', std: 0.1 },
    contractive: { weight: 0.01 },
    seed: 4,
  },
  // Convolutional models: Conv2d/ConvTranspose2d weights in PyTorch's layouts.
  'conv-strided': {
    inputShape: [1, 8, 8],
    encoder: [{ conv: 4, kernel: 3, stride: 2, padding: 1 }],
    latentSize: 3,
    seed: 5,
  },
  'conv-pooled': {
    inputShape: [1, 8, 8],
    encoder: [{ conv: 3, kernel: 3, padding: 1 }, { pool: 2 }, 10],
    latentSize: 4,
    activation: 'tanh',
    seed: 6,
  },
  'conv-upsampled-vae': {
    inputShape: [4, 4, 4],
    encoder: [{ conv: 2, kernel: 2, stride: 2 }],
    latentSize: 2,
    decoder: [8, { reshape: [2, 2, 2] }, { upsample: 2 }, { conv: 4, kernel: 3, padding: 1 }],
    loss: 'bce',
    variational: {},
    seed: 7,
  },
};

// Float16 files (save({ dtype: 'F16' }) and a .half() module back).
const halfCases: Record<string, ModelConfig> = {
  'mse-f16': cases.mse,
  'conv-pooled-f16': cases['conv-pooled'],
  'variational-f16': cases.variational,
};
const allCases = { ...cases, ...halfCases };

function dtypesOf(bytes: Uint8Array): string[] {
  const { header } = readFile(bytes);
  return Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([, entry]) => (entry as { dtype: string }).dtype);
}

function floats(file: string): Float32Array {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

it('moves trained models to PyTorch and back, reconstructions agreeing to 1e-5', async () => {
  const ll = await init();
  const directory = mkdtempSync(path.join(tmpdir(), 'latentlab-torch-'));
  try {
    const inputs = new Float32Array(40 * width);
    for (let i = 0; i < inputs.length; i++) inputs[i] = (Math.sin(i * 0.37) + 1) / 2;
    writeFileSync(path.join(directory, 'inputs.f32'), inputs);
    const saved = new Map<string, Float32Array>();
    for (const [name, config] of Object.entries(allCases)) {
      const trained = ll.createModel(config);
      trained.trainEpoch(inputs, { batchSize: 8, learningRate: 1e-2 });
      const bytes = trained.save({ dtype: name in halfCases ? 'F16' : 'F32' });
      trained.dispose();
      const model = ll.loadModel(bytes); // what the file holds: the halves, for F16
      writeFileSync(path.join(directory, `${name}.safetensors`), bytes);
      writeFileSync(path.join(directory, `${name}.recon.f32`), model.reconstruct(inputs));
      saved.set(name, model.parameters());
      model.dispose();
    }

    const output = execFileSync(python, [script, directory, ...Object.keys(allCases)], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const reports = output
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            case: string;
            dtype: string;
            loadMaxAbsDiff: number;
            independentReaders: string[];
          },
      );
    expect(reports.map((r) => r.case)).toEqual(Object.keys(allCases));

    for (const report of reports) {
      const name = report.case;
      const half = name in halfCases;
      expect(report.dtype).toBe(half ? 'F16' : 'F32');
      const file = readFileSync(path.join(directory, `${name}.torch.safetensors`));
      expect(new Set(dtypesOf(file))).toEqual(new Set([half ? 'F16' : 'F32']));
      const model = ll.loadModel(file);
      if (half) {
        // PyTorch's .half() weights, read exactly: the same values as its F32 file of them.
        expect(report.independentReaders).toContain('numpy');
        const asFloats = ll.loadModel(readFileSync(path.join(directory, `${name}.torch-f32.safetensors`)));
        expect(model.parameters()).toEqual(asFloats.parameters());
        expect(model.save({ dtype: 'F16' })).toEqual(new Uint8Array(file));
        asFloats.dispose();
      }
      const original = ll.loadModel(readFileSync(path.join(directory, `${name}.safetensors`)));
      expect(model.config).toEqual(original.config);
      original.dispose();
      expect(model.parameters()).not.toEqual(saved.get(name)); // PyTorch trained it
      const back = maxAbsDifference(
        model.reconstruct(inputs),
        floats(path.join(directory, `${name}.torch-recon.f32`)),
      );
      console.log(
        `${name} (${report.dtype}): max |LatentLab - PyTorch| reconstruction: to PyTorch ${report.loadMaxAbsDiff.toExponential(2)}, back ${back.toExponential(2)}`,
      );
      expect(report.loadMaxAbsDiff).toBeLessThanOrEqual(tolerance);
      expect(back).toBeLessThanOrEqual(tolerance);
      model.dispose();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

it("fills in a configuration's defaults in PyTorch exactly as the engine's schema does", async () => {
  const ll = await init();
  const defaults = JSON.parse(
    execFileSync(
      python,
      ['-c', 'import json, latentlab_torch as lt; print(json.dumps(lt._CONFIG_DEFAULTS))'],
      { env: { ...process.env, PYTHONPATH: path.resolve('python') }, encoding: 'utf8' },
    ),
  ) as Record<string, unknown>;
  const options = ll.modelSchema.options;
  // The same options in the same order (the order LatentLab writes them).
  expect(Object.keys(defaults)).toEqual(options.map((option) => option.name));
  for (const option of options) {
    expect(defaults[option.name] ?? undefined, option.name).toEqual(option.default);
  }
});
