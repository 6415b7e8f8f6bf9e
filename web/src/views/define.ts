// Registers a custom element once, even if two bundles (the demo page and
// the embedding script) both carry it.
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
