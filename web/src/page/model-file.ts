// Saving the current model as a file (a download) and loading one back.
import { lab } from '../client/lab-client';

/** Downloads the model of `spec` as a .safetensors file; resolves to the file name. */
export async function downloadModel(spec: string): Promise<string> {
  const { bytes, fileName } = await lab().save(spec);
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

/** Loads a model file; resolves to the spec of its experiment, rejects with a sentence saying why not. */
export async function loadModelFile(file: File, spec: string): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return lab().loadFile(spec, bytes, file.name);
}
