// <latentlab-settings>: the form that picks and tunes the experiment. It
// shows only the settings the chosen family uses, explains values and
// combinations that cannot work (beside the form, not in the console: the
// engine's own message, asked of the worker) and announces a new experiment
// (event 'experiment-change') only when the engine can build it.
import { css, html, LitElement, nothing } from 'lit';
import { className, datasetNames, datasetTitle, ownDataset, type DatasetName } from '../lab/datasets';
import { activations, families, familyInfo, noiseKinds, usesSetting, type Setting } from '../lab/families';
import {
  convolutional,
  defaultsFor,
  keyOf,
  parseExperiment,
  serializeExperiment,
  type Experiment,
} from '../lab/experiment';
import { presetExperiment, presetFor, presets } from '../lab/presets';
import { lab } from '../client/lab-client';
import { convGeometry, settingOfObjection } from '../lab/model-config';
import { adviceFor, type Issue } from '../lab/validate';
import { define } from '../views/define';
import { viewStyles } from '../views/styles';
import './own-data';

interface Field {
  setting: Setting;
  /** Its label and choices may name the data set's classes. */
  label: string | ((dataset: DatasetName) => string);
  help?: string;
  input: 'select' | 'number' | 'text';
  options?: (dataset: DatasetName) => readonly { value: string; label: string }[];
  step?: string;
}

const choice = (values: readonly string[]) => () => values.map((value) => ({ value, label: value }));

const fields: readonly Field[] = [
  {
    setting: 'dataset',
    label: 'Data set',
    help: 'changing it starts a new model',
    input: 'select',
    options: () =>
      datasetNames.map((value) => ({
        value,
        label: value === ownDataset ? 'Your own IDX files…' : datasetTitle(value),
      })),
  },
  {
    setting: 'conv',
    label: 'Convolutions',
    help: `channels, input side first, e.g. 16,32: ${convGeometry.kernel} × ${convGeometry.kernel} convolutions with stride ${convGeometry.stride}, each halving the image; empty: a dense model`,
    input: 'text',
  },
  {
    setting: 'hidden',
    label: 'Hidden layers',
    help: 'dense layer sizes after any convolutions, e.g. 256,64 (the decoder mirrors them); empty: none',
    input: 'text',
  },
  { setting: 'latent', label: 'Latent size', help: 'dimensions of the code', input: 'number', step: '1' },
  { setting: 'activation', label: 'Activation', input: 'select', options: choice(activations) },
  {
    setting: 'loss',
    label: 'Loss',
    input: 'select',
    options: () => [
      { value: 'mse', label: 'mse (mean squared error)' },
      { value: 'bce', label: 'bce (binary cross-entropy)' },
    ],
  },
  { setting: 'weight', label: 'Penalty weight', input: 'number', step: 'any' },
  { setting: 'rho', label: 'Target activation ρ', input: 'number', step: 'any' },
  { setting: 'beta', label: 'β (weight of the KL term)', input: 'number', step: 'any' },
  {
    setting: 'noise',
    label: 'Noise type',
    input: 'select',
    options: choice(noiseKinds),
  },
  {
    setting: 'level',
    label: 'Noise level',
    help: 'std for gaussian, fraction of pixels otherwise',
    input: 'number',
    step: 'any',
  },
  {
    setting: 'holdout',
    label: (dataset) => (dataset === 'mnist' ? 'Hold out digit' : 'Hold out class'),
    help: 'left out of training, for anomaly detection',
    input: 'select',
    options: (dataset) => [
      { value: 'none', label: 'none' },
      ...Array.from({ length: 10 }, (_, label) => ({
        value: String(label),
        label: className(dataset, label),
      })),
    ],
  },
  { setting: 'learningRate', label: 'Learning rate', help: 'Adam', input: 'number', step: 'any' },
  { setting: 'batchSize', label: 'Batch size', input: 'number', step: '1' },
  {
    setting: 'seed',
    label: 'Seed',
    help: 'of the weights, the shuffling and the noise',
    input: 'number',
    step: '1',
  },
];

/** Shown first: what the model learns from, above the setups. */
const datasetField = fields.find((field) => field.setting === 'dataset')!;

/** The form's one-click choice of architecture: it fills in the convolutions and the hidden layers. */
const architectures = ['dense', 'convolutional'] as const;
const architectureOf = (e: Experiment): (typeof architectures)[number] =>
  e.conv.length > 0 ? 'convolutional' : 'dense';

