// Where a slot's model comes from: a pretrained file, a fresh seeded
// autoencoder, or a model file the reader loads; and the file a model saves
// to. Each returns a result or a sentence saying why not, never throws.
import type { LatentLab } from 'latentlab';
import { modelKey, type Experiment } from '../lab/experiment';
import { experimentOfConfig, layersOf, modelConfigOf } from '../lab/model-config';
import { hasModelFile, presetFor } from '../lab/presets';
import { errorMessage } from '../lab/protocol';
import { AutoencoderCodec, type Codec } from './codec';
import type { DataSource } from './data-store';

export type Outcome<T> = ({ ok: true } & T) | { ok: false; message: string };

/** The preset's pretrained model for `experiment`, if one ships and holds that model. */
export async function pretrainedModel(
  ll: LatentLab,
  modelFile: DataSource['modelFile'],
  experiment: Experiment,
): Promise<Outcome<{ codec: AutoencoderCodec; preset: string; epochs: number }> | undefined> {
  const preset = presetFor(experiment);
  if (!preset || !hasModelFile(preset)) return undefined;
  try {
    const bytes = await modelFile(preset.name);
    if (!bytes)
      return {
        ok: false,
        message: `No pretrained file models/${preset.name}.safetensors: build it with scripts/pretrain.mjs.`,
      };
    const model = ll.loadModel(bytes);
    const held = experimentOfConfig(ll, model.config, experiment);
    if (!('experiment' in held) || modelKey(held.experiment) !== modelKey(experiment)) {
      model.dispose();
      return {
        ok: false,
        message: `The pretrained file ${preset.name}.safetensors holds another model: rebuild it with scripts/pretrain.mjs.`,
      };
    }
    return { ok: true, codec: new AutoencoderCodec(model), preset: preset.name, epochs: preset.epochs };
  } catch (error) {
    return {
      ok: false,
      message: `The pretrained model ${preset.name} could not be loaded (${errorMessage(error)}).`,
    };
  }
}

/** A fresh autoencoder from the experiment's seed. */
export function freshModel(ll: LatentLab, experiment: Experiment): Outcome<{ codec: AutoencoderCodec }> {
  try {
    return { ok: true, codec: new AutoencoderCodec(ll.createModel(modelConfigOf(experiment)!)) };
  } catch (error) {
    return { ok: false, message: `The model cannot be built: ${errorMessage(error)}` };
  }
}

/** Reads a model file the reader chose; `current` lends the training settings (learning rate, ...). */
export function readModelFile(
  ll: LatentLab,
  bytes: Uint8Array,
  fileName: string,
  current: Experiment,
): Outcome<{ codec: AutoencoderCodec; experiment: Experiment }> {
  const fail = (reason: string) => ({
    ok: false as const,
    message: `${fileName} was not loaded: ${reason}. The current model is unchanged.`,
  });
  let model;
  try {
    model = ll.loadModel(bytes);
  } catch (error) {
    return fail(errorMessage(error));
  }
  const mapped = experimentOfConfig(ll, model.config, current);
  if ('problem' in mapped) {
    model.dispose();
    return fail(mapped.problem);
  }
  return { ok: true, codec: new AutoencoderCodec(model), experiment: mapped.experiment };
}

/** The model file of a slot's model, named after its experiment. */
export function modelFileOf(
  codec: Codec | undefined,
  experiment: Experiment,
): Outcome<{ bytes: Uint8Array; fileName: string }> {
  if (!(codec instanceof AutoencoderCodec)) {
    const message = codec
      ? 'PCA has no model file: it is fitted again from the digits in a moment.'
      : 'There is no model to save yet.';
    return { ok: false, message };
  }
  // The file does not record its data set: the name does, where it is not the default MNIST.
  const dataset = experiment.dataset === 'mnist' ? '' : `${experiment.dataset}-`;
  return {
    ok: true,
    bytes: codec.model.save(),
    fileName: `latentlab-${dataset}${experiment.family}-${layersOf(experiment)}.safetensors`,
  };
}
