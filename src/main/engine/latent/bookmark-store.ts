/**
 * A run's map bookmarks, `runs/<runId>/bookmarks.json`: named looks at its latent map, oldest
 * first, at most BOOKMARK_LIMITS.perRun. Written atomically and read back with zod. Nothing the user
 * made is lost: a file that cannot be read whole (not JSON, wrong shape, a damaged entry, unreadable)
 * lists what of it still reads, and before anything is written over it, it is moved aside to
 * `bookmarks.damaged-<time>.json`, where a person can still look at it. Saves and deletes of one run
 * run one after another, so two at once never read the same old list.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { RequestArgs } from '../../../shared/contract';
import { BOOKMARK_LIMITS, type MapBookmark } from '../../../shared/map-bookmarks';
import { fail, ok, type Result } from '../../../shared/result';
import { storedMapBookmark } from '../../../shared/schemas';
import { writeFileAtomic } from '../fs/atomic-write';
import { setAsideDamaged } from '../fs/damaged-file';
import { readKeptJsonFile } from '../fs/json-file';
import { KeyedQueue } from '../fs/keyed-queue';
import { RunConfigError, RunStore } from '../train/run-store';
import { LayoutStore } from './layout-store';

export const BOOKMARKS_FILE = 'bookmarks.json';

/** The entries stay unknown here so that one bad entry costs only itself. */
const fileSchema = z.object({ version: z.literal(1), bookmarks: z.array(z.unknown()) });

interface SavedBookmarks {
  /** The entries that read back, oldest first. */
  bookmarks: MapBookmark[];
  /** The file exists but did not read back whole: it is moved aside before the next write. */
  damaged: boolean;
}

/** What the run folder keeps; never throws for a missing or damaged file. */
export async function readBookmarks(runDirectory: string): Promise<SavedBookmarks> {
  const file = await readKeptJsonFile(path.join(runDirectory, BOOKMARKS_FILE), fileSchema);
  if (file.data === null) return { bookmarks: [], damaged: file.damaged };
  const bookmarks: MapBookmark[] = [];
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const entry of file.data.bookmarks) {
    const read = storedMapBookmark.safeParse(entry);
    if (!read.success) continue;
    const key = nameKey(read.data.name);
    // A hand-edited file may repeat a name or an id: the first one stands.
    if (names.has(key) || ids.has(read.data.id)) continue;
    names.add(key);
    ids.add(read.data.id);
    bookmarks.push(read.data);
  }
  const damaged =
    bookmarks.length !== file.data.bookmarks.length || bookmarks.length > BOOKMARK_LIMITS.perRun;
  return { bookmarks: bookmarks.slice(0, BOOKMARK_LIMITS.perRun), damaged };
}

/** Names are one bookmark whatever their case ("Cluster A" replaces "cluster a"). */
function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** What the bookmark store needs from the engine host. */
export interface BookmarkDependencies {
  runsRoot: string;
  /** The run's latent map files, whose points bound every index (default: the run folder's own). */
  layouts?(runId: string): LayoutStore;
  /** The clock for new bookmarks and damaged files' names (tests fix it). */
  now?(): Date;
}

