// The data sets the page trains on: the package's (datasetNames,
// datasetLabels, datasetTitle name them and their classes), and 'own', the
// reader's own IDX files chosen in the page (never part of a link: the files
// stay in the page). This says where the page serves each package data set's
// files and how its sentences call one sample.
import {
  datasetLabels,
  datasetNames as packageDatasetNames,
  datasetTitle as packageDatasetTitle,
  type DatasetName as PackageDatasetName,
} from 'latentlab';

/** The reader's own IDX files (web/src/page/own-data.ts). */
export const ownDataset = 'own';
export const datasetNames = Object.freeze([...packageDatasetNames, ownDataset] as const);
export type DatasetName = PackageDatasetName | typeof ownDataset;

/** How the page writes a data set's name: 'MNIST', 'Fashion-MNIST', 'your IDX files'. */
export function datasetTitle(dataset: DatasetName): string {
  return dataset === ownDataset ? 'your IDX files' : packageDatasetTitle(dataset);
}

/**
 * The folder beside the page that holds a data set's four gzipped IDX files
 * (scripts/prepare-mnist.mjs fills web/public/<folder>). Both data sets use
 * the same file names, so each has its own folder.
 */
export function datasetFolder(dataset: PackageDatasetName): string {
  return dataset === 'fashion' ? 'fashion-mnist' : 'mnist';
}

/** What the page's sentences call one sample: 'digit', 'image'. */
export function sampleNoun(dataset: DatasetName): string {
  return dataset === 'mnist' ? 'digit' : 'image';
}

// A reader's own labels are numbers 0-9 (readIdxImages checks them).
const classNames = new Map<DatasetName, readonly string[]>([
  ...packageDatasetNames.map((dataset) => [dataset, datasetLabels(dataset)] as const),
  [ownDataset, datasetLabels('mnist')],
]);

/** The name of class `label` (datasetLabels): '7', 'Ankle boot'. */
export function className(dataset: DatasetName, label: number): string {
  return classNames.get(dataset)![label] ?? String(label);
}

/** A class in a sentence: 'a 7', 'an 8', 'an Ankle boot'. */
export function aClass(dataset: DatasetName, label: number): string {
  const name = className(dataset, label);
  return `${/^[aeiou8]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** A split in a sentence: 'MNIST test digits', 'Fashion-MNIST training images', 'test images of your IDX files'. */
export function splitName(dataset: DatasetName, split: 'train' | 'test'): string {
  const part = `${split === 'train' ? 'training' : 'test'} ${sampleNoun(dataset)}s`;
  return dataset === ownDataset ? `${part} of ${datasetTitle(dataset)}` : `${datasetTitle(dataset)} ${part}`;
}
