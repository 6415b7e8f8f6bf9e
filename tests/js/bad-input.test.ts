// The catalogue of bad input: malformed and hostile arguments, model files,
// IDX files and URL hashes, each rejected with a message that names the
// problem (asserted as text), and each leaving the engine as it was: a model
// trained a little beforehand keeps bit-identical parameters, the heap is
// back where it was, and the model trains on.
//
// Elsewhere, not repeated here: files a reader uploads in the page
// (tests/e2e/own-data.test.ts, tests/e2e/errors.test.ts), sizes too large to
// allocate (limits.test.ts), a learning rate that makes training diverge
// (api.test.ts), and models whose finite weights overflow float
// (finite-outputs.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type Model, type ModelConfig } from 'latentlab';
import { defaultsFor, parseExperiment } from '../../web/src/lab/experiment';
import { idxFile } from './idx-file';
import { makeFile, readFile } from './model-file-bytes';

const config: ModelConfig = { inputSize: 784, encoder: [32], latentSize: 8, seed: 0 };

/** n deterministic pseudo-images with values in [0, 1]. */
function images(n: number, width = 784): Float32Array {
  const values = new Float32Array(n * width);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
  return values;
}

/** `values` with `value` at `index`. */
function withValue(values: Float32Array, index: number, value: number): Float32Array {
  const copy = values.slice();
  copy[index] = value;
  return copy;
}

/** The bits of a Float32Array, so that -0 and NaN compare exactly. */
function bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.slice().buffer);
}

function equalBits(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}

let ll: LatentLab;
let model: Model;
const data = images(64);
beforeAll(async () => {
  ll = await init();
  model = ll.createModel(config);
  model.trainSteps(data, { steps: 2, batchSize: 16 });
});

interface Entry {
  what: string;
  call: () => unknown;
  message: RegExp;
  /** The Error class, when it is more than Error. */
  type?: typeof TypeError | typeof RangeError;
}

