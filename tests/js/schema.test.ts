// The model schema is the one description of a configuration: the types are
// generated from it, the README documents every option in it, and every entry
// point reads configurations through it. Random configurations drawn from the
// schema itself check the last part: a valid one survives create -> save ->
// load unchanged, with identical outputs; an invalid one gets the same error,
// of the same class, from createModel, resolveModelConfig and loadModel.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type ModelConfig, type SchemaOption } from 'latentlab';
import { render, typesFile } from '../../scripts/generate-config-types.mjs';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** A value of `option` inside its bounds, kept small so that models stay tiny. */
function validValue(option: SchemaOption, random: Random): unknown {
  const { bounds } = option;
  const high = (cap: number) => Math.min(cap, bounds!.high === 'Infinity' ? cap : bounds!.high);
  switch (option.type) {
    case 'integer': {
      const low = bounds!.low;
      const top = option.name === 'layer' ? 3 : high(9);
      return low + Math.floor(random() * (top - low + 1));
    }
    case 'number': {
      const low = bounds!.low;
      const value = low + random() * (high(2) - low);
      return bounds!.lowOpen && value === low ? (low + high(2)) / 2 : value;
    }
    case 'choice':
      return pick(random, option.choices!);
    case 'shape':
      return [1, 2 + Math.floor(random() * 3), 2 + Math.floor(random() * 3)];
    case 'layers':
      // Mostly dense sizes; now and then an image layer (which fits only after an image).
      return Array.from({ length: Math.floor(random() * 3) }, () =>
        random() < 0.75 ? 1 + Math.floor(random() * 6) : validValue(pick(random, option.fields!), random),
      );
    case 'part': {
      const kind = option.fields!.find((field) => field.name === 'kind');
      const chosen = kind ? pick(random, kind.choices!) : undefined;
      const part: Record<string, unknown> = {};
      if (chosen) part.kind = chosen;
      for (const field of option.fields!) {
        if (field === kind || (field.kinds && !field.kinds.includes(chosen!))) continue;
        if (field.required || random() < 0.5) part[field.name] = validValue(field, random);
      }
      return part;
    }
  }
}

/** A configuration drawn from the schema: every required option, each optional one half the time. */
function randomConfig(random: Random): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const option of ll.modelSchema.options) {
    const optional = !option.required;
    if (optional && random() < (option.type === 'part' ? 0.7 : 0.5)) continue;
    config[option.name] = validValue(option, random);
  }
  // inputSize is implied by inputShape, and needed without it.
  if (config.inputShape !== undefined && random() < 0.7) delete config.inputSize;
  if (config.inputShape === undefined && config.inputSize === undefined && random() < 0.9) {
    config.inputSize = validValue(
      ll.modelSchema.options.find((o) => o.name === 'inputSize')!,
      random,
    );
  }
  return config;
}

/** One way to break a configuration, chosen at random. */
function breakConfig(config: Record<string, unknown>, random: Random): Record<string, unknown> {
  const broken = structuredClone(config);
  const option = pick(random, ll.modelSchema.options);
  const mistakes: (() => void)[] = [
    () => (broken[option.name] = 'nonsense'),
    () => (broken[option.name] = -7),
    () => (broken[option.name] = 1e9),
    () => (broken[option.name] = 2.5),
    () => (broken[option.name] = [1, 'two']),
    () => (broken[option.name] = { kind: 'nonsense' }),
    () => (broken[option.name] = null),
    () => (broken.unknownOption = 1),
  ];
  pick(random, mistakes)();
  return broken;
}

function errorOf(call: () => unknown): { name: string; message: string } | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    const e = error as Error;
    return { name: e.constructor.name, message: e.message };
  }
}

/** A model file whose config metadata is replaced by `config` (the tensors are then never read). */
function fileWithConfig(bytes: Uint8Array, config: unknown): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  header.__metadata__.config = JSON.stringify(config);
  const text = new TextEncoder().encode(JSON.stringify(header));
  const data = bytes.subarray(8 + length);
  const file = new Uint8Array(8 + text.length + data.length);
  new DataView(file.buffer).setBigUint64(0, BigInt(text.length), true);
  file.set(text, 8);
  file.set(data, 8 + text.length);
  return file;
}

