// <latentlab-trainer>: the controls and state of training for the model its
// `model` attribute names: train from scratch, pause or resume, go back to
// the pretrained model; where the model came from, its epochs, loss, speed.
import { css, html, nothing } from 'lit';
import { lab } from '../client/lab-client';
import { sampleNoun } from '../lab/datasets';
import type { SlotStatus, ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { viewStyles } from './styles';

const sourceText: Record<SlotStatus['source'], string> = {
  loading: 'loading the pretrained model…',
  pretrained: 'pretrained',
  untrained: 'untrained (random weights from the seed)',
  trained: 'trained in this page',
  file: 'loaded from a file',
  restored: 'restored from its last snapshot',
  fitted: 'fitted (PCA)',
  waiting: 'waiting for the training data…',
};

export class Trainer extends LabView<'status'> {
  static override styles = [
    viewStyles,
    css`
      .controls button {
        min-height: 2.75rem;
        padding: 0.4rem 0.9rem;
      }
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.25rem;
        margin: 0.25rem 0;
      }
      dt {
        font-size: 0.75rem;
        color: var(--latentlab-muted, #555);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .note {
        margin: 0.25rem 0 0;
        font-size: 0.85rem;
        color: var(--latentlab-muted, #555);
      }
    `,
  ];
  protected readonly kind = 'status';

  protected params(): ViewParams['status'] {
    return {};
  }

  override render() {
    return this.withNotice(() => {
      const s = this.data!;
      const pca = s.family === 'pca';
      const busy = s.source === 'loading' || s.source === 'waiting';
      return html`
        <div class="controls" role="group" aria-label="Training">
          <button
            type="button"
            class="scratch"
            ?disabled=${busy && !s.running}
            @click=${() => lab().train(this.spec, true)}
          >
            ${pca ? 'Fit PCA again' : 'Train from scratch'}
          </button>
          ${
            pca
              ? nothing
              : html`<button type="button" class="pause" ?disabled=${busy} @click=${this.#toggle}>
                  ${s.running ? 'Pause' : 'Resume training'}
                </button>`
          }
          ${
            pca
              ? nothing
              : html`<button
                  type="button"
                  class="restore"
                  ?disabled=${busy}
                  @click=${() => lab().restore(this.spec)}
                >
                  ${s.hasPretrained ? 'Back to the pretrained model' : 'Reset to the initial weights'}
                </button>`
          }
        </div>
        <dl aria-live="off">
          <div>
            <dt>Model</dt>
            <dd class="source">${sourceText[s.source]}${s.running ? ', training…' : ''}</dd>
          </div>
          <div>
            <dt>Epochs</dt>
            <dd class="epochs">${s.epochs.toFixed(2)}</dd>
          </div>
          <div>
            <dt>Step</dt>
            <dd class="step">${s.step}</dd>
          </div>
          <div>
            <dt>Training loss</dt>
            <dd class="loss">${s.loss === undefined ? '–' : s.loss.toPrecision(4)}</dd>
          </div>
          <div>
            <dt>Speed</dt>
            <dd class="speed">
              ${s.samplesPerSecond ? `${Math.round(s.samplesPerSecond)} ${sampleNoun(this.datasetName)}s/s${onThreads(lab().threads)}` : '–'}
            </dd>
          </div>
          <div>
            <dt>Parameters</dt>
            <dd>${s.parameterCount.toLocaleString('en')}</dd>
          </div>
        </dl>
        <p class="note" role="status">${s.note ?? (s.running ? 'Training…' : '')}</p>
      `;
    });
  }

  #toggle = (): void => {
    if (this.data?.running) lab().pause(this.spec);
    else lab().train(this.spec, false);
  };

  /** The model's state, for the page around it. */
  get status(): SlotStatus | undefined {
    return this.data;
  }

  protected override receive(data: SlotStatus): void {
    this.data = data;
    this.dispatchEvent(new CustomEvent('latentlab-status', { detail: data, bubbles: true, composed: true }));
  }
}

define('latentlab-trainer', Trainer);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-trainer': Trainer;
  }
}

/** " on N threads", once the engine has said how many it runs on. */
function onThreads(threads: number | undefined): string {
  if (threads === undefined) return '';
  return threads === 1 ? ' on 1 thread' : ` on ${threads} threads`;
}
