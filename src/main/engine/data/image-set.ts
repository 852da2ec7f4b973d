import type { MetadataField } from '../../../shared/dataset-types';
import { mulberry32, shuffledIndices } from '../random';

/** Images of one size held as uint8 pixels (never the whole set as float32), with labels. */
export interface ImageSet {
  /** Row-major count × (size·size·channels) bytes, 0–255, channels interleaved. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  size: number;
  channels: 1 | 3;
  classNames: string[];
  /** Optional per-image values (e.g. sprite factors), `values.length === count`. */
  metadata: { field: MetadataField; values: Float32Array }[];
}

/** Some images of a set, by index, in a fixed order (a split, or a cap on one). */
export interface ImageSubset {
  set: ImageSet;
  indices: Uint32Array;
}

export function pixelsPerImage(set: Pick<ImageSet, 'size' | 'channels'>): number {
  return set.size * set.size * set.channels;
}

export function wholeSet(set: ImageSet): ImageSubset {
  return { set, indices: Uint32Array.from({ length: set.count }, (_, i) => i) };
}

/**
 * Up to `limit` images of a subset, a seeded random sample stratified by label: each class gets its
 * share (largest remainders), drawn in a seeded shuffle. The first N of a sorted split would be a
 * few classes or folders only (issue 14, item 6). Indices come out ascending; the whole subset is
 * returned as it is when it fits.
 */
export function takeSample(subset: ImageSubset, limit: number, seed: number): ImageSubset {
  const total = subset.indices.length;
  if (limit >= total) return subset;
  const random = mulberry32(seed);
  const buckets = classBuckets(subset);
  const shares = buckets.map((b) => (b.length * limit) / total);
  const quotas = shares.map(Math.floor);
  const byRemainder = shares
    .map((share, k) => ({ k, rest: share - quotas[k]! }))
    .sort((a, b) => b.rest - a.rest);
  for (let n = quotas.reduce((a, b) => a + b, 0), r = 0; n < limit; n++, r++) quotas[byRemainder[r]!.k]! += 1;
  const picked: number[] = [];
  buckets.forEach((bucket, k) => {
    const order = shuffledIndices(bucket.length, random);
    for (let j = 0; j < quotas[k]!; j++) picked.push(bucket[order[j]!]!);
  });
  return { set: subset.set, indices: Uint32Array.from(picked.sort((a, b) => a - b)) };
}

/** The subset's indices grouped by label, labels ascending, each group in index order. */
function classBuckets(subset: ImageSubset): number[][] {
  const byClass = new Map<number, number[]>();
  for (const index of subset.indices) {
    const label = subset.set.labels[index]!;
    const bucket = byClass.get(label);
    if (bucket) bucket.push(index);
    else byClass.set(label, [index]);
  }
  return [...byClass.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
}

/**
 * Up to `count` images of a subset spread evenly over the labels (round-robin through the classes
 * in index order), so the latent map shows every class even when the data is sorted by label.
 * Returns indices into the subset's set, ascending.
 */
export function stratifiedSample(subset: ImageSubset, count: number): Uint32Array {
  const buckets = classBuckets(subset);
  const wanted = Math.min(count, subset.indices.length);
  const picked: number[] = [];
  for (let round = 0; picked.length < wanted; round++) {
    for (const bucket of buckets) {
      const index = bucket[round];
      if (index !== undefined && picked.length < wanted) picked.push(index);
    }
  }
  return Uint32Array.from(picked.sort((a, b) => a - b));
}

export function countsPerLabel(set: ImageSet): number[] {
  const counts = new Array<number>(set.classNames.length).fill(0);
  for (let i = 0; i < set.count; i++) counts[set.labels[i]!]! += 1;
  return counts;
}
