/**
 * Issue 14: a file's part (train / validation / test) depends on that file alone. With the old
 * seeded shuffle, adding one image to 10 classes × 1,000 moved 81.7 % of the test set into
 * training; here adding, removing or renaming other files moves nothing, MNIST keeps its official
 * test set, a continued run never trains on its former held-out files, and the best checkpoint is
 * chosen on validation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBuiltin } from '../../src/main/engine/data/builtin-datasets';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import type { LoadedDataset } from '../../src/main/engine/data/loaded-dataset';
import { DEFAULT_FRACTIONS, hashSplit, partsOf, type SplitPart } from '../../src/main/engine/data/split';
import {
  continuedSplit,
  describeSplitChange,
  readSplitRecord,
  splitRecordOf,
  writeSplitRecord,
} from '../../src/main/engine/data/split-record';
import {
  chooseSample,
  originalsOf,
  realignStoredSample,
  ReconstructionStore,
} from '../../src/main/engine/gallery/reconstructions';
import { displayPoints, realignPoints } from '../../src/main/engine/latent/display-points';
import { bestEpoch } from '../../src/main/engine/train/run-stops';
import type { EpochMetrics } from '../../src/shared/types';

const RULE = { method: 'fnv1a32', seed: 1, ...DEFAULT_FRACTIONS, key: 'path' } as const;

/** A folder dataset of `class/name` paths (sorted, as a scan lists them); pixels are the index. */
function folder(paths: string[]): LoadedDataset {
  const sorted = [...paths].sort();
  const classNames = [...new Set(sorted.map((p) => p.split('/')[0]!))].sort();
  const labels = Uint8Array.from(sorted, (p) => classNames.indexOf(p.split('/')[0]!));
  const set: ImageSet = {
    pixels: Uint8Array.from(sorted, (_, i) => i % 256),
    labels,
    count: sorted.length,
    size: 1,
    channels: 1,
    classNames,
    metadata: [],
  };
  const split = hashSplit(set, RULE, sorted);
  return { set, split, fileNames: sorted, summary: { datasetId: 'folder-test' } } as unknown as LoadedDataset;
}

function partByFile(dataset: LoadedDataset): Map<string, SplitPart> {
  const parts = partsOf(dataset.split);
  return new Map(dataset.fileNames!.map((name, i) => [name, parts[i]!]));
}

/** Files of `before` whose part differs in `after` (files missing from `after` are not counted). */
function moved(before: LoadedDataset, after: LoadedDataset): string[] {
  const now = partByFile(after);
  return [...partByFile(before)]
    .filter(([name, part]) => now.has(name) && now.get(name) !== part)
    .map(([n]) => n);
}

const tenByThousand = Array.from(
  { length: 10_000 },
  (_, i) => `class${i % 10}/img${String(i).padStart(5, '0')}.png`,
);

describe('a stable split', () => {
  const base = folder(tenByThousand);

  it('splits about 80 / 10 / 10 per class', () => {
    expect(base.split.test.indices.length).toBeGreaterThan(900);
    expect(base.split.test.indices.length).toBeLessThan(1100);
    expect(base.split.validation.indices.length).toBeGreaterThan(900);
    expect(base.split.validation.indices.length).toBeLessThan(1100);
  });

  it('moves no existing file when files are added', () => {
    expect(moved(base, folder([...tenByThousand, 'class3/aaa-new.png']))).toEqual([]);
    const many = Array.from({ length: 500 }, (_, i) => `class${i % 10}/added${i}.png`);
    expect(moved(base, folder([...tenByThousand, ...many]))).toEqual([]);
  });

  it('moves no other file when files are removed or renamed', () => {
    const removed = tenByThousand.filter((_, i) => i % 7 !== 0);
    expect(moved(base, folder(removed))).toEqual([]);
    const renamed = tenByThousand.map((p, i) => (i % 100 === 0 ? p.replace('img', 'renamed') : p));
    expect(moved(base, folder(renamed))).toEqual([]);
  });

  it('gives even a small class a test and a validation image', () => {
    const small = folder(['tiny/a.png', 'tiny/b.png', 'tiny/c.png', ...tenByThousand.slice(0, 100)]);
    const parts = partByFile(small);
    const tinyParts = ['tiny/a.png', 'tiny/b.png', 'tiny/c.png'].map((n) => parts.get(n)).sort();
    expect(tinyParts).toEqual(['test', 'train', 'validation']);
  });

  it('keeps MNIST’s official test set and takes validation from its training file', async () => {
    const mnist = await openBuiltin('mnist');
    const { test, validation, train } = mnist.split;
    expect(test.indices.length).toBe(10_000);
    expect(test.indices[0]).toBe(60_000);
    expect(test.indices.at(-1)).toBe(69_999);
    expect(validation.indices.every((i) => i < 60_000)).toBe(true);
    expect(validation.indices.length).toBeGreaterThan(4_500);
    expect(validation.indices.length).toBeLessThan(5_500);
    expect(train.indices.length + validation.indices.length).toBe(60_000);
    expect(mnist.summary.split).toMatchObject({ test: 10_000, validation: validation.indices.length });
    expect(splitRecordOf(mnist).files).toBeUndefined();
    expect(continuedSplit(mnist, splitRecordOf(mnist)).change).toBeNull();
  });
});

