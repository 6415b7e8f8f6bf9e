// Compiled (never run) with tsc --strict in a consumer project against the
// installed package, once with NodeNext resolution and once with Bundler
// resolution: the public API's types must resolve through the exports map.
import {
  Dataset,
  Model,
  datasetLabels,
  datasetNames,
  fetchMnist,
  imagesFromIdx,
  init,
  readIdxImages,
  type DatasetName,
  type DatasetOptions,
  type EngineOptions,
  type EpochOptions,
  type Evaluation,
  type IdxArray,
  type IdxFile,
  type IdxImages,
  type LatentLab,
  type Mnist,
  type ModelConfig,
  type TrainProgress,
  type TrainStats,
} from 'latentlab';
import { datasetDirectory, readMnist } from 'latentlab/node';

export async function useEverything(): Promise<number> {
  const options: EngineOptions = { locateFile: (file, prefix) => prefix + file };
  const ll: LatentLab = await init(options);
  const config: ModelConfig = {
    inputSize: 784,
    encoder: [256],
    latentSize: 2,
    activation: 'relu',
    loss: 'bce',
    seed: 1,
    variational: { beta: 1 },
  };
  const mnist: Mnist = await readMnist(ll, 'test', { limit: 100 });
  const fetched: Mnist = await fetchMnist(ll, 'https://example.org/mnist/', 'train', { limit: 10 });
  const fashionName: DatasetName = datasetNames[1];
  const directory: string = datasetDirectory(fashionName);
  const fashion: Mnist = await readMnist(ll, 'test', { dataset: fashionName, directory });
  const classes: string[] = datasetLabels(fashionName);
  await fetchMnist(ll, 'https://example.org/fashion-mnist/', 'test', { dataset: 'fashion' });
  const ownFile: IdxFile = { name: 'mine-idx3-ubyte.gz', bytes: new Uint8Array(0) };
  const own: IdxImages = await readIdxImages(ll, ownFile, {
    name: 'mine-idx1-ubyte',
    bytes: new Uint8Array(0),
  });
  const ownLabels: Uint8Array | undefined = own.labels;
  // @ts-expect-error: a file is a name and its bytes
  await readIdxImages(ll, new Uint8Array(0));

  const idx: IdxArray = fetched.images;
  const images: Float32Array = imagesFromIdx(idx);
  const scale: DatasetOptions = { scale: 1 / 255 };
  const dataset: Dataset = ll.createDataset(mnist.images.data, 784, scale);
  const onProgress = (progress: TrainProgress): boolean => progress.loss > 0;
  const epoch: EpochOptions = { batchSize: 64, optimizer: 'adam', onProgress };
  using model: Model = ll.createModel(config);
  const stats: TrainStats = model.trainEpoch(dataset, epoch);
  model.trainSteps(images, { steps: 2 });
  const codes: Float32Array = model.encode(images);
  const outputs: Float32Array = model.decode(codes);
  const evaluation: Evaluation = model.evaluate(model.reconstruct(outputs));
  const bytes: Uint8Array = model.save();
  const loaded: Model = ll.loadModel(bytes);
  loaded.dispose();
  dataset.dispose();
  // @ts-expect-error: only Uint8Array data takes a scale
  ll.createDataset(images, 784, { scale: 2 });
  // @ts-expect-error: not an activation
  ll.createModel({ inputSize: 4, latentSize: 2, activation: 'gelu' });
  // @ts-expect-error: not a data set
  await readMnist(ll, 'test', { dataset: 'cifar' });
  return (
    stats.loss +
    evaluation.loss +
    ll.heapBytes() +
    model.parameterCount +
    fashion.count +
    classes.length +
    own.count +
    (ownLabels?.length ?? 0)
  );
}
