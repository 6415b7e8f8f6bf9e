// Builds the npm package's views (the export `latentlab/views`) into
// dist/views/: latentlab-views.js defines every latentlab-* element (as the
// site's latentlab-embed.js does), with the worker and the engines in
// assets/, and beside them what the views fetch: the MNIST test digits and
// the pretrained MNIST models (float16). Everything is found relative to the
// module's own URL, so the folder works from a CDN on any origin. Training
// digits and Fashion-MNIST are not shipped (10 MB and 4.4 MB gzipped, past
// the package's budget): views that need them say their download failed.
//   npx vite build --config web/vite.views.config.ts
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { mnistFileNames } from '../dist/mnist.js';
import { datasetFolder } from './src/lab/datasets';
import { hasModelFile, presetExperiment, presets } from './src/lab/presets';
import { fromHere, shared, target } from './vite.shared';

/** The files of web/public/ that the views fetch, as paths relative to it. */
function shippedFiles(): string[] {
  const dataset = 'mnist';
  const digits = Object.values(mnistFileNames('test')).map((file) => `${datasetFolder(dataset)}/${file}.gz`);
  const models = presets
    .filter((preset) => hasModelFile(preset) && presetExperiment(preset).dataset === dataset)
    .map((preset) => `models/${preset.name}.safetensors`);
  return [...digits, ...models];
}

/** Puts `files` of web/public/ into the build, as they are. */
function copyPublicFiles(files: string[]): Plugin {
  return {
    name: 'latentlab-views-files',
    generateBundle() {
      for (const fileName of files) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(fromHere(`public/${fileName}`)) });
      }
    },
  };
}

export default defineConfig({
  ...shared,
  publicDir: false,
  plugins: [copyPublicFiles(shippedFiles())],
  build: {
    outDir: fromHere('../dist/views'),
    emptyOutDir: true,
    target,
    rollupOptions: {
      input: { 'latentlab-views': fromHere('src/embed.ts') },
      // Keep the module's exports (lab, presets) for pages that script it.
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: '[name].js' },
    },
  },
});
