// The base of every view element: subscribes to its data for the model its
// `model` attribute names (a preset name such as "vae-2d", or settings such
// as "family=vae&latent=2"; default: the plain autoencoder), re-subscribes
// when that changes, sends new parameters when its settings change, and
// shows why there is nothing to draw yet (loading, or not for this model).
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
import { viewStyles } from './styles';

export abstract class LabView<K extends ViewKind> extends LitElement {
  static override styles: CSSResultGroup = viewStyles;
  static override properties = {
    model: { type: String, reflect: true },
    lazy: { type: Boolean },
    data: { state: true },
    notice: { state: true },
  };

  declare model: string;
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
    if (this.#openSpec !== this.spec) {
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

  /** The model's canonical name in the worker (what `model` resolves to). */
  protected get spec(): string {
    return this.model ?? '';
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
