/** The built-in datasets as opened datasets: MNIST with its official split, sprites split 90/10. */
import { MNIST_INFO, SPRITES_INFO } from '../../../shared/builtin-datasets';
import type { BuiltinDatasetId } from '../../../shared/dataset-types';
import { summarize } from './dataset-summary';
import type { ImageSet } from './image-set';
import type { LoadedDataset } from './loaded-dataset';
import { loadMnist } from './mnist';
import { stratifiedSplit } from './split';
import { generateSprites } from './sprites';

const SPLIT_SEED = 1;

async function openMnist(): Promise<LoadedDataset> {
  const { train, test } = await loadMnist();
  // One set holding both files, so a split is just two index lists like any other dataset's.
  const pixels = new Uint8Array(train.pixels.length + test.pixels.length);
  pixels.set(train.pixels);
  pixels.set(test.pixels, train.pixels.length);
  const labels = new Uint8Array(train.count + test.count);
  labels.set(train.labels);
  labels.set(test.labels, train.count);
  const set: ImageSet = { ...train, pixels, labels, count: train.count + test.count };
  const split = {
    train: { set, indices: Uint32Array.from({ length: train.count }, (_, i) => i) },
    test: { set, indices: Uint32Array.from({ length: test.count }, (_, i) => train.count + i) },
  };
  return {
    set,
    split,
    summary: summarize({
      datasetId: 'mnist',
      name: MNIST_INFO.name,
      source: { kind: 'builtin', id: 'mnist' },
      preprocessing: { size: 28, channels: 'grayscale', fit: 'stretch', background: '#000000' },
      set,
      split,
      splitSeed: 0,
      testFraction: test.count / set.count,
      skipped: [],
      cacheBytes: 0,
      decoded: 0,
      fromCache: true,
    }),
  };
}

async function openSprites(): Promise<LoadedDataset> {
  const set = generateSprites();
  const split = stratifiedSplit(set, { testFraction: 0.1, seed: SPLIT_SEED });
  return {
    set,
    split,
    summary: summarize({
      datasetId: 'sprites',
      name: SPRITES_INFO.name,
      source: { kind: 'builtin', id: 'sprites' },
      preprocessing: { size: 64, channels: 'grayscale', fit: 'stretch', background: '#000000' },
      set,
      split,
      splitSeed: SPLIT_SEED,
      testFraction: 0.1,
      skipped: [],
      cacheBytes: 0,
      decoded: set.count,
      fromCache: false,
    }),
  };
}

export function openBuiltin(id: BuiltinDatasetId): Promise<LoadedDataset> {
  return id === 'mnist' ? openMnist() : openSprites();
}