export class BookmarkStore {
  /** Per run, the save or delete last queued, so the next one starts once it has settled. */
  /** Saves and deletes of one run, one at a time. */
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: BookmarkDependencies) {}

  /**
   * The run's bookmarks, oldest first. Indices past the run's points (its map was made again with
   * other points since) are left out of what is answered, not out of the file.
   */
  async list({ runId }: RequestArgs<'latent:list-bookmarks'>): Promise<Result<MapBookmark[]>> {
    const run = await this.openRun(runId);
    if (!run.ok) return run;
    const { bookmarks } = await readBookmarks(run.value);
    const count = (await this.layouts(runId).readPoints())?.count ?? null;
    if (count === null) return ok(bookmarks);
    return ok(
      bookmarks.map((bookmark) => ({
        ...bookmark,
        pinned: bookmark.pinned !== null && bookmark.pinned < count ? bookmark.pinned : null,
        selection: bookmark.selection.filter((index) => index < count),
      })),
    );
  }

  /**
   * Saves `bookmark`: one of the same name (ignoring case) is replaced in place, keeping its id and
   * creation time; a new name past BOOKMARK_LIMITS.perRun is refused.
   */
  save({ runId, bookmark }: RequestArgs<'latent:save-bookmark'>): Promise<Result<MapBookmark>> {
    return this.queue.run(runId, async () => {
      const run = await this.openRun(runId);
      if (!run.ok) return run;
      const points = await this.layouts(runId).readPoints();
      if (!points) return fail('NOT_FOUND', 'That run has no latent map yet.');
      const outside = [...(bookmark.pinned === null ? [] : [bookmark.pinned]), ...bookmark.selection].find(
        (index) => index >= points.count,
      );
      if (outside !== undefined) {
        return fail(
          'INVALID_PAYLOAD',
          `The map has ${points.count.toLocaleString('en')} points, so it has no point ${outside}.`,
        );
      }
      const name = bookmark.name.trim();
      const saved = await readBookmarks(run.value);
      const at = saved.bookmarks.findIndex((b) => nameKey(b.name) === nameKey(name));
      const bookmarks = [...saved.bookmarks];
      let kept: MapBookmark;
      if (at >= 0) {
        const { id, createdAt } = bookmarks[at]!;
        kept = { ...bookmark, name, id, createdAt };
        bookmarks[at] = kept;
      } else {
        if (bookmarks.length >= BOOKMARK_LIMITS.perRun) {
          return fail(
            'INVALID_PAYLOAD',
            `This run already has ${BOOKMARK_LIMITS.perRun} bookmarks, the most it keeps: ` +
              'delete one, or save under the name of one to replace it.',
          );
        }
        kept = { ...bookmark, name, id: randomUUID(), createdAt: this.now().toISOString() };
        bookmarks.push(kept);
      }
      await this.write(run.value, saved.damaged, bookmarks);
      return ok(kept);
    });
  }

  /** Deletes a bookmark by id; `deleted` is false when the run has none with that id. */
  delete({ runId, id }: RequestArgs<'latent:delete-bookmark'>): Promise<Result<{ deleted: boolean }>> {
    return this.queue.run(runId, async () => {
      const run = await this.openRun(runId);
      if (!run.ok) return run;
      const saved = await readBookmarks(run.value);
      const bookmarks = saved.bookmarks.filter((b) => b.id !== id);
      if (bookmarks.length === saved.bookmarks.length) return ok({ deleted: false });
      await this.write(run.value, saved.damaged, bookmarks);
      return ok({ deleted: true });
    });
  }

  private layouts(runId: string): LayoutStore {
    return this.deps.layouts?.(runId) ?? new LayoutStore(RunStore.open(this.deps.runsRoot, runId).directory);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The run's folder, or NOT_FOUND in plain words when there is no such run. */
  private async openRun(runId: string): Promise<Result<string>> {
    const run = RunStore.open(this.deps.runsRoot, runId);
    try {
      await run.readConfig();
      return ok(run.directory);
    } catch (error) {
      if (!(error instanceof RunConfigError)) throw error;
      return fail(
        'NOT_FOUND',
        error.missing ? 'That run no longer exists or cannot be read.' : error.message,
      );
    }
  }

  private async write(runDirectory: string, damaged: boolean, bookmarks: MapBookmark[]): Promise<void> {
    if (damaged) await setAsideDamaged(runDirectory, BOOKMARKS_FILE, this.now());
    await writeFileAtomic(
      path.join(runDirectory, BOOKMARKS_FILE),
      JSON.stringify({ version: 1, bookmarks }, null, 1),
    );
  }
}
