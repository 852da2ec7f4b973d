/** `--split test|all` and `--limit N`: which of the data's images `evaluate` and `reconstruct` use. */
import { TRAIN_LIMITS } from '../shared/train-limits';
import { stratifiedSample, wholeSet, type ImageSubset } from '../main/engine/data/image-set';
import type { LoadedDataset } from '../main/engine/data/loaded-dataset';
import { choiceOption, numberOption, type OptionValues } from './args';

export interface ImageChoice {
  split: 'test' | 'all';
  images: ImageSubset;
  /** The images in words, for the log: "the test split of MNIST". */
  what: string;
}

/** `--limit N` (Infinity without it), read before anything slow so a bad value fails fast. */
export function limitOption(values: OptionValues): number {
  return numberOption(values, 'limit', TRAIN_LIMITS.testLimit, Infinity);
}

/**
 * The test split (`test`, as the caller holds it) for the run's own dataset, every image of any
 * other, unless `--split` says otherwise; a class-balanced `limit` of them when there are more.
 */
export function chooseImages(
  values: OptionValues,
  dataset: LoadedDataset,
  test: ImageSubset,
  ownDataset: boolean,
  limit: number,
): ImageChoice {
  const { set, summary } = dataset;
  const split = choiceOption(values, 'split', ['test', 'all'], ownDataset ? 'test' : 'all');
  const chosen = split === 'test' ? test : wholeSet(set);
  const images = chosen.indices.length > limit ? { set, indices: stratifiedSample(chosen, limit) } : chosen;
  const what = split === 'test' ? `the test split of ${summary.name}` : `all of ${summary.name}`;
  return { split, images, what };
}