/** Entries that throw, grouped; each group is a function so that it runs after beforeAll. */
const groups: [string, () => Entry[]][] = [
  [
    'createModel configurations',
    () => {
      const create = (bad: unknown) => () => ll.createModel(bad as ModelConfig);
      return [
        { what: 'not an object', call: create(784), message: /^a model config must be an object, got 784$/ },
        { what: 'null', call: create(null), message: /a model config must be an object, got null/ },
        { what: 'latentSize 0', call: create({ ...config, latentSize: 0 }), message: /^latentSize .*got 0$/ },
        {
          what: 'a negative inputSize',
          call: create({ ...config, inputSize: -784 }),
          message: /^inputSize must be an integer in \[1, 65536\], got -784$/,
          type: RangeError,
        },
        {
          what: 'inputSize NaN',
          call: create({ ...config, inputSize: NaN }),
          message: /^inputSize .*got NaN/,
        },
        {
          what: 'inputSize 1e300',
          call: create({ ...config, inputSize: 1e300 }),
          message: /^inputSize must be an integer in \[1, 65536\], got 1e\+300$/,
        },
        {
          what: 'inputSize a string',
          call: create({ ...config, inputSize: '784' }),
          message: /^inputSize must be an integer in \[1, 65536\], got "784"$/,
        },
        {
          what: 'a fractional encoder size',
          call: create({ ...config, encoder: [256, 1.5] }),
          message: /^encoder\[1\] .*got 1\.5/,
        },
        {
          what: 'an encoder size of Infinity',
          call: create({ ...config, encoder: [Infinity] }),
          message: /^encoder\[0\] .*got Infinity/,
        },
        {
          what: 'a decoder not an array',
          call: create({ ...config, decoder: 256 }),
          message: /^decoder must be/,
        },
        {
          what: 'an unknown activation',
          call: create({ ...config, activation: 'gelu' }),
          message: /^activation must be one of 'identity', 'relu', 'sigmoid', 'tanh', got "gelu"$/,
        },
        { what: 'an unknown loss', call: create({ ...config, loss: 'l1' }), message: /^loss must be one of/ },
        {
          what: 'bce without a sigmoid output',
          call: create({ ...config, loss: 'bce', outputActivation: 'identity' }),
          message: /bce.*sigmoid/,
        },
        { what: 'a negative seed', call: create({ ...config, seed: -1 }), message: /^seed .*got -1/ },
        {
          what: 'seed 2^64',
          call: create({ ...config, seed: 2 ** 64 }),
          message: /^seed must be an integer in \[0, 9007199254740991\], got 1\.8446744073709552e\+19$/,
        },
        {
          what: 'an unknown option',
          call: create({ ...config, hidden: [256] }),
          message: /unknown option 'hidden'/,
        },
        {
          what: 'an unknown key inside a part',
          call: create({ ...config, sparsity: { kind: 'l1', weight: 1e-3, colour: 1 } }),
          message: /^sparsity: unknown option 'colour' \(known: kind, weight, target, layer\)$/,
        },
        {
          what: 'a sparsity weight of NaN',
          call: create({ ...config, sparsity: { kind: 'l1', weight: NaN } }),
          message: /^sparsity\.weight .*got NaN/,
        },
        {
          what: 'a noise rate above 1',
          call: create({ ...config, noise: { kind: 'mask', rate: 1.5 } }),
          message: /^noise\.rate .*got 1\.5/,
        },
        {
          what: '60000 x 60000 hidden units',
          call: create({ ...config, encoder: [60000, 60000] }),
          message: /^the model would hold \d+ parameters .*a model can hold at most/,
        },
      ];
    },
  ],
  [
    'training options',
    () => {
      const train = (options: object) => () => model.trainEpoch(data, options);
      return [
        { what: 'batchSize 0', call: train({ batchSize: 0 }), message: /^batchSize .*got 0$/ },
        { what: 'batchSize 1.5', call: train({ batchSize: 1.5 }), message: /^batchSize .*got 1\.5$/ },
        {
          what: 'a negative learningRate',
          call: train({ learningRate: -1 }),
          message: /^learningRate .*got -1$/,
        },
        { what: 'learningRate NaN', call: train({ learningRate: NaN }), message: /^learningRate .*got NaN$/ },
        {
          what: 'learningRate a string',
          call: train({ learningRate: '0.01' }),
          message: /^learningRate must be a number, got "0\.01"$/,
          type: TypeError,
        },
        {
          what: 'an unknown optimizer',
          call: train({ optimizer: 'rmsprop' }),
          message: /^optimizer must be one of/,
        },
        { what: 'beta2 of 1', call: train({ beta2: 1 }), message: /^beta2 .*got 1$/ },
        { what: 'an unknown option', call: train({ lr: 0.1 }), message: /unknown option 'lr'/ },
        {
          what: 'onProgress not a function',
          call: train({ onProgress: 5 }),
          message: /^onProgress must be a function$/,
        },
        {
          what: 'steps 0',
          call: () => model.trainSteps(data, { steps: 0 }),
          message: /^steps must be a positive integer, got 0$/,
        },
        {
          what: 'steps Infinity',
          call: () => model.trainSteps(data, { steps: Infinity }),
          message: /^steps must be a positive integer, got Infinity$/,
        },
      ];
    },
  ],
  [
    'data arrays',
    () => [
      {
        what: '783 values',
        call: () => model.trainEpoch(new Float32Array(783)),
        message: /^data must hold a positive multiple of 784 values .*got 783$/,
      },
      {
        what: 'no values',
        call: () => model.trainEpoch(new Float32Array(0)),
        message: /^data must hold a positive multiple of 784 values .*got 0$/,
      },
      {
        what: 'a NaN',
        call: () => model.trainEpoch(withValue(data, 800, NaN)),
        message: /^data\[800\] is NaN, values must be finite$/,
      },
      {
        what: 'an Infinity',
        call: () => model.trainEpoch(withValue(data, 3, Infinity)),
        message: /^data\[3\] is Infinity, values must be finite$/,
      },
      {
        what: 'a plain Array',
        call: () => model.trainEpoch(Array.from(data) as unknown as Float32Array),
        message: /^data must be a Float32Array or a Dataset, got Array$/,
        type: TypeError,
      },
      {
        what: 'a Float64Array',
        call: () => model.encode(new Float64Array(784) as unknown as Float32Array),
        message: /^images must be a Float32Array or a Dataset, got Float64Array$/,
      },
      {
        what: 'images of 785 values to encode',
        call: () => model.encode(new Float32Array(785)),
        message: /^images must hold a positive multiple of 784/,
      },
      {
        what: 'a NaN to reconstruct',
        call: () => model.reconstruct(withValue(data, 800, NaN)),
        message: /^images\[800\] is NaN$/,
      },
      {
        what: 'a NaN to denoise',
        call: () => model.denoise(withValue(data, 5, NaN)),
        message: /^noisyImages\[5\] is NaN$/,
      },
      {
        what: 'an Infinity to evaluate',
        call: () => model.evaluate(withValue(data, 3, Infinity)),
        message: /^images\[3\] is Infinity/,
      },
      {
        what: 'a -Infinity for anomalyScores',
        call: () => model.anomalyScores(withValue(data, 9, -Infinity)),
        message: /^images\[9\] is -Infinity/,
      },
      {
        what: 'codes of the wrong width',
        call: () => model.decode(new Float32Array(9)),
        message: /^codes must hold a positive multiple of 8 values/,
      },
      {
        what: 'a NaN code',
        call: () => model.decode(withValue(new Float32Array(8), 2, NaN)),
        message: /^codes\[2\] is NaN$/,
      },
      {
        what: 'an infinite end to interpolate',
        call: () => model.interpolate(images(1), withValue(images(1), 7, Infinity), 5),
        message: /^b\[7\] is Infinity/,
      },
      {
        what: 'two images as one end',
        call: () => model.interpolate(images(2), images(1), 5),
        message: /^a must be one image of 784 values, got 1568$/,
      },
      {
        what: 'interpolation steps of 1e9',
        call: () => model.interpolate(images(1), images(1), 1e9),
        message: /^steps must be an integer in \[2, 10000\], got 1000000000$/,
      },
      {
        what: 'a sample from a model that is not variational',
        call: () => model.sample(4),
        message: /^sampling needs a variational model/,
      },
      {
        what: '1e9 samples',
        call: () => model.sample(1e9),
        message: /^count must be an integer in \[1, 1000000\], got 1000000000$/,
      },
      {
        what: 'a fractional sample seed',
        call: () => model.sample(1, { seed: 0.5 }),
        message: /^seed must be a non-negative safe integer, got 0\.5$/,
      },
      {
        what: 'a layer past the code',
        call: () => model.hiddenActivations(data, 2),
        message: /^layer must be an encoder layer index in \[0, 1\], got 2$/,
      },
      {
        what: 'histogram bins of NaN',
        call: () => model.activationStatistics(data, 0, { bins: NaN }),
        message: /^bins must be an integer in \[1, 10000\], got NaN$/,
      },
      {
        what: 'a dataset of 0 features',
        call: () => ll.createDataset(images(4), 0),
        message: /^features must be .*got 0/,
      },
      {
        what: 'bytes with a scale of Infinity',
        call: () => ll.createDataset(new Uint8Array(784), 784, { scale: Infinity }),
        message: /^scale must be a finite number > 0, got Infinity$/,
      },
      {
        what: 'a dataset of another width',
        call: () => {
          const narrow = ll.createDataset(images(2, 10), 10);
          try {
            return model.trainEpoch(narrow);
          } finally {
            narrow.dispose();
          }
        },
        message: /^the data has 10 features per sample, the model expects 784$/,
      },
      {
        what: 'bce targets outside [0, 1]',
        call: () => {
          const bce = ll.createModel({ ...config, loss: 'bce' });
          try {
            return bce.trainEpoch(withValue(data, 5, 1.5));
          } finally {
            bce.dispose();
          }
        },
        message: /\[0, 1\] for loss 'bce'/,
      },
      {
        what: 'a PCA with more components than inputs',
        call: () => ll.createPCA({ inputSize: 4, components: 5 }),
        message: /^components must be an integer in \[1, inputSize\], got 5$/,
      },
      {
        what: 'a PCA fitted on NaN',
        call: () => {
          const pca = ll.createPCA({ inputSize: 784, components: 2 });
          try {
            return pca.fit(withValue(data, 11, NaN));
          } finally {
            pca.dispose();
          }
        },
        message: /^images\[11\] is NaN, values must be finite$/,
      },
      {
        what: 'corrupting images outside [0, 1]',
        call: () => ll.corrupt(withValue(images(1), 0, 2), { kind: 'mask', rate: 0.5 }),
        message: /^images must lie in \[0, 1\], got values in \[0\.001\d*, 2\]$/,
      },
    ],
  ],
  [
    'disposed handles',
    () => {
      const gone = ll.createModel(config);
      gone.dispose();
      const goneData = ll.createDataset(images(2), 784);
      goneData.dispose();
      return [
        { what: 'encode', call: () => gone.encode(data), message: /^this Model has been disposed$/ },
        { what: 'trainEpoch', call: () => gone.trainEpoch(data), message: /^this Model has been disposed$/ },
        { what: 'parameters', call: () => gone.parameters(), message: /^this Model has been disposed$/ },
        { what: 'save', call: () => gone.save(), message: /^this Model has been disposed$/ },
        {
          what: 'a disposed Dataset',
          call: () => model.trainEpoch(goneData),
          message: /^this Dataset has been disposed$/,
        },
      ];
    },
  ],
  [
    'model files',
    () => {
      const good = ll.createModel({ inputSize: 12, encoder: [8], latentSize: 3, seed: 1 });
      const bytes = good.save();
      good.dispose();
      const { header, data: tensors } = readFile(bytes);
      const load = (file: Uint8Array) => () => ll.loadModel(file);
      const withTensor = (name: string, field: string, value: unknown) =>
        makeFile({ ...header, [name]: { ...(header[name] as object), [field]: value } }, tensors);
      const withMetadata = (key: string, value: string | undefined) =>
        makeFile({ ...header, __metadata__: { ...header.__metadata__, [key]: value } }, tensors);
      const withWeight = (name: string, index: number, value: number) => {
        const copy = tensors.slice();
        const [begin] = (header[name] as { data_offsets: number[] }).data_offsets;
        new DataView(copy.buffer).setFloat32(begin + 4 * index, value, true);
        return makeFile(header, copy);
      };
      let state = 12345;
      const random = new Uint8Array(4096).map(() => (state = (state * 1103515245 + 12345) >>> 0) >>> 24);
      return [
        { what: 'empty', call: load(new Uint8Array(0)), message: /^model file: truncated: 0 bytes/ },
        { what: 'truncated to 100 bytes', call: load(bytes.subarray(0, 100)), message: /^model file: / },
        {
          what: 'a header length of 2^63',
          call: load(makeFile(header, tensors, 1n << 63n)),
          message: /header length 9223372036854775808 runs past the end/,
        },
        {
          what: 'truncated data',
          call: load(makeFile(header, tensors.subarray(0, tensors.length - 4))),
          message: /reach past the \d+ bytes of tensor data/,
        },
        {
          what: 'not JSON',
          call: load(makeFile(header, tensors).fill(0x7b, 8, 20)),
          message: /the header is not valid JSON/,
        },
        {
          what: 'no metadata',
          call: load(makeFile({ ...header, __metadata__: undefined }, tensors)),
          message: /no __metadata__/,
        },
        {
          what: 'another format',
          call: load(withMetadata('format', 'pt')),
          message: /__metadata__.format is 'pt', expected 'latentlab'/,
        },
        {
          what: 'another version',
          call: load(withMetadata('version', '9')),
          message: /unsupported version '9'/,
        },
        {
          what: 'no config',
          call: load(withMetadata('config', undefined)),
          message: /__metadata__ has no 'config'/,
        },
        {
          // The very error createModel gives for the same configuration.
          what: 'an invalid config',
          call: load(withMetadata('config', '{"inputSize":0}')),
          message: /^inputSize must be an integer in \[1, 65536\], got 0$/,
        },
        {
          what: 'a config that is not JSON',
          call: load(withMetadata('config', '{inputSize')),
          message: /^model file: .*config/,
        },
        {
          what: 'a 2^40-element tensor',
          call: load(withTensor('layers.0.weight', 'shape', [2 ** 20, 2 ** 20])),
          message: /1099511627776 float32 values.*data_offsets span 384 bytes/,
        },
        {
          what: 'a NaN weight',
          call: load(withWeight('layers.0.weight', 13, NaN)),
          message:
            /^model file: tensor 'layers.0.weight' holds NaN at \[1, 1\]: every weight must be finite$/,
        },
        {
          what: 'an infinite bias',
          call: load(withWeight('layers.0.bias', 7, -Infinity)),
          message: /'layers.0.bias' holds -Infinity at \[7\]/,
        },
        {
          what: 'F64 weights',
          call: load(withTensor('layers.0.bias', 'dtype', 'F64')),
          message: /has dtype "F64", only "F32"/,
        },
        {
          what: 'overlapping tensors',
          call: load(withTensor('layers.0.bias', 'data_offsets', [0, 32])),
          message: /overlap/,
        },
        {
          what: 'a shape the config does not imply',
          call: load(withTensor('layers.0.weight', 'shape', [12, 8])),
          message: /has shape \[12, 8\], the config implies \[8, 12\]/,
        },
        {
          what: 'not a Uint8Array',
          call: load([1, 2, 3] as unknown as Uint8Array),
          message: /bytes must be a Uint8Array.*Array/,
        },
        { what: '4 kB of random bytes', call: load(random), message: /^model file: / },
      ];
    },
  ],
  [
    'IDX files',
    () => {
      const parse = (bytes: unknown) => () => ll.parseIdx(bytes as Uint8Array);
      return [
        {
          what: 'a truncated header',
          call: parse(new Uint8Array([0, 0, 8])),
          message: /^IDX: truncated header: 3 bytes/,
        },
        {
          what: 'a bad magic number',
          call: parse(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 1, 5])),
          message: /^IDX: bad magic number/,
        },
        {
          what: 'an element type of floats',
          call: parse(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 5, 5, 5, 5])),
          message: /^IDX: unsupported element type 0x0d, only 0x08/,
        },
        {
          what: 'truncated data',
          call: parse(idxFile([2], new Uint8Array([5]))),
          message: /^IDX: truncated data: the dimensions declare 2 elements, the file holds 1$/,
        },
        {
          what: 'bytes after the data',
          call: parse(idxFile([1], new Uint8Array([5, 6]))),
          message: /^IDX: 1 unexpected bytes after the 1 declared elements$/,
        },
        {
          what: 'dimensions of 2^32 - 1 cubed',
          call: parse(idxFile([2 ** 32 - 1, 2 ** 32 - 1, 2 ** 32 - 1], new Uint8Array(4))),
          message: /^IDX: the dimension sizes multiply past 2\^64 elements$/,
        },
        {
          what: 'a dimension of 60000 x 28 x 28 with 4 bytes',
          call: parse(idxFile([60000, 28, 28], new Uint8Array(4))),
          message: /^IDX: truncated data: the dimensions declare 47040000 elements, the file holds 4$/,
        },
        {
          what: 'a dimension of size 0',
          call: parse(idxFile([0], new Uint8Array(0))),
          message: /^IDX: dimension 0 has size 0$/,
        },
        { what: 'a string', call: parse('bytes'), message: /Uint8Array/ },
      ];
    },
  ],
];

