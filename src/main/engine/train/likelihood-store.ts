/**
 * A run's completed log-likelihood estimates, `runs/<runId>/likelihood.json`: newest last, at most
 * `MAX_SAVED` (the oldest go first). Written atomically and read back with zod: a missing file is
 * no estimates; a damaged entry is skipped, a damaged file is none. Nothing damaged is thrown away
 * by a write: before the file is replaced without what could not be read, it is moved aside to
 * `likelihood.json.damaged-<time>`, where a person can still look at it.
 */
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LikelihoodEstimate, SavedLikelihood } from '../../../shared/likelihood-types';
import { whileWriting, writeFileAtomic } from '../fs/atomic-write';

export const LIKELIHOOD_FILE = 'likelihood.json';

/** Enough for every K asked for on a run that was continued a few times; the file stays small. */
export const MAX_SAVED = 20;

const count = z.int().min(1);
/** JSON has no NaN or Infinity, so a non-finite figure never reaches the file (see `appendLikelihood`). */
const figure = z.number();

const estimateSchema = z.object({
  samples: count,
  images: count,
  dimensions: count,
  negativeElbo: figure,
  nll: figure,
  bitsPerDim: figure.nullable(),
}) satisfies z.ZodType<LikelihoodEstimate>;

const entrySchema = z.object({
  epoch: count,
  checkpoint: z.enum(['best', 'newest']),
  split: z.literal('test'),
  seed: z.int(),
  automatic: z.boolean(),
  finishedAt: z.iso.datetime(),
  estimate: estimateSchema,
}) satisfies z.ZodType<SavedLikelihood>;

/** The entries stay unknown here so that one bad entry costs only itself. */
const fileSchema = z.object({ version: z.literal(1), estimates: z.array(z.unknown()) });

export interface SavedLikelihoods {
  /** The entries that read back, oldest first. */
  estimates: SavedLikelihood[];
  /** Entries that were skipped because they are damaged. */
  skipped: number;
  /** The file exists but is not a likelihood file at all (unreadable, not JSON, wrong shape). */
  damaged: boolean;
}

function fileOf(runDirectory: string): string {
  return path.join(runDirectory, LIKELIHOOD_FILE);
}

/** What the run folder keeps; never throws for a missing or damaged file. */
export async function readLikelihoods(runDirectory: string): Promise<SavedLikelihoods> {
  let text: string;
  try {
    text = await readFile(fileOf(runDirectory), 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { estimates: [], skipped: 0, damaged: !missing };
  }
  let parsed: z.infer<typeof fileSchema>;
  try {
    const result = fileSchema.safeParse(JSON.parse(text));
    if (!result.success) return { estimates: [], skipped: 0, damaged: true };
    parsed = result.data;
  } catch {
    return { estimates: [], skipped: 0, damaged: true };
  }
  const estimates: SavedLikelihood[] = [];
  for (const entry of parsed.estimates) {
    const read = entrySchema.safeParse(entry);
    if (read.success) estimates.push(read.data);
  }
  return { estimates, skipped: parsed.estimates.length - estimates.length, damaged: false };
}

function allFinite(estimate: LikelihoodEstimate): boolean {
  const { negativeElbo, nll, bitsPerDim } = estimate;
  return [negativeElbo, nll, bitsPerDim ?? 0].every(Number.isFinite);
}

/** Appends run one after another per file, so two writes never read the same old list. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Adds a completed estimate (dropping the oldest beyond `MAX_SAVED`) and returns what the file
 * holds now. A non-finite estimate (a model gone bad) is not kept: JSON would turn it into null.
 */
export function appendLikelihood(runDirectory: string, entry: SavedLikelihood): Promise<SavedLikelihood[]> {
  const file = fileOf(runDirectory);
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => append(runDirectory, entry));
  queues.set(file, next);
  void next
    .finally(() => {
      if (queues.get(file) === next) queues.delete(file);
    })
    .catch(() => undefined);
  return next;
}

async function append(runDirectory: string, entry: SavedLikelihood): Promise<SavedLikelihood[]> {
  const saved = await readLikelihoods(runDirectory);
  if (!allFinite(entry.estimate)) return saved.estimates;
  if (saved.damaged || saved.skipped > 0) await moveAside(fileOf(runDirectory));
  const estimates = [...saved.estimates, entry].slice(-MAX_SAVED);
  await writeFileAtomic(fileOf(runDirectory), JSON.stringify({ version: 1, estimates }, null, 1));
  return estimates;
}

/** Keeps a damaged file under a name of its own (readers match the exact name, so it is not read). */
async function moveAside(file: string): Promise<void> {
  const stamp = new Date().toISOString().replaceAll(':', '-');
  await whileWriting(() => rename(file, `${file}.damaged-${stamp}`)).catch((error: unknown) => {
    // Gone meanwhile (or unreadable because it is not a file): nothing left to keep.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
}
