// A view's own model file: a URL (its `src`) or the bytes of a file (its
// `model` property). Each is loaded into the worker once (views that name
// the same URL, or the same Uint8Array, share its model), for the settings
// of the view's `model` attribute with the file named as their `src`, so
// that the file never stands in for another model of the same settings.
import { lab } from '../client/lab-client';
import { serializeExperiment } from '../lab/experiment';
import { resolveSpec } from '../lab/presets';

/** Loads by source and base spec: the spec of the file's model. */
const loads = new Map<string, Promise<string>>();
/** The names given to byte arrays: one per array. */
const arrayNames = new WeakMap<Uint8Array, string>();
let arrays = 0;

/** The spec of the model in the file at `url` (relative to the page), with `base`'s settings. */
export function specOfUrl(url: string, base: string): Promise<string> {
  const address = new URL(url, document.baseURI).href;
  // A blob: URL (a file the page holds) has no name.
  const fileName = address.startsWith('blob:')
    ? 'the model file given'
    : decodeURIComponent(new URL(address).pathname.split('/').pop() || address);
  return load(address, base, fileName, async () => {
    let response: Response;
    try {
      response = await fetch(address);
    } catch (error) {
      throw new Error(`${fileName} could not be downloaded: ${(error as Error).message}`);
    }
    if (!response.ok)
      throw new Error(`${fileName} could not be downloaded: HTTP ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  });
}

/** The spec of the model in a file's `bytes` (copied: the caller keeps them), with `base`'s settings. */
export function specOfBytes(bytes: Uint8Array, base: string): Promise<string> {
  let name = arrayNames.get(bytes);
  if (name === undefined) {
    name = `bytes-${++arrays}`;
    arrayNames.set(bytes, name);
  }
  return load(name, base, 'the model file given', async () => bytes.slice());
}

function load(
  source: string,
  base: string,
  fileName: string,
  read: () => Promise<Uint8Array>,
): Promise<string> {
  const spec = serializeExperiment({ ...resolveSpec(base).experiment, source });
  let loading = loads.get(spec);
  if (!loading) {
    loading = read().then((bytes) => lab().loadFile(spec, bytes, fileName));
    // A failure is not kept: the next view (or the same one, changed) tries again.
    loading.catch(() => loads.delete(spec));
    loads.set(spec, loading);
  }
  return loading;
}
