/**
 * A run's name, note and tags, `runs/<runId>/run-meta.json`: what the user says about a run, apart
 * from what training wrote. Written atomically and read back with zod. A file that does not read
 * back (not JSON, wrong shape, too long) is ignored, so the run lists as it would without one, and
 * before anything is written over it, it is moved aside to `run-meta.damaged-<time>.json`, where a
 * person can still look at it. Updates of one run run one after another, so two at once never
 * start from the same old file.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { RequestArgs } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { EMPTY_RUN_META, tagKey, type RunMeta } from '../../../shared/run-meta';
import { RUN_ID_PATTERN } from '../../../shared/run-types';
import { storedRunMeta } from '../../../shared/schemas';
import { writeFileAtomic } from '../fs/atomic-write';
import { setAsideDamaged } from '../fs/damaged-file';
import { readKeptJsonFile } from '../fs/json-file';
import { KeyedQueue } from '../fs/keyed-queue';

export const RUN_META_FILE = 'run-meta.json';

interface SavedRunMeta {
  meta: RunMeta;
  /** The file exists but did not read back: it is moved aside before the next write. */
  damaged: boolean;
}

/** What the run folder keeps; never throws (a missing or damaged file reads as no meta). */
export async function readRunMeta(runDirectory: string): Promise<SavedRunMeta> {
  const file = await readKeptJsonFile(path.join(runDirectory, RUN_META_FILE), storedRunMeta);
  if (file.data === null) return { meta: EMPTY_RUN_META, damaged: file.damaged };
  const { name, note, tags } = file.data;
  return { meta: { name, note, tags: uniqueTags(tags) }, damaged: false };
}

/** The first of tags equal ignoring case stands. */
function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tagKey(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export class RunMetaStore {
  /** Per run, the update last queued, so the next one starts once it has settled. */
  /** Saves and deletes of one run, one at a time. */
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly runsRoot: string,
    /** The clock for damaged files' names (tests fix it). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Sets the fields given (trimmed, tags unique) and keeps the others; NOT_FOUND for no such run. */
  update({ runId, ...change }: RequestArgs<'runs:update'>): Promise<Result<RunMeta>> {
    return this.queue.run(runId, async () => {
      // The id is checked so it can never name a folder outside the runs folder.
      if (!RUN_ID_PATTERN.test(runId)) return fail('INVALID_PAYLOAD', 'Not a run id.');
      const directory = path.join(this.runsRoot, runId);
      const folder = await stat(directory).catch(() => null);
      if (!folder?.isDirectory()) return fail('NOT_FOUND', 'That run no longer exists.');
      const saved = await readRunMeta(directory);
      const meta: RunMeta = {
        name: change.name === undefined ? saved.meta.name : change.name,
        note: change.note ?? saved.meta.note,
        tags: change.tags === undefined ? saved.meta.tags : uniqueTags(change.tags),
      };
      if (saved.damaged) await setAsideDamaged(directory, RUN_META_FILE, this.now());
      await writeFileAtomic(
        path.join(directory, RUN_META_FILE),
        JSON.stringify({ version: 1, ...meta }, null, 1),
      );
      return ok(meta);
    });
  }
}
