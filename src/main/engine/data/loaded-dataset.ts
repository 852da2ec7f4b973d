import type { DatasetSummary } from '../../../shared/dataset-types';
import type { ImageSet } from './image-set';
import type { Split } from './split';

/** A dataset ready to train on: its images, its split and what the dataset view shows. */
export interface LoadedDataset {
  summary: DatasetSummary;
  set: ImageSet;
  split: Split;
  /** Each image's path inside its folder (folder datasets only), in set order. */
  fileNames?: string[];
}
