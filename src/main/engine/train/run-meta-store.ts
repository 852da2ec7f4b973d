/**
 * A run's name, note and tags, `runs/<runId>/run-meta.json`: what the user says about a run, apart
 * from what training wrote. Written atomically and read back with zod. A file that does not read
 * back (not JSON, wrong shape, too long) is ignored, so the run lists as it would without one, and
 * before anything is written over it, it is moved aside to `run-meta.damaged-<time>.json`, where a
 * person can still look at it. Updates of one run run one after another, so two at once never
 * start from the same old file.
 */
import { access, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RequestArgs } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { EMPTY_RUN_META, tagKey, type RunMeta } from '../../../shared/run-meta';
import { RUN_ID_PATTERN } from '../../../shared/run-types';
import { storedRunMeta } from '../../../shared/schemas';
import { whileWriting, writeFileAtomic } from '../fs/atomic-write';

export const RUN_META_FILE = 'run-meta.json';

interface SavedRunMeta {
  meta: RunMeta;
  /** The file exists but did not read back: it is moved aside before the next write. */
  damaged: boolean;
}

/** What the run folder keeps; never throws (a missing or damaged file reads as no meta). */
export async function readRunMeta(runDirectory: string): Promise<SavedRunMeta> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(runDirectory, RUN_META_FILE), 'utf8'));
  } catch (error) {
    return { meta: EMPTY_RUN_META, damaged: (error as NodeJS.ErrnoException).code !== 'ENOENT' };
  }
  const parsed = storedRunMeta.safeParse(raw);
  if (!parsed.success) return { meta: EMPTY_RUN_META, damaged: true };
  const { name, note, tags } = parsed.data;
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
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly runsRoot: string,
    /** The clock for damaged files' names (tests fix it). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Sets the fields given (trimmed, tags unique) and keeps the others; NOT_FOUND for no such run. */
  update({ runId, ...change }: RequestArgs<'runs:update'>): Promise<Result<RunMeta>> {
    return this.queued(runId, async () => {
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
      if (saved.damaged) await this.moveAside(directory);
      await writeFileAtomic(
        path.join(directory, RUN_META_FILE),
        JSON.stringify({ version: 1, ...meta }, null, 1),
      );
      return ok(meta);
    });
  }

  /** Keeps a damaged file under a name of its own (readers match the exact name, so it is not read). */
  private async moveAside(runDirectory: string): Promise<void> {
    const stamp = this.now().toISOString().replaceAll(':', '-');
    let target = path.join(runDirectory, `run-meta.damaged-${stamp}.json`);
    // Never over an earlier damaged file (two within one millisecond, or a clock set back).
    for (let n = 2; await exists(target); n++) {
      target = path.join(runDirectory, `run-meta.damaged-${stamp}-${n}.json`);
    }
    await whileWriting(() => rename(path.join(runDirectory, RUN_META_FILE), target)).catch(
      (error: unknown) => {
        // Gone meanwhile: nothing left to keep.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      },
    );
  }

  /** Runs `work` after every earlier update of the run has settled. */
  private queued<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(runId, next);
    void next
      .finally(() => {
        if (this.queues.get(runId) === next) this.queues.delete(runId);
      })
      .catch(() => undefined);
    return next;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
