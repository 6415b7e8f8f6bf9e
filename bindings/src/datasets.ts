// The data sets that come as MNIST's four IDX files (28 x 28 grey images,
// labels 0-9): their names, how people write them, and their class names.
// The one definition the loaders (fetchMnist, readMnist), the demo page and
// programs read.

/** The data sets fetchMnist and readMnist read, by the name their `dataset` option takes. */
export const datasetNames = Object.freeze(['mnist', 'fashion'] as const);
export type DatasetName = (typeof datasetNames)[number];

interface DatasetInfo {
  title: string;
  /** Class names, by label. */
  labels: readonly string[];
}

const info: Record<DatasetName, DatasetInfo> = {
  mnist: { title: 'MNIST', labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  // Zalando's names, in the order of their labels (github.com/zalandoresearch/fashion-mnist).
  fashion: {
    title: 'Fashion-MNIST',
    labels: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
  },
};

/** `name` if it names a data set; else a RangeError listing the choices. */
export function checkDatasetName(name: unknown): DatasetName {
  if (typeof name === 'string' && (datasetNames as readonly string[]).includes(name)) {
    return name as DatasetName;
  }
  const choices = datasetNames.map((n) => `'${n}'`).join(' or ');
  throw new RangeError(`dataset must be ${choices}, got ${describe(name)}`);
}

/** The class names of a data set, by label: '0'...'9' for MNIST, 'T-shirt/top'... for Fashion-MNIST. */
export function datasetLabels(name: DatasetName = 'mnist'): string[] {
  return [...info[checkDatasetName(name)].labels];
}

/** How people write a data set's name: 'MNIST', 'Fashion-MNIST'. */
export function datasetTitle(name: DatasetName = 'mnist'): string {
  return info[checkDatasetName(name)].title;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
