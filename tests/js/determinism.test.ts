// The same seed must give the same model natively and in WebAssembly: the
// native program tests/native/fingerprint.cpp writes its parameters, and the
// wasm engine replays the same steps here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { init } from 'latentlab';

const fingerprint = path.resolve('build/native/latentlab_fingerprint');

function readFloats(file: string): Float32Array {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

it.each([0, 7])('seed %i gives the same weights natively and in wasm', async (seed) => {
  const directory = mkdtempSync(path.join(tmpdir(), 'latentlab-'));
  try {
    const initialFile = path.join(directory, 'initial.f32');
    const trainedFile = path.join(directory, 'trained.f32');
    execFileSync(fingerprint, [String(seed), initialFile, trainedFile]);

    const ll = await init();
    const model = ll.createModel({ inputSize: 784, encoder: [256], latentSize: 32, seed });
    // Bit for bit: initialisation involves no arithmetic that may differ.
    expect(model.parameters()).toEqual(readFloats(initialFile));

    const data = new Float32Array(64 * 784);
    for (let j = 0; j < 64; j++) {
      for (let i = 0; i < 784; i++) data[j * 784 + i] = ((i * 7 + j * 13) % 256) / 255;
    }
    model.trainEpoch(data, { batchSize: 16 });
    // After training, the matrix products may round differently (x86 SSE2
    // natively, wasm SIMD here), but the same shuffles and steps must land on
    // the same weights to within float rounding.
    const native = readFloats(trainedFile);
    const wasm = model.parameters();
    let largest = 0;
    for (let i = 0; i < wasm.length; i++) largest = Math.max(largest, Math.abs(wasm[i] - native[i]));
    expect(largest).toBeLessThan(1e-5);
    model.dispose();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
