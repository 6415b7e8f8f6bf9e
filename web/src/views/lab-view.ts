// The base of every view element: subscribes to its data for the model its
// `model` attribute names (a preset name such as "vae-2d", or settings such
// as "family=vae&latent=2"; default: the plain autoencoder), or for the model
// file its `src` attribute or its `model` property (a file's bytes) gives,
// re-subscribes when that changes, sends new parameters when its settings
// change, and shows why there is nothing to draw yet (loading, or not for
// this model).
import {
  html,
  LitElement,
  nothing,
  type CSSResultGroup,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { lab, type LabSubscription } from '../client/lab-client';
import type { DatasetName } from '../lab/datasets';
import { resolveSpec } from '../lab/presets';
import type { ViewData, ViewKind, ViewParams } from '../lab/protocol';
import { specOfBytes, specOfUrl } from './model-source';
import { viewStyles } from './styles';

/** A view's own model file: a URL or bytes, the settings it is loaded with, and its spec once loaded. */
interface ModelFile {
  from: string | Uint8Array;
  base: string;
  spec?: string;
}

/** `model` is reflected while it is a string; a file's bytes have no attribute form. */
const modelConverter = {
  fromAttribute: (value: string | null) => value ?? '',
  toAttribute: (value: string | Uint8Array) => (typeof value === 'string' ? value : null),
};

export abstract class LabView<K extends ViewKind> extends LitElement {
  static override styles: CSSResultGroup = viewStyles;
  static override properties = {
    model: { reflect: true, converter: modelConverter },
    src: { type: String },
    lazy: { type: Boolean },
    data: { state: true },
    notice: { state: true },
  };

  /** A preset name or settings; or a model file's bytes. */
  declare model: string | Uint8Array;
  /** A model file's URL (relative to the page): its model, with `model`'s settings for training. */
  declare src: string | undefined;
  /** Subscribe only once the view comes near the viewport (for long articles). */
  declare lazy: boolean;
  declare data: ViewData[K] | undefined;
  declare notice: { message: string; waiting: boolean } | undefined;

  /** The kind of data the view draws. */
  protected abstract readonly kind: K;
  /** Properties whose change means new parameters for the worker. */
  protected readonly paramProperties: readonly string[] = [];
  #subscription: LabSubscription<K> | undefined;
  /** The spec the subscription is for. */
  #openSpec: string | undefined;
  #stopListening: (() => void) | undefined;
  #visible = false;
  #observer: IntersectionObserver | undefined;
  /** Tells the worker whether the view is on screen (or within a screen of it). */
  #screenObserver: IntersectionObserver | undefined;
  #onScreen = true;
  /** The data set of the spec last asked about. */
  #datasetOf: { spec: string; dataset: DatasetName } | undefined;
  /** The view's own model file, once asked for: what from, and its spec when loaded. */
  #file: ModelFile | undefined;

  constructor() {
    super();
    this.model = '';
    this.lazy = false;
  }

  /** The parameters the worker computes the view's data with. */
  protected abstract params(): ViewParams[K];

  /** Draws `data` on the canvases (called after each render with data). */
  protected draw(): void {}

  /** Keeps (and merges) incoming data; override to accumulate. */
  protected receive(data: ViewData[K]): void {
    this.data = data;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate(); // opens the subscription
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#screenObserver?.disconnect();
    this.#screenObserver = undefined;
    this.#close();
  }

  /** Whether to subscribe now: always, unless lazy and still far from the viewport. */
  #wanted(): boolean {
    if (!this.lazy || this.#visible) return true;
    if (!this.#observer) {
      this.#observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          this.#visible = true;
          this.#observer?.disconnect();
          this.#observer = undefined;
          this.requestUpdate();
        },
        { rootMargin: '600px 0px' },
      );
      this.#observer.observe(this);
    }
    return false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.isConnected || !this.#wanted()) return;
    const spec = this.#fileSpec();
    if (spec === undefined) {
      // Its model file is still loading (or failed: the notice says why).
      if (this.#subscription) this.#close();
      return;
    }
    if (this.#openSpec !== spec) {
      if (this.#subscription) {
        this.#close();
        this.data = undefined;
        this.notice = undefined;
      }
      this.#open();
    } else if (this.paramProperties.some((name) => (changed as Map<string, unknown>).has(name))) {
      this.#subscription?.update(this.params());
    }
  }

  protected override updated(): void {
    if (this.data !== undefined) this.draw();
  }

  /** The notice (if any) in place of the view's content, else the content. */
  protected withNotice(content: () => TemplateResult): TemplateResult {
    const notice = this.notice;
    if (notice) {
      return html`<p class="notice" role="status">
        ${notice.message}${notice.waiting ? this.#progressText() : nothing}
      </p>`;
    }
    if (this.data === undefined) {
      return html`<p class="notice" role="status">
        ${this.lazy && !this.#visible ? 'Waiting to be scrolled into view…' : 'Starting the engine…'}
      </p>`;
    }
    return content();
  }

  /** The model's name in the worker: what `model` names, or the spec of the view's model file. */
  protected get spec(): string {
    return (this.src || typeof this.model !== 'string' ? this.#file?.spec : this.model) ?? '';
  }

  /** The spec to subscribe to: `model`'s, or the model file's once loaded (undefined until then). */
  #fileSpec(): string | undefined {
    const base = typeof this.model === 'string' ? this.model : '';
    const from = this.src || (typeof this.model === 'string' ? undefined : this.model);
    if (from === undefined) {
      this.#file = undefined;
      return this.model as string;
    }
    if (this.#file?.from === from && this.#file.base === base) return this.#file.spec;
    const file: ModelFile = { from, base };
    this.#file = file;
    this.data = undefined;
    this.notice = { message: 'Loading the model file…', waiting: true };
    (typeof from === 'string' ? specOfUrl(from, base) : specOfBytes(from, base)).then(
      (spec) => {
        if (this.#file !== file) return;
        file.spec = spec;
        this.notice = undefined;
        this.requestUpdate();
      },
      (error: unknown) => {
        if (this.#file === file) this.notice = { message: (error as Error).message, waiting: false };
      },
    );
    return undefined;
  }

  /** The data set the model trains on, which names the classes of its labels. */
  protected get datasetName(): DatasetName {
    const spec = this.spec;
    if (this.#datasetOf?.spec !== spec) {
      this.#datasetOf = { spec, dataset: resolveSpec(spec).experiment.dataset };
    }
    return this.#datasetOf.dataset;
  }

  #open(): void {
    const client = lab();
    this.#openSpec = this.spec;
    this.#subscription = client.subscribe(this.spec, this.kind, this.params(), {
      data: (data) => {
        this.notice = undefined;
        this.receive(data);
        this.dispatchEvent(new CustomEvent('latentlab-data', { bubbles: true, composed: true }));
      },
      notice: (message, waiting) => {
        this.notice = { message, waiting };
      },
    });
    this.#stopListening = client.onChange(() => {
      if (this.notice?.waiting) this.requestUpdate();
    });
    // A fresh observer reports the current state at once (the worker assumes on screen).
    this.#onScreen = true;
    this.#screenObserver?.disconnect();
    this.#screenObserver = new IntersectionObserver(
      (entries) => {
        const onScreen = entries.at(-1)!.isIntersecting;
        if (onScreen === this.#onScreen) return;
        this.#onScreen = onScreen;
        this.#subscription?.setVisible(onScreen);
      },
      { rootMargin: '100% 0px' },
    );
    this.#screenObserver.observe(this);
  }

  #close(): void {
    this.#subscription?.close();
    this.#subscription = undefined;
    this.#openSpec = undefined;
    this.#stopListening?.();
    this.#stopListening = undefined;
  }

  #progressText(): string {
    const { test, train } = lab().progress(this.datasetName);
    const part = test && !test.done ? test : train && !train.done ? train : undefined;
    if (!part) return '';
    const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
    return part.total
      ? ` ${megabytes(part.loaded)} of ${megabytes(part.total)} MB`
      : ` ${megabytes(part.loaded)} MB`;
  }
}