export class SettingsForm extends LitElement {
  static override styles = [
    viewStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 13rem), 1fr));
        gap: 0.6rem 1rem;
      }
      .wide {
        grid-column: 1 / -1;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 0.15rem;
        font-size: 0.9rem;
        font-weight: 600;
      }
      label small {
        font-weight: 400;
        color: #555;
      }
      input,
      select {
        font: inherit;
        font-weight: 400;
        min-height: 2.25rem;
        padding: 0.2rem 0.4rem;
        border: 1px solid #789;
        border-radius: 0.3rem;
        background: #fff;
        box-sizing: border-box;
        width: 100%;
      }
      [aria-invalid='true'] {
        border: 2px solid #c00;
      }
      .idea {
        margin: 0;
        font-size: 0.9rem;
        color: #333;
      }
      ul.issues {
        margin: 0;
        padding-left: 1.2rem;
        font-size: 0.9rem;
      }
      .error {
        color: #900;
      }
      .warning {
        color: #7a5200;
      }
    `,
  ];
  static override properties = {
    experiment: { attribute: false },
    draft: { state: true },
    problems: { state: true },
    objection: { state: true },
  };

  /** The experiment in use (set by the page). */
  declare experiment: Experiment;
  /** The form's values as a hash, which may not be valid yet. */
  declare draft: string;
  /** Values that could not be read, one sentence each. */
  declare problems: string[];
  /** Why the engine cannot build the draft's model, in its words (undefined: it can). */
  declare objection: string | undefined;
  /** Counts the checks asked of the engine, so that only the latest one's answer is shown. */
  #checks = 0;

  constructor() {
    super();
    this.experiment = defaultsFor('vanilla');
    this.draft = serializeExperiment(this.experiment);
    this.problems = [];
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('experiment')) {
      this.draft = serializeExperiment(this.experiment);
      this.problems = [];
      this.objection = undefined;
    }
  }

  /** The experiment the form shows, what the engine objects to, and advice. */
  #parsed(): { experiment: Experiment; issues: Issue[] } {
    const { experiment } = parseExperiment(this.draft);
    const objection: Issue[] = this.objection
      ? [
          {
            setting: settingOfObjection(this.objection, experiment) ?? 'family',
            severity: 'error',
            message: this.objection,
          },
        ]
      : [];
    return { experiment, issues: [...objection, ...adviceFor(experiment)] };
  }

  override render() {
    const values = new URLSearchParams(this.draft);
    const { experiment, issues } = this.#parsed();
    const family = experiment.family;
    const preset = presetFor(experiment);
    const invalid = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.setting));
    const unreadable = new Set(this.problems.map((p) => p.split('=')[0]));
    const all = [
      ...this.problems.map((message) => ({
        severity: 'error' as const,
        message: `Not applied: ${message}.`,
      })),
      ...issues,
    ];
    return html`
      <form
        @change=${this.#onChange}
        @submit=${(e: Event) => e.preventDefault()}
        aria-label="Experiment settings"
      >
        ${this.#field(datasetField, experiment.dataset, experiment.dataset, unreadable.has(keyOf('dataset')))}
        ${experiment.dataset === ownDataset ? html`<latentlab-own-data class="wide" @own-data=${this.#onOwnData}></latentlab-own-data>` : nothing}
        <label class="wide"
          >Pretrained setup
          <select name="preset" aria-describedby="preset-help">
            ${preset ? nothing : html`<option value="" selected>custom settings (no pretrained model)</option>`}
            ${datasetNames.map(
              (name) =>
                html`<optgroup label=${datasetTitle(name)}>
                  ${presets
                    .filter((p) => presetExperiment(p).dataset === name)
                    .map(
                      (p) =>
                        html`<option value=${p.name} ?selected=${p === preset}>
                          ${p.title} (${p.name})
                        </option>`,
                    )}
                </optgroup>`,
            )}
          </select>
          <small id="preset-help"
            >Every setup shows a model pretrained on its data set at once; other settings start
            untrained.</small
          >
        </label>
        <label
          >Family
          <select name="family">
            ${families.map((f) => html`<option value=${f} ?selected=${f === family}>${familyInfo[f].title}</option>`)}
          </select>
        </label>
        ${
          usesSetting(family, 'conv')
            ? html`<label
                >Architecture
                <select name="architecture">
                  ${architectures.map((a) => html`<option value=${a} ?selected=${a === architectureOf(experiment)}>${a}</option>`)}
                </select>
                <small
                  >convolutional fills in convolutions ${convolutional.conv.join(',')} and hidden layers
                  ${convolutional.hidden.join(',') || 'none'}</small
                >
              </label>`
            : nothing
        }
        <p class="idea wide">${familyInfo[family].idea}</p>
        ${fields
          .filter((field) => field !== datasetField && usesSetting(family, field.setting))
          .map((field) =>
            this.#field(
              field,
              experiment.dataset,
              values.get(keyOf(field.setting)) ?? '',
              invalid.has(field.setting) || unreadable.has(keyOf(field.setting)),
            ),
          )}
      </form>
      <div aria-live="polite" class="issues-box">
        ${
          all.length
            ? html`<ul class="issues">
                ${all.map((issue) => html`<li class=${issue.severity}>${issue.severity === 'error' ? 'Cannot build: ' : 'Note: '}${issue.message}</li>`)}
              </ul>`
            : nothing
        }
      </div>
    `;
  }

  #field(field: Field, dataset: DatasetName, value: string, invalid: boolean) {
    const key = keyOf(field.setting);
    const label = typeof field.label === 'string' ? field.label : field.label(dataset);
    const help = field.help ? html`<small>${field.help}</small>` : nothing;
    if (field.input === 'select') {
      return html`<label
        >${label}
        <select name=${key} aria-invalid=${invalid}>
          ${field.options!(dataset).map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
        </select>
        ${help}</label
      >`;
    }
    return html`<label
      >${label}
      <input
        name=${key}
        type=${field.input === 'number' ? 'number' : 'text'}
        inputmode=${field.input === 'number' ? 'decimal' : 'numeric'}
        step=${field.step ?? 'any'}
        .value=${value}
        aria-invalid=${invalid}
      />${help}</label
    >`;
  }

  #onChange = (event: Event): void => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    let draft: string;
    if (target.name === 'preset') {
      const preset = presets.find((p) => p.name === target.value);
      if (!preset) return;
      draft = serializeExperiment(presetExperiment(preset));
    } else if (target.name === 'architecture') {
      // Dense: the family's default hidden layers; convolutional: the page's standard convolutions.
      const experiment = parseExperiment(this.draft).experiment;
      const chosen =
        target.value === 'convolutional'
          ? convolutional
          : { conv: [], hidden: defaultsFor(experiment.family).hidden };
      draft = serializeExperiment({ ...experiment, conv: [...chosen.conv], hidden: [...chosen.hidden] });
    } else if (target.name === 'family') {
      // A new family starts from its defaults, on the data set and with the layers in use.
      const { dataset, conv, hidden } = parseExperiment(this.draft).experiment;
      draft = serializeExperiment({
        ...defaultsFor(target.value as Experiment['family'], dataset),
        conv,
        hidden,
      });
    } else {
      const params = new URLSearchParams(this.draft);
      params.set(target.name, target.value.trim());
      draft = params.toString().replace(/%2C/g, ',');
    }
    const { experiment, problems } = parseExperiment(draft);
    this.problems = problems;
    this.draft = draft;
    this.objection = undefined;
    if (problems.length > 0) return;
    if (experiment.dataset === ownDataset && !lab().ownData) return; // once the files are accepted (#onOwnData)
    void this.#applyIfBuildable(experiment);
  };

  /** The reader's own files were accepted: the form's settings apply to them. */
  #onOwnData = (): void => {
    const { experiment, problems } = parseExperiment(this.draft);
    if (problems.length === 0) void this.#applyIfBuildable(experiment);
  };

  /** Announces `experiment` once the engine says it can build it; else shows why not. */
  async #applyIfBuildable(experiment: Experiment): Promise<void> {
    const check = ++this.#checks;
    const objection = await lab().check(serializeExperiment(experiment));
    if (check !== this.#checks) return; // a later change asked again
    this.objection = objection;
    if (objection !== undefined) return;
    this.dispatchEvent(
      new CustomEvent<Experiment>('experiment-change', { detail: experiment, bubbles: true, composed: true }),
    );
  }
}

define('latentlab-settings', SettingsForm);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-settings': SettingsForm;
  }
}
