/** Train / held-out split: seeded, stratified by label, so every class is in both parts. */
import { mulberry32, shuffledIndices } from '../train/random';
import type { ImageSet, ImageSubset } from './image-set';

export interface SplitOptions {
  /** Fraction of each class held out. Default 0.1. */
  testFraction?: number;
  /** Seed for the per-class shuffles. Default 1. */
  seed?: number;
}

export interface Split {
  train: ImageSubset;
  test: ImageSubset;
}

/**
 * Each class is shuffled with the seed and its first round(n·fraction) images are held out (at
 * least one when the class has two or more). Both parts are then shuffled once more, so capping
 * either to its first N images still gives a stratified random sample.
 */
export function stratifiedSplit(set: ImageSet, options: SplitOptions = {}): Split {
  const testFraction = options.testFraction ?? 0.1;
  const random = mulberry32(options.seed ?? 1);
  const byClass: number[][] = set.classNames.map(() => []);
  for (let i = 0; i < set.count; i++) byClass[set.labels[i]!]!.push(i);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    const order = shuffledIndices(members.length, random);
    let held = Math.round(members.length * testFraction);
    if (held === 0 && members.length >= 2 && testFraction > 0) held = 1;
    order.forEach((position, k) => (k < held ? test : train).push(members[position]!));
  }
  // Classes of one image each would leave nothing held out; evaluation needs at least one image.
  if (test.length === 0 && train.length >= 2) test.push(train.pop()!);
  const mix = (indices: number[]) => {
    const order = shuffledIndices(indices.length, random);
    return Uint32Array.from(order, (k) => indices[k]!);
  };
  return { train: { set, indices: mix(train) }, test: { set, indices: mix(test) } };
}
