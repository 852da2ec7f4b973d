import type { BuiltinDataset } from './types';

export const MNIST_INFO: BuiltinDataset = {
  id: 'mnist',
  name: 'MNIST handwritten digits',
  description: '70,000 handwritten digits (LeCun et al.), 28×28 grayscale, 10 classes.',
  trainCount: 60_000,
  testCount: 10_000,
  imageSize: 28,
  channels: 1,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};

export const BUILTIN_DATASETS: BuiltinDataset[] = [MNIST_INFO];
