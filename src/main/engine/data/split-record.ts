/**
 * A run's split, `runs/<runId>/split.json`: the rule (hash, seed, fractions) and, for a folder,
 * every file by part; for a built-in the rule and a digest of its parts. Continuing a run reads it
 * back (checked with zod; a run from before it existed has none and continues on today's split), so
 * a file that was test or validation for the run is never trained on, even when the folder changed
 * (issue 14).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import { imageName } from './image-names';
import type { LoadedDataset } from './loaded-dataset';
import { partsOf, splitFromParts, type Split, type SplitPart, type SplitRule } from './split';
import { readJsonFile } from '../fs/json-file';

const ruleSchema = z.object({
  method: z.literal('fnv1a32'),
  seed: z.int(),
  testFraction: z.number().min(0).max(1),
  validationFraction: z.number().min(0).max(1),
  key: z.enum(['path', 'index']),
  officialTestFrom: z.int().min(0).optional(),
}) satisfies z.ZodType<SplitRule>;

const filesSchema = z.object({
  train: z.array(z.string()),
  validation: z.array(z.string()),
  test: z.array(z.string()),
});

const recordSchema = z.object({
  version: z.literal(1),
  datasetId: z.string(),
  rule: ruleSchema,
  count: z.int().min(0),
  counts: z.object({ train: z.int().min(0), validation: z.int().min(0), test: z.int().min(0) }),
  /** SHA-256 of the rule and the validation and test images' names. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** Folder datasets: each part's files (paths inside the folder). */
  files: filesSchema.optional(),
});
export type SplitRecord = z.infer<typeof recordSchema>;

/** What changed in a dataset since its run's split was recorded. */
export interface SplitChange {
  added: number;
  removed: number;
  /** A built-in whose parts no longer match the record (no file lists to say more). */
  builtinChanged: boolean;
}

const FILE_NAME = 'split.json';

function namesOf(dataset: LoadedDataset, indices: Uint32Array): string[] {
  return Array.from(indices, (i) => imageName(dataset, i));
}

function digestOf(rule: SplitRule, validation: string[], test: string[]): string {
  return createHash('sha256').update(JSON.stringify({ rule, validation, test })).digest('hex');
}

export function splitRecordOf(dataset: LoadedDataset): SplitRecord {
  const { split } = dataset;
  const validation = namesOf(dataset, split.validation.indices);
  const test = namesOf(dataset, split.test.indices);
  return {
    version: 1,
    datasetId: dataset.summary.datasetId,
    rule: split.rule,
    count: dataset.set.count,
    counts: {
      train: split.train.indices.length,
      validation: validation.length,
      test: test.length,
    },
    digest: digestOf(split.rule, validation, test),
    ...(dataset.fileNames
      ? { files: { train: namesOf(dataset, split.train.indices), validation, test } }
      : {}),
  };
}

export async function writeSplitRecord(runDirectory: string, record: SplitRecord): Promise<void> {
  await writeFileAtomic(path.join(runDirectory, FILE_NAME), JSON.stringify(record));
}

/** The run's record, or null when it has none (an older run) or it is damaged. */
export async function readSplitRecord(runDirectory: string): Promise<SplitRecord | null> {
  return readJsonFile(path.join(runDirectory, FILE_NAME), recordSchema);
}

/**
 * The split to continue a run on: a file keeps the part the record gave it (so former test and
 * validation files stay out of training, and files it trained on never enter the test set); a
 * new file takes its part from the rule. `change` is null when nothing changed.
 */
export function continuedSplit(
  dataset: LoadedDataset,
  record: SplitRecord,
): { split: Split; change: SplitChange | null; record: SplitRecord } {
  const { split, fileNames } = dataset;
  if (!record.files || !fileNames) {
    const current = splitRecordOf(dataset);
    if (current.digest === record.digest) return { split, change: null, record };
    const change = {
      added: Math.max(0, dataset.set.count - record.count),
      removed: Math.max(0, record.count - dataset.set.count),
      builtinChanged: true,
    };
    return { split, change, record: current };
  }
  const recorded = new Map<string, SplitPart>();
  for (const part of ['train', 'validation', 'test'] as const) {
    for (const name of record.files[part]) recorded.set(name, part);
  }
  const parts = partsOf(split);
  let present = 0;
  fileNames.forEach((name, i) => {
    const part = recorded.get(name);
    if (part === undefined) return;
    present++;
    parts[i] = part;
  });
  const change = {
    added: fileNames.length - present,
    removed: recorded.size - present,
    builtinChanged: false,
  };
  const changed = change.added > 0 || change.removed > 0;
  const continued = splitFromParts(dataset.set, split.rule, parts);
  return {
    split: continued,
    change: changed ? change : null,
    record: changed ? updatedRecord(dataset, continued, record.files) : record,
  };
}

/**
 * The record after a continue: today's files in the parts they trained in, and files that are
 * gone kept in theirs, so a held-out file that comes back later is still held out.
 */
function updatedRecord(
  dataset: LoadedDataset,
  split: Split,
  before: z.infer<typeof filesSchema>,
): SplitRecord {
  const record = splitRecordOf({ ...dataset, split });
  const present = new Set(dataset.fileNames);
  const files = record.files!;
  for (const part of ['train', 'validation', 'test'] as const) {
    files[part].push(...before[part].filter((name) => !present.has(name)));
  }
  return record;
}

/** The change in plain words, for the reply and the job's first state message. */
export function describeSplitChange(change: SplitChange): string {
  const files = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;
  if (change.builtinChanged) {
    return (
      `The dataset changed since this run last trained (${files(change.added)} added, ` +
      `${files(change.removed)} removed); it continues on the dataset's own split.`
    );
  }
  return (
    `The folder changed since this run last trained: ${files(change.added)} added, ` +
    `${files(change.removed)} removed. Files that were test or validation images stay out of training; ` +
    'new files join the part their hash gives them.'
  );
}
