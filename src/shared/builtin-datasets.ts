import type { Preprocessing } from './dataset-types';
import type { BuiltinDataset } from './dataset-types';

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

export const SPRITE_SHAPES = ['square', 'ellipse', 'heart'] as const;

export const SPRITES_INFO: BuiltinDataset = {
  id: 'sprites',
  name: 'Sprites (procedural shapes)',
  description:
    'Square, ellipse and heart at 6 scales, 10 rotations and 8×8 positions, 64×64 grayscale (in the spirit of dSprites); colour the map by any factor.',
  trainCount: 10_368,
  testCount: 1_152,
  imageSize: 64,
  channels: 1,
  classNames: [...SPRITE_SHAPES],
};

export const BUILTIN_DATASETS: BuiltinDataset[] = [MNIST_INFO, SPRITES_INFO];

/** What a folder is prepared with unless the user picks otherwise. Built-ins keep their own format. */
export const DEFAULT_PREPROCESSING: Preprocessing = {
  size: 64,
  channels: 'rgb',
  fit: 'crop',
  background: '#000000',
};
