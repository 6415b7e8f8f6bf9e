// The data sets the page trains on: the package names them and their classes
// (datasetNames, datasetLabels, datasetTitle); this says where the page
// serves each one's files and how its sentences call one sample.
import { datasetLabels, datasetNames, datasetTitle, type DatasetName } from 'latentlab';

export { datasetLabels, datasetNames, datasetTitle, type DatasetName };

/**
 * The folder beside the page that holds a data set's four gzipped IDX files
 * (scripts/prepare-mnist.mjs fills web/public/<folder>). Both data sets use
 * the same file names, so each has its own folder.
 */
export function datasetFolder(dataset: DatasetName): string {
  return dataset === 'fashion' ? 'fashion-mnist' : 'mnist';
}

/** What the page's sentences call one sample: 'digit', 'image'. */
export function sampleNoun(dataset: DatasetName): string {
  return dataset === 'mnist' ? 'digit' : 'image';
}

const classNames = new Map(datasetNames.map((dataset) => [dataset, datasetLabels(dataset)]));

/** The name of class `label` (datasetLabels): '7', 'Ankle boot'. */
export function className(dataset: DatasetName, label: number): string {
  return classNames.get(dataset)![label] ?? String(label);
}

/** A class in a sentence: 'a 7', 'an 8', 'an Ankle boot'. */
export function aClass(dataset: DatasetName, label: number): string {
  const name = className(dataset, label);
  return `${/^[aeiou8]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** A split in a sentence: 'MNIST test digits', 'Fashion-MNIST training images'. */
export function splitName(dataset: DatasetName, split: 'train' | 'test'): string {
  return `${datasetTitle(dataset)} ${split === 'train' ? 'training' : 'test'} ${sampleNoun(dataset)}s`;
}
