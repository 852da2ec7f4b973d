/**
 * Train / validation / test split, assigned per image by a hash of (seed, class, key) where the key
 * is the file's path inside its folder (or the image's index for built-ins). An image's part
 * depends on nothing but itself, so adding, removing or renaming other files never moves it
 * (issue 14: the old seeded shuffle moved 81.7 % of the test set when one image was added).
 *
 * Rule, per image: u = fmix32(FNV-1a32(`${seed}\0${class}\0${key}`)) / 2³²; test when u < testFraction,
 * validation when u < testFraction + validationFraction, training otherwise. Images from
 * `officialTestFrom` on (MNIST's t10k file) are test whatever their hash.
 *
 * Small classes: a class of 2 or more images with none hashed into test gives its lowest-hash
 * training image to test; one of 3 or more with no validation image then gives its lowest-hash
 * remaining training image to validation (and the same once over the whole set, so neither part is
 * ever empty when there are images to spare). Such a promoted image can move back to training when
 * a file joins its class that hashes lower or into that part: stability is exact for every class
 * with an image hashed into each part on its own. With 10 % fractions a class of 50 images lacks
 * one with probability 0.5 %, a class of 1,000 with probability 10⁻⁴⁶.
 */
import { unitHash } from './stable-hash';
import type { ImageSet, ImageSubset } from './image-set';

export interface SplitRule {
  /** FNV-1a 32 then MurmurHash3's finaliser (stable-hash.ts `unitHash`). */
  method: 'fnv1a32';
  seed: number;
  /** Fraction of each class that hashes into test (0 when the dataset has an official test set). */
  testFraction: number;
  validationFraction: number;
  /** What identifies an image in the hash: its path in the folder, or its index. */
  key: 'path' | 'index';
  /** Images from this index on are the official test set (MNIST). */
  officialTestFrom?: number;
}

export interface Split {
  train: ImageSubset;
  validation: ImageSubset;
  test: ImageSubset;
  rule: SplitRule;
}

export type SplitPart = 'train' | 'validation' | 'test';

/** Sizes used for folders and generated sets. */
export const DEFAULT_FRACTIONS = { testFraction: 0.1, validationFraction: 0.1 } as const;

/** Where one image falls by its hash alone. */
export function partOfHash(
  u: number,
  rule: Pick<SplitRule, 'testFraction' | 'validationFraction'>,
): SplitPart {
  if (u < rule.testFraction) return 'test';
  if (u < rule.testFraction + rule.validationFraction) return 'validation';
  return 'train';
}

/** The image's hash in [0, 1): `keys[i]` is its path, or undefined to hash its index. */
export function imageHash(set: ImageSet, rule: SplitRule, index: number, keys?: readonly string[]): number {
  const key = rule.key === 'path' ? (keys?.[index] ?? `#${index}`) : `#${index}`;
  return unitHash(`${rule.seed}\0${set.classNames[set.labels[index]!] ?? ''}\0${key}`);
}

/** Moves the lowest-hash training image of `members` to `part` when none of them is there. */
function promoteIfMissing(
  members: readonly number[],
  parts: SplitPart[],
  hashes: Float64Array,
  part: SplitPart,
  minimum: number,
): void {
  if (members.length < minimum || members.some((i) => parts[i] === part)) return;
  let lowest = -1;
  for (const i of members)
    if (parts[i] === 'train' && (lowest < 0 || hashes[i]! < hashes[lowest]!)) lowest = i;
  if (lowest >= 0) parts[lowest] = part;
}

/** Every image's part under the rule, with the small-class promotions of the file comment. */
export function assignParts(set: ImageSet, rule: SplitRule, keys?: readonly string[]): SplitPart[] {
  const hashes = new Float64Array(set.count);
  const parts: SplitPart[] = [];
  const official = rule.officialTestFrom;
  for (let i = 0; i < set.count; i++) {
    hashes[i] = imageHash(set, rule, i, keys);
    parts.push(official !== undefined && i >= official ? 'test' : partOfHash(hashes[i]!, rule));
  }
  const byClass: number[][] = set.classNames.map(() => []);
  for (let i = 0; i < set.count; i++) byClass[set.labels[i]!]!.push(i);
  const all = Array.from({ length: set.count }, (_, i) => i);
  if (official === undefined) {
    for (const members of byClass) promoteIfMissing(members, parts, hashes, 'test', 2);
    promoteIfMissing(all, parts, hashes, 'test', 2);
  }
  for (const members of byClass) promoteIfMissing(members, parts, hashes, 'validation', 3);
  promoteIfMissing(all, parts, hashes, 'validation', 3);
  return parts;
}

/** The split of a set under a rule; each part lists its images in ascending index order. */
export function hashSplit(set: ImageSet, rule: SplitRule, keys?: readonly string[]): Split {
  return splitFromParts(set, rule, assignParts(set, rule, keys));
}

export function splitFromParts(set: ImageSet, rule: SplitRule, parts: readonly SplitPart[]): Split {
  const lists: Record<SplitPart, number[]> = { train: [], validation: [], test: [] };
  parts.forEach((part, i) => lists[part].push(i));
  const subset = (part: SplitPart): ImageSubset => ({ set, indices: Uint32Array.from(lists[part]) });
  return { train: subset('train'), validation: subset('validation'), test: subset('test'), rule };
}

/** A part per image, from a split. */
export function partsOf(split: Split): SplitPart[] {
  const parts = new Array<SplitPart>(split.train.set.count).fill('train');
  for (const i of split.validation.indices) parts[i] = 'validation';
  for (const i of split.test.indices) parts[i] = 'test';
  return parts;
}
