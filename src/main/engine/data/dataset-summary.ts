/** What the dataset view shows about an opened dataset. */
import type {
  DatasetSource,
  DatasetSummary,
  Preprocessing,
  SampleTiles,
  SkippedFile,
} from '../../../shared/dataset-types';
import { countsPerLabel, pixelsPerImage, type ImageSet } from './image-set';
import type { Split } from './split';

/** Sample tiles per class in the dataset view. */
export const SAMPLES_PER_CLASS = 8;

/** The first `perClass` images of every class, as tiles. */
export function sampleTiles(set: ImageSet, perClass: number): SampleTiles[] {
  const stride = pixelsPerImage(set);
  const picked: number[][] = set.classNames.map(() => []);
  for (let i = 0; i < set.count; i++) {
    const bucket = picked[set.labels[i]!]!;
    if (bucket.length < perClass) bucket.push(i);
  }
  return picked
    .map((indices, label) => {
      const pixels = new Uint8Array(indices.length * stride);
      indices.forEach((index, k) =>
        pixels.set(set.pixels.subarray(index * stride, (index + 1) * stride), k * stride),
      );
      return { label, pixels, count: indices.length };
    })
    .filter((tiles) => tiles.count > 0);
}

export interface SummaryInput {
  datasetId: string;
  name: string;
  source: DatasetSource;
  preprocessing: Preprocessing;
  set: ImageSet;
  split: Split;
  skipped: SkippedFile[];
  cacheBytes: number;
  decoded: number;
  fromCache: boolean;
}

export function summarize(input: SummaryInput): DatasetSummary {
  const { set, split, preprocessing } = input;
  return {
    datasetId: input.datasetId,
    name: input.name,
    source: input.source,
    preprocessing,
    count: set.count,
    classNames: set.classNames,
    countsPerLabel: countsPerLabel(set),
    split: {
      train: split.train.indices.length,
      validation: split.validation.indices.length,
      test: split.test.indices.length,
      // Shares as they came out, not as asked: MNIST's official test set is 1/7 of it.
      testFraction: split.test.indices.length / Math.max(1, set.count),
      validationFraction: split.validation.indices.length / Math.max(1, set.count),
      seed: split.rule.seed,
    },
    skipped: input.skipped,
    metadataFields: set.metadata.map((m) => m.field),
    samples: sampleTiles(set, SAMPLES_PER_CLASS),
    cacheBytes: input.cacheBytes,
    decoded: input.decoded,
    fromCache: input.fromCache,
  };
}
