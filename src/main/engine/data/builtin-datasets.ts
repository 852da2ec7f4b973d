/**
 * The built-in datasets as opened datasets. MNIST keeps its official test set (t10k) and takes a
 * validation set from its training file; sprites are split 80/10/10. Both hash each image's index
 * (see split.ts), so an image's part never depends on the others.
 */
import { MNIST_INFO, SPRITES_INFO } from '../../../shared/builtin-datasets';
import type { BuiltinDatasetId, ImageSize } from '../../../shared/dataset-types';
import { summarize } from './dataset-summary';
import type { ImageSet } from './image-set';
import type { LoadedDataset } from './loaded-dataset';
import { loadMnist } from './mnist';
import { DEFAULT_FRACTIONS, hashSplit, type Split, type SplitRule } from './split';
import { generateSprites } from './sprites';

const SPLIT_SEED = 1;
/** Share of MNIST's 60,000 training images held out for validation: about 5,000, the customary size. */
const MNIST_VALIDATION_FRACTION = 1 / 12;

/** A built-in set as an opened dataset: grey, stretched, nothing skipped, no cache of its own. */
function builtinDataset(
  { id, name, size }: { id: BuiltinDatasetId; name: string; size: ImageSize },
  set: ImageSet,
  split: Split,
  read: { decoded: number; fromCache: boolean },
): LoadedDataset {
  return {
    set,
    split,
    summary: summarize({
      datasetId: id,
      name,
      source: { kind: 'builtin', id },
      preprocessing: { size, channels: 'grayscale', fit: 'stretch', background: '#000000' },
      set,
      split,
      skipped: [],
      cacheBytes: 0,
      ...read,
    }),
  };
}

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
  const rule: SplitRule = {
    method: 'fnv1a32',
    seed: SPLIT_SEED,
    testFraction: 0,
    validationFraction: MNIST_VALIDATION_FRACTION,
    key: 'index',
    officialTestFrom: train.count,
  };
  // Read from the bundled files, not decoded.
  return builtinDataset({ id: 'mnist', name: MNIST_INFO.name, size: 28 }, set, hashSplit(set, rule), {
    decoded: 0,
    fromCache: true,
  });
}

async function openSprites(): Promise<LoadedDataset> {
  const set = generateSprites();
  const split = hashSplit(set, { method: 'fnv1a32', seed: SPLIT_SEED, ...DEFAULT_FRACTIONS, key: 'index' });
  // Drawn afresh each time: every image counts as decoded.
  return builtinDataset({ id: 'sprites', name: SPRITES_INFO.name, size: 64 }, set, split, {
    decoded: set.count,
    fromCache: false,
  });
}

export function openBuiltin(id: BuiltinDatasetId): Promise<LoadedDataset> {
  return id === 'mnist' ? openMnist() : openSprites();
}
