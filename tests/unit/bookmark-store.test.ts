/**
 * `runs/<id>/bookmarks.json` on real files: bookmarks saved, listed oldest first, replaced by name
 * (keeping their id), deleted; indices checked against the run's points; a damaged file moved
 * aside and kept, never overwritten; two saves at once both kept; the per-run limit; and
 * the bookmark requests through the engine host.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../../src/main/engine/engine-host';
import { BOOKMARKS_FILE, BookmarkStore, readBookmarks } from '../../src/main/engine/latent/bookmark-store';
import { LayoutStore, type StoredPoints } from '../../src/main/engine/latent/layout-store';
import type { EngineCommandName, EngineCommands, FromEngine } from '../../src/main/engine/protocol';
import { BOOKMARK_LIMITS, type MapBookmark, type NewMapBookmark } from '../../src/shared/map-bookmarks';
import type { Result } from '../../src/shared/result';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import { permissionsEnforced, removeTempDir } from '../support/image-fixtures';
import { unwrap } from '../support/result-value';
import { createMnistRun, tempFolderWithRun } from '../support/mnist-run';

const POINTS = 50;

let dir: string;
let runsRoot: string;
let runId: string;
let runDirectory: string;
let store: BookmarkStore;
let clock: number;

function pointsOf(count: number): StoredPoints {
  const zeros = Array.from({ length: count }, () => 0);
  return {
    count,
    latentDim: 2,
    datasetId: 'mnist',
    datasetIndices: Array.from({ length: count }, (_, i) => i),
    labels: zeros,
    classNames: ['0'],
    names: Array.from({ length: count }, (_, i) => `${i}.png`),
    heldOut: zeros,
    metadata: [],
  };
}

beforeEach(async () => {
  ({ dir, runsRoot, runId, runDirectory } = await tempFolderWithRun('bookmarks'));
  await new LayoutStore(runDirectory).writePoints(pointsOf(POINTS));
  clock = Date.UTC(2026, 0, 1);
  store = new BookmarkStore({ runsRoot, now: () => new Date((clock += 1000)) });
});
afterEach(() => removeTempDir(dir));

function bookmark(name: string, extra: Partial<NewMapBookmark> = {}): NewMapBookmark {
  return {
    name,
    epoch: 2,
    method: 'umap',
    view: { x: 10.5, y: -3, k: 1.75 },
    colourBy: 'label',
    pinned: 4,
    selection: [1, 2, 3],
    hidden: [0],
    ...extra,
  };
}

const list = async () => unwrap(await store.list({ runId }));
const save = (b: NewMapBookmark) => store.save({ runId, bookmark: b });
const file = () => path.join(runDirectory, BOOKMARKS_FILE);
const asideFiles = async () =>
  (await readdir(runDirectory)).filter((n) => n.startsWith('bookmarks.damaged-'));

describe('bookmark store', () => {
  it('lists no bookmarks for a run that has none', async () => {
    expect(await list()).toEqual([]);
  });

  it('saves bookmarks with an id and a time, and lists them oldest first', async () => {
    const first = unwrap(await save(bookmark('Sevens')));
    const second = unwrap(await save(bookmark('Ones', { pinned: null, selection: [] })));
    expect(first).toEqual({
      ...bookmark('Sevens'),
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: '2026-01-01T00:00:01.000Z',
    });
    expect(second.id).not.toBe(first.id);
    expect(await list()).toEqual([first, second]);
    // What is on disk reads back exactly as the list answers it, through a fresh store.
    const fresh = new BookmarkStore({ runsRoot });
    expect(unwrap(await fresh.list({ runId }))).toEqual([first, second]);
  });

  it('replaces a bookmark of the same name, ignoring case, keeping its id, time and place', async () => {
    const old = unwrap(await save(bookmark('Cluster A')));
    const other = unwrap(await save(bookmark('Cluster B')));
    const replaced = unwrap(await save(bookmark('  cluster a ', { epoch: 5, selection: [9] })));
    expect(replaced).toEqual({
      ...bookmark('cluster a', { epoch: 5, selection: [9] }),
      id: old.id,
      createdAt: old.createdAt,
    });
    expect(await list()).toEqual([replaced, other]);
  });

  it('deletes by id, and says when there was nothing to delete', async () => {
    const a = unwrap(await save(bookmark('A')));
    const b = unwrap(await save(bookmark('B')));
    expect(await store.delete({ runId, id: a.id })).toEqual({ ok: true, value: { deleted: true } });
    expect(await store.delete({ runId, id: a.id })).toEqual({ ok: true, value: { deleted: false } });
    expect(await list()).toEqual([b]);
  });

  it('refuses indices past the run’s points, in plain words, and writes nothing', async () => {
    for (const refused of [
      bookmark('Far', { pinned: POINTS }),
      bookmark('Far', { selection: [0, POINTS + 3] }),
    ]) {
      const result = await save(refused);
      expect(result).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
      if (!result.ok) expect(result.message).toMatch(/^The map has 50 points, so it has no point 5[03]\.$/);
    }
    expect(await readdir(runDirectory)).not.toContain(BOOKMARKS_FILE);
    expect(
      unwrap(await save(bookmark('Edge', { pinned: POINTS - 1, selection: [POINTS - 1] }))),
    ).toBeTruthy();
  });

  it('answers NOT_FOUND for a run that does not exist, or has no map to bookmark', async () => {
    const missing = '20990101-000000-none';
    for (const result of [
      await store.list({ runId: missing }),
      await store.save({ runId: missing, bookmark: bookmark('A') }),
      await store.delete({ runId: missing, id: 'abc' }),
    ]) {
      expect(result).toEqual({
        ok: false,
        code: 'NOT_FOUND',
        message: 'That run no longer exists or cannot be read.',
      });
    }
    const bare = await createMnistRun(runsRoot, DEFAULT_TRAIN_SETTINGS);
    expect(await store.save({ runId: bare.runId, bookmark: bookmark('A') })).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'That run has no latent map yet.',
    });
  });

  it('lists indices past a map made again with fewer points without them, and keeps the file as it is', async () => {
    const saved = unwrap(await save(bookmark('Wide', { pinned: 40, selection: [5, 30, 45] })));
    await new LayoutStore(runDirectory).writePoints(pointsOf(20));
    expect(await list()).toEqual([{ ...saved, pinned: null, selection: [5] }]);
    expect((await readBookmarks(runDirectory)).bookmarks).toEqual([saved]);
  });

  it('moves a damaged file aside and keeps it, listing none, and still saves', async () => {
    const garbage = '{"version": 1, "bookmarks": [ {"name": "half a bookm';
    await writeFile(file(), garbage);
    expect(await list()).toEqual([]);
    expect(await asideFiles()).toEqual([]); // Listing never moves or writes anything.

    const saved = unwrap(await save(bookmark('After')));
    expect(await list()).toEqual([saved]);
    const aside = await asideFiles();
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^bookmarks\.damaged-2026-01-01T00-00-\d\d\.000Z\.json$/);
    expect(await readFile(path.join(runDirectory, aside[0]!), 'utf8')).toBe(garbage);

    // A second damaged file gets a name of its own, even at the same instant.
    await writeFile(file(), 'not json either');
    clock += 60_000;
    const frozen = new BookmarkStore({ runsRoot, now: () => new Date(clock) });
    await writeFile(
      path.join(runDirectory, `bookmarks.damaged-${new Date(clock).toISOString().replaceAll(':', '-')}.json`),
      'earlier',
    );
    unwrap(await frozen.save({ runId, bookmark: bookmark('Again') }));
    const texts = await Promise.all(
      (await asideFiles()).map((n) => readFile(path.join(runDirectory, n), 'utf8')),
    );
    expect(texts.sort()).toEqual(['earlier', garbage, 'not json either'].sort());
  });

  it('lists what still reads of a file with one damaged entry, and keeps the whole file aside on the next write', async () => {
    const good = unwrap(await save(bookmark('Good')));
    const text = JSON.stringify({
      version: 1,
      bookmarks: [good, { ...good, id: 'x', name: 'Bad', view: { x: 0, y: 0, k: -1 } }],
    });
    await writeFile(file(), text);
    expect(await list()).toEqual([good]);
    expect(unwrap(await store.delete({ runId, id: good.id }))).toEqual({ deleted: true });
    expect(await list()).toEqual([]);
    const aside = await asideFiles();
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(runDirectory, aside[0]!), 'utf8')).toBe(text);
  });

  it.runIf(permissionsEnforced)(
    'treats an unreadable file as damaged: none listed, moved aside by a save',
    async () => {
      unwrap(await save(bookmark('Locked')));
      await chmod(file(), 0o000);
      expect(await list()).toEqual([]);
      unwrap(await save(bookmark('New')));
      expect((await list()).map((b) => b.name)).toEqual(['New']);
      const aside = await asideFiles();
      expect(aside).toHaveLength(1);
      await chmod(path.join(runDirectory, aside[0]!), 0o644);
      expect(JSON.parse(await readFile(path.join(runDirectory, aside[0]!), 'utf8')).bookmarks[0].name).toBe(
        'Locked',
      );
    },
  );

  it('treats a bookmarks.json that is not a file as damaged, and moves it aside whole', async () => {
    await mkdir(file());
    await writeFile(path.join(file(), 'inside.txt'), 'kept');
    expect(await list()).toEqual([]);
    unwrap(await save(bookmark('New')));
    expect((await list()).map((b) => b.name)).toEqual(['New']);
    const [aside] = await asideFiles();
    expect(await readFile(path.join(runDirectory, aside!, 'inside.txt'), 'utf8')).toBe('kept');
  });

  it('keeps every one of many saves and deletes made at once', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `View ${i}`);
    const results = await Promise.all(names.map((name) => save(bookmark(name))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await list()).map((b) => b.name).sort()).toEqual([...names].sort());

    // One after another in the order asked: the replaced "View 1" keeps its id, so the second
    // delete removes it.
    const [first, second] = await list();
    const answers = await Promise.all([
      store.delete({ runId, id: first!.id }),
      save(bookmark(second!.name, { epoch: 9 })),
      store.delete({ runId, id: second!.id }),
      save(bookmark('Late')),
    ]);
    expect(answers.every((r) => r.ok)).toBe(true);
    const after = (await list()).map((b) => b.name);
    expect(after.sort()).toEqual(
      [...names.filter((n) => n !== first!.name && n !== second!.name), 'Late'].sort(),
    );
  });

  it(`refuses a new name past ${BOOKMARK_LIMITS.perRun} bookmarks, but still replaces one`, async () => {
    const many: MapBookmark[] = Array.from({ length: BOOKMARK_LIMITS.perRun }, (_, i) => ({
      ...bookmark(`B${i}`),
      id: `id-${i}`,
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    }));
    await writeFile(file(), JSON.stringify({ version: 1, bookmarks: many }));
    const refused = await save(bookmark('One too many'));
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    if (!refused.ok) expect(refused.message).toContain(`already has ${BOOKMARK_LIMITS.perRun} bookmarks`);
    const replaced = unwrap(await save(bookmark('b7', { epoch: 8 })));
    expect(replaced.id).toBe('id-7');
    const listed = await list();
    expect(listed).toHaveLength(BOOKMARK_LIMITS.perRun);
    expect(listed[7]).toEqual(replaced);
    expect(await asideFiles()).toEqual([]);
  });
});

describe('bookmark requests through the engine host', () => {
  it('list, save and delete as the store does, and refuse an unknown run', async () => {
    const replies: FromEngine[] = [];
    const host = new EngineHost((message) => replies.push(message), {
      cacheRoot: path.join(dir, 'cache'),
      runsRoot,
    });
    let id = 0;
    const ask = async <K extends EngineCommandName>(name: K, args: EngineCommands[K]['args']) => {
      await host.receive({ type: 'command', id: ++id, name, args });
      const reply = replies.find((m) => m.type === 'reply' && m.id === id);
      return reply?.type === 'reply' ? reply.result : undefined;
    };
    const saved = unwrap(
      (await ask('latent:save-bookmark', { runId, bookmark: bookmark('Host') })) as Result<MapBookmark>,
    );
    expect(saved).toMatchObject({ name: 'Host', pinned: 4 });
    expect(await ask('latent:list-bookmarks', { runId })).toEqual({ ok: true, value: [saved] });
    expect(await ask('latent:delete-bookmark', { runId, id: saved.id })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    expect(await ask('latent:list-bookmarks', { runId: '20990101-000000-none' })).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'That run no longer exists or cannot be read.',
    });
  });
});