describe('a recorded split', () => {
  it('continues on a changed folder without training on former test or validation files', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-split-'));
    try {
      const before = folder(tenByThousand.slice(0, 200));
      const record = splitRecordOf(before);
      // A file the run held out that today's rule would train on (as a tiny class's promotion can).
      const trainedName = record.files!.train[0]!;
      record.files!.train.shift();
      record.files!.test.push(trainedName);
      await writeSplitRecord(directory, record);
      const read = (await readSplitRecord(directory))!;
      expect(read).toEqual(record);

      const added = ['class0/new1.png', 'class1/new2.png', 'class2/new3.png'];
      const gone = record.files!.validation[0]!;
      const after = folder([...tenByThousand.slice(0, 200), ...added].filter((n) => n !== gone));
      const { split, change } = continuedSplit(after, read);
      expect(change).toEqual({ added: 3, removed: 1, builtinChanged: false });
      expect(describeSplitChange(change!)).toMatch(/3 files added, 1 file removed/);
      const heldOut = new Set([...read.files!.test, ...read.files!.validation]);
      const trainNames = Array.from(split.train.indices, (i) => after.fileNames![i]!);
      expect(trainNames.filter((n) => heldOut.has(n))).toEqual([]);
      expect(Array.from(split.test.indices, (i) => after.fileNames![i])).toContain(trainedName);
      expect(continuedSplit(before, splitRecordOf(before)).change).toBeNull();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('keeps the map’s points and the gallery sample on the same files after an insert', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-split-'));
    try {
      const before = folder(tenByThousand.slice(0, 300));
      const points = displayPoints(before, 40, 2);
      const sample = chooseSample(before, 5);
      const store = new ReconstructionStore(directory);
      await store.writeSample(sample, originalsOf(before.set, sample.datasetIndices));
      // Sorts first, so every image moves one position down.
      const after = folder(['class0/000-first.png', ...tenByThousand.slice(0, 300)]);
      const realigned = realignPoints(points, after)!;
      expect(realigned.datasetIndices).toEqual(points.datasetIndices.map((i) => i + 1));
      expect(realigned.datasetIndices.map((i) => after.fileNames![i])).toEqual(points.names);
      await realignStoredSample(directory, after, 5);
      const stored = (await store.readSample())!.sample;
      expect(stored.datasetIndices.map((i) => after.fileNames![i])).toEqual(sample.names);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('the best checkpoint', () => {
  const line = (epoch: number, testLoss: number, validationLoss?: number) =>
    ({ epoch, testLoss, ...(validationLoss === undefined ? {} : { validationLoss }) }) as EpochMetrics;

  it('follows the validation loss, never the test loss', () => {
    expect(bestEpoch([line(1, 90, 100), line(2, 80, 95), line(3, 70, 97)])).toBe(2);
  });

  it('is none for runs without validation figures', () => {
    expect(bestEpoch([line(1, 90), line(2, 80)])).toBeNull();
    expect(bestEpoch([line(1, 90), line(2, 80, 99), line(3, 70, 98)])).toBe(3);
  });
});