const entries = (): [string, Entry][] =>
  groups.flatMap(([group, make]) => make().map((entry): [string, Entry] => [group, entry]));

describe('the catalogue of bad input', () => {
  it('rejects every entry with its message and leaves the model as it was', () => {
    const all = entries();
    console.log(`bad-input catalogue: ${all.length} API, model-file and IDX entries`);
    expect(all.length).toBeGreaterThanOrEqual(80);
    // Every entry runs, and the failures are reported together.
    const failures: string[] = [];
    for (const [group, { what, call, message, type }] of all) {
      const label = `${group}: ${what}`;
      const before = bits(model.parameters());
      const heap = ll.heapBytes();
      let error: unknown;
      try {
        call();
      } catch (thrown) {
        error = thrown;
      }
      if (!(error instanceof Error)) failures.push(`${label}: threw no Error (${String(error)})`);
      else if (!message.test(error.message)) failures.push(`${label}: wrong message "${error.message}"`);
      else if (type && !(error instanceof type))
        failures.push(`${label}: a ${error.name}, not a ${type.name}`);
      if (!equalBits(bits(model.parameters()), before)) failures.push(`${label}: the parameters changed`);
      if (ll.heapBytes() !== heap)
        failures.push(`${label}: the heap went from ${heap} to ${ll.heapBytes()} bytes`);
      const loss = model.trainSteps(data, { steps: 1, batchSize: 16 }).loss;
      if (!Number.isFinite(loss)) failures.push(`${label}: the next trainSteps gave a loss of ${loss}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('URL hashes', () => {
  // parseExperiment never throws: each bad entry keeps its default and is reported.
  const hashes: [string, string, RegExp][] = [
    ['garbage', '#%%%', /^unknown setting '%%%' ignored$/],
    ['an unknown key', '#colour=red', /^unknown setting 'colour' ignored$/],
    ['a huge latent size', '#latent=1e300', /^latent=1e300 ignored: expected an integer from 1 to 784$/],
    ['a learning rate of NaN', '#lr=NaN', /^lr=NaN ignored: expected a number from 0\.000001 to 1$/],
    ['a learning rate of Infinity', '#lr=Infinity', /^lr=Infinity ignored: expected a number/],
    ['a hidden size past the limit', '#hidden=99999999', /^hidden=99999999 ignored: expected up to 3/],
    ['a negative seed', '#seed=-1', /^seed=-1 ignored: expected an integer from 0 to 2147483647$/],
    ['an unknown family', '#family=gan', /^family=gan ignored: expected one of vanilla/],
    [
      'a setting the family does not use',
      '#family=vanilla&beta=2',
      /^beta ignored: the vanilla family does not use it$/,
    ],
    [
      'a value of 4000 characters',
      `#latent=${'9'.repeat(4000)}`,
      /^latent=9{40}… \(4000 characters\) ignored: expected an integer/,
    ],
    [
      'a 100 kB hash',
      `#${'x=1&'.repeat(25_000)}`,
      /^the settings are 100000 characters long, more than 4096: ignored$/,
    ],
    [
      'an unknown key of 1000 characters',
      `#${'k'.repeat(1000)}=1`,
      /^unknown setting 'k{40}… \(1000 characters\)' ignored$/,
    ],
  ];

  it('reports every bad entry by name and keeps the defaults', () => {
    console.log(`bad-input catalogue: ${hashes.length} URL hashes`);
    expect(hashes.length).toBeGreaterThanOrEqual(10);
    const failures: string[] = [];
    for (const [what, hash, message] of hashes) {
      const { experiment, problems } = parseExperiment(hash);
      if (problems.length !== 1 || !message.test(problems[0]) || problems[0].length > 200) {
        failures.push(`${what}: ${JSON.stringify(problems).slice(0, 300)}`);
      }
      expect(experiment, what).toEqual(defaultsFor('vanilla'));
    }
    expect(failures).toEqual([]);
  });
});
