// <latentlab-own-data>: the reader's own IDX files as the data set, shown by
// the settings form under "Your own IDX files…". The worker reads and checks
// them (readIdxImages: the checks MNIST's files get) and replies with what it
// took or what is wrong; on a problem nothing changes. Accepted files are
// announced with the event 'own-data' (the form then switches to them).
import { css, html, LitElement, nothing } from 'lit';
import { lab } from '../client/lab-client';
import { errorMessage, type OwnDataSummary, type OwnFile } from '../lab/protocol';
import { define } from '../views/define';
import { viewStyles } from '../views/styles';

export class OwnData extends LitElement {
  static override styles = [
    viewStyles,
    css`
      fieldset {
        display: grid;
        gap: 0.5rem;
        border: 1px solid #789;
        border-radius: 0.3rem;
        margin: 0;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 0.15rem;
        font-size: 0.9rem;
        font-weight: 600;
      }
      p {
        margin: 0;
        font-size: 0.9rem;
      }
      button {
        font: inherit;
        min-height: 2.25rem;
        justify-self: start;
      }
      .problem {
        color: #900;
      }
    `,
  ];
  static override properties = {
    status: { state: true },
    reading: { state: true },
  };

  /** What the last attempt gave: the files in use, or why the chosen ones are not. */
  declare status: { ok: true; own: OwnDataSummary } | { ok: false; message: string } | undefined;
  declare reading: boolean;

  constructor() {
    super();
    const own = lab().ownData;
    this.status = own && { ok: true, own };
    this.reading = false;
  }

  override render() {
    const status = this.status;
    return html`<fieldset>
      <legend>Your own IDX files</legend>
      <p>
        28&times;28 grey images in MNIST's IDX format (idx3-ubyte, plain or gzipped), and, if you have them,
        their labels 0&ndash;9 (idx1-ubyte). The last sixth of the images (at most 10,000) are the test images
        the views show; the model trains on the others. The files stay in this page: a link or a reload does
        not bring them back, so choose them again after one.
      </p>
      <label>Images (idx3-ubyte or .gz) <input name="own-images" type="file" /></label>
      <label>Labels, optional (idx1-ubyte or .gz) <input name="own-labels" type="file" /></label>
      <button type="button" @click=${this.#use} ?disabled=${this.reading}>Use these files</button>
      <p aria-live="polite" class=${status?.ok === false ? 'problem' : ''}>
        ${this.reading ? 'Reading the files…' : status ? describe(status) : nothing}
      </p>
    </fieldset>`;
  }

  #use = async (): Promise<void> => {
    const file = (name: string) =>
      this.renderRoot.querySelector<HTMLInputElement>(`input[name=${name}]`)?.files?.[0];
    const images = file('own-images');
    const labels = file('own-labels');
    if (!images) {
      this.status = { ok: false, message: 'Choose an images file first.' };
      return;
    }
    this.reading = true;
    try {
      const own = await lab().loadOwnData(await read(images), labels && (await read(labels)));
      this.status = { ok: true, own };
      this.dispatchEvent(new CustomEvent('own-data', { bubbles: true, composed: true }));
    } catch (error) {
      this.status = {
        ok: false,
        message: `Not used: ${errorMessage(error)}. The data set and model in use are unchanged.`,
      };
    } finally {
      this.reading = false;
    }
  };
}

async function read(file: File): Promise<OwnFile> {
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

function describe(status: NonNullable<OwnData['status']>): string {
  if (!status.ok) return status.message;
  const { images, labels, train, test, labelled } = status.own;
  const counts = `${train.toLocaleString('en-US')} training and ${test.toLocaleString('en-US')} test images`;
  return labelled
    ? `In use: ${images} with ${labels}: ${counts}.`
    : `In use: ${images}, without labels: ${counts}; the views show them in one colour and name no class.`;
}

define('latentlab-own-data', OwnData);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-own-data': OwnData;
  }
}