describe('the model schema', () => {
  it('generates the TypeScript types in the repository', async () => {
    expect(await render(ll.modelSchema)).toBe(readFileSync(typesFile, 'utf8'));
  });

  it('is what the README documents: one row of the createModel table per option', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### `ll.createModel(config)`'));
    const rows = [...table.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((match) => [match[1], match[2]]);
    const options = ll.modelSchema.options;
    expect(rows.slice(0, options.length).map(([name]) => name)).toEqual(options.map((option) => option.name));
    // The default column: 'required', the schema's default, or (derived defaults, parts) words.
    options.forEach((option, i) => {
      const cell = rows[i][1];
      if (option.required) expect(cell, option.name).toBe('required');
      else if (typeof option.default === 'string') expect(cell, option.name).toBe(`\`'${option.default}'\``);
      else if (option.default !== undefined)
        expect(cell, option.name).toBe(`\`${JSON.stringify(option.default)}\``);
    });
  });

  it('lists every combination rule with its reason', () => {
    expect(ll.modelSchema.rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of ll.modelSchema.rules) expect(rule).toMatch(/: |because|needs|must|cannot/);
  });

  it('reads every configuration drawn from it the same way at every entry point', () => {
    const random = generator(20261201);
    const inputs = new Float32Array(3 * 16);
    let valid = 0;
    let invalid = 0;
    const template = ll.createModel({ inputSize: 2, latentSize: 1 });
    const templateFile = template.save();
    template.dispose();
    for (let trial = 0; trial < 400; trial++) {
      const drawn = randomConfig(random);
      const config = trial % 2 === 0 ? drawn : breakConfig(drawn, random);
      const created = errorOf(() => ll.resolveModelConfig(config as unknown as ModelConfig));
      const fromFile = errorOf(() => ll.loadModel(fileWithConfig(templateFile, config)).dispose());
      if (created) {
        invalid++;
        expect(created.name, JSON.stringify(config)).toMatch(/^(TypeError|RangeError)$/);
        expect(
          errorOf(() => ll.createModel(config as unknown as ModelConfig)),
          JSON.stringify(config),
        ).toEqual(created);
        expect(fromFile, JSON.stringify(config)).toEqual(created);
        continue;
      }
      // A valid configuration: the file route rejects it only for its tensors (the template's).
      valid++;
      const model = ll.createModel(config as unknown as ModelConfig);
      for (let i = 0; i < inputs.length; i++) inputs[i] = ((i * 37) % 100) / 100;
      const images = inputs.subarray(0, 3 * model.inputSize);
      const loaded = ll.loadModel(model.save());
      expect(loaded.config, JSON.stringify(config)).toEqual(model.config);
      expect(ll.resolveModelConfig(model.config)).toEqual(model.config);
      expect(loaded.reconstruct(images)).toEqual(model.reconstruct(images));
      expect(loaded.save()).toEqual(model.save());
      loaded.dispose();
      model.dispose();
    }
    // Both halves must be well represented for the test to mean anything.
    expect(valid).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(100);
  });

  it('refuses values JSON cannot carry with the same error from createModel and resolveModelConfig', () => {
    const base = { inputSize: 4, latentSize: 2 };
    for (const bad of [
      { ...base, seed: NaN },
      { ...base, contractive: { weight: Infinity } },
      { ...base, encoder: [() => 3] },
    ]) {
      const error = errorOf(() => ll.resolveModelConfig(bad as unknown as ModelConfig));
      expect(error).toBeDefined();
      expect(errorOf(() => ll.createModel(bad as unknown as ModelConfig))).toEqual(error);
    }
    expect(() => ll.resolveModelConfig({ ...base, seed: NaN })).toThrow(
      /^seed must be an integer in \[0, 9007199254740991\], got NaN$/,
    );
  });
});
