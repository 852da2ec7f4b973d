/**
 * `runs/<id>/run-meta.json` on real files: a run's name, note and tags saved and listed with the
 * run; a damaged file ignored by the listing and moved aside (kept) before the next write; the
 * request's limits; two updates at once both kept; `runs:delete` moving the folder into
 * `runs/.trash` (never listed) and refusing names that are no run. Also the one data-directory rule.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDirectory, runsDirectoryOf } from '../../src/main/engine/data-directory';
import { EngineHost } from '../../src/main/engine/engine-host';
import type { EngineCommandName, EngineCommands, FromEngine } from '../../src/main/engine/protocol';
import { readRunMeta, RUN_META_FILE, RunMetaStore } from '../../src/main/engine/train/run-meta-store';
import { listRuns } from '../../src/main/engine/train/run-store';
import type { Result } from '../../src/shared/result';
import { RUN_META_LIMITS } from '../../src/shared/run-meta';
import { requestSchemas } from '../../src/shared/schemas';
import { removeTempDir } from '../support/image-fixtures';
import { unwrap } from '../support/result-value';
import { tempFolderWithRun } from '../support/mnist-run';

let dir: string;
let runsRoot: string;
let runId: string;
let runDirectory: string;
let store: RunMetaStore;

beforeEach(async () => {
  ({ dir, runsRoot, runId, runDirectory } = await tempFolderWithRun('run-meta'));
  store = new RunMetaStore(runsRoot, () => new Date(Date.UTC(2026, 0, 1)));
});
afterEach(() => removeTempDir(dir));

async function listed() {
  const runs = await listRuns(runsRoot, null);
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

describe('run-meta.json', () => {
  it('lists a run without one as unnamed, with no note and no tags', async () => {
    expect(await listed()).toMatchObject({ runId, name: null, note: '', tags: [] });
  });

  it('saves the fields given, keeps the others, and lists them with the run', async () => {
    unwrap(await store.update({ runId, name: 'Baseline β=1' }));
    unwrap(await store.update({ runId, note: 'first try\nlr too high?', tags: ['mnist', 'MNIST', 'beta'] }));
    // Tags equal ignoring case are one: the first stands.
    expect(await listed()).toMatchObject({
      name: 'Baseline β=1',
      note: 'first try\nlr too high?',
      tags: ['mnist', 'beta'],
    });
    unwrap(await store.update({ runId, name: null }));
    expect(await listed()).toMatchObject({ name: null, note: 'first try\nlr too high?' });
    const file = JSON.parse(await readFile(path.join(runDirectory, RUN_META_FILE), 'utf8'));
    expect(file).toEqual({
      version: 1,
      name: null,
      note: 'first try\nlr too high?',
      tags: ['mnist', 'beta'],
    });
    // Nothing else in the folder changed: no temporary files are left.
    expect((await readdir(runDirectory)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores a damaged file when listing, and keeps it aside before the next write', async () => {
    for (const damaged of ['{ not json', JSON.stringify({ version: 1, name: 7, note: '', tags: [] })]) {
      await writeFile(path.join(runDirectory, RUN_META_FILE), damaged);
      expect(await readRunMeta(runDirectory)).toMatchObject({ damaged: true, meta: { name: null } });
      expect(await listed()).toMatchObject({ runId, name: null, tags: [], state: 'interrupted' });
    }
    unwrap(await store.update({ runId, tags: ['kept'] }));
    const names = await readdir(runDirectory);
    const aside = names.filter((f) => f.startsWith('run-meta.damaged-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(runDirectory, aside[0]!), 'utf8')).toContain('"name":7');
    expect(await listed()).toMatchObject({ tags: ['kept'] });
  });

  it('keeps both of two updates made at once', async () => {
    await Promise.all([store.update({ runId, name: 'A' }), store.update({ runId, note: 'B' })]);
    expect(await listed()).toMatchObject({ name: 'A', note: 'B' });
  });

  it('answers NOT_FOUND for a run that is gone, and writes nothing for it', async () => {
    const gone = '20260101-000000-zzzz';
    expect(await store.update({ runId: gone, name: 'x' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await readdir(runsRoot)).toEqual([runId]);
  });

  it('refuses names, notes and tags past their limits or with control characters', () => {
    const schema = requestSchemas['runs:update'];
    const ok = (args: object) => schema.safeParse({ runId, ...args }).success;
    expect(ok({ name: 'x'.repeat(RUN_META_LIMITS.name) })).toBe(true);
    expect(ok({ name: 'x'.repeat(RUN_META_LIMITS.name + 1) })).toBe(false);
    expect(ok({ name: '   ' })).toBe(false);
    expect(ok({ name: 'a\u0007b' })).toBe(false);
    expect(ok({ name: 'two\nlines' })).toBe(false);
    expect(ok({ note: 'two\nlines\tand a tab' })).toBe(true);
    expect(ok({ note: 'bell\u0007' })).toBe(false);
    expect(ok({ note: 'x'.repeat(RUN_META_LIMITS.note + 1) })).toBe(false);
    expect(ok({ tags: Array.from({ length: RUN_META_LIMITS.tags }, (_, i) => `t${i}`) })).toBe(true);
    expect(ok({ tags: Array.from({ length: RUN_META_LIMITS.tags + 1 }, (_, i) => `t${i}`) })).toBe(false);
    expect(ok({ tags: ['x'.repeat(RUN_META_LIMITS.tag + 1)] })).toBe(false);
    expect(ok({ tags: [''] })).toBe(false);
    // Nothing to change is a malformed request, not a write.
    expect(ok({})).toBe(false);
    expect(schema.parse({ runId, name: '  padded  ' })).toMatchObject({ name: 'padded' });
  });
});

describe('runs:update and runs:delete in the engine', () => {
  async function host() {
    const replies: FromEngine[] = [];
    const engine = new EngineHost((message) => replies.push(message), {
      cacheRoot: path.join(dir, 'cache'),
      runsRoot,
    });
    let id = 0;
    return async <K extends EngineCommandName>(name: K, args: EngineCommands[K]['args']) => {
      await engine.receive({ type: 'command', id: ++id, name, args });
      const reply = replies.find((m) => m.type === 'reply' && m.id === id);
      if (reply?.type !== 'reply') throw new Error('no reply');
      return reply.result as Result<EngineCommands[K]['value']>;
    };
  }

  it('answers the updated run as listed', async () => {
    const ask = await host();
    expect(unwrap(await ask('runs:update', { runId, name: 'Named', tags: ['a'] }))).toMatchObject({
      runId,
      name: 'Named',
      tags: ['a'],
      datasetName: 'MNIST',
    });
  });

  it('moves a deleted run into runs/.trash, which is never listed, and never over an earlier one', async () => {
    const ask = await host();
    unwrap(await ask('runs:update', { runId, note: 'keep me' }));
    unwrap(await ask('runs:delete', { runId, mode: 'host-trash' }));
    expect(await listRuns(runsRoot, null)).toEqual([]);
    expect(await readdir(path.join(runsRoot, '.trash'))).toEqual([runId]);
    expect(await readRunMeta(path.join(runsRoot, '.trash', runId))).toMatchObject({
      meta: { note: 'keep me' },
    });
    // The same id again (moved back by hand, deleted again): the first copy stays.
    await mkdir(path.join(runsRoot, runId));
    unwrap(await ask('runs:delete', { runId, mode: 'host-trash' }));
    expect((await readdir(path.join(runsRoot, '.trash'))).sort()).toEqual([runId, `${runId}-2`]);
    expect(await ask('runs:delete', { runId, mode: 'host-trash' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('release answers the folder and leaves it in place for the system trash', async () => {
    const ask = await host();
    expect(unwrap(await ask('runs:delete', { runId, mode: 'release' }))).toEqual({ directory: runDirectory });
    expect(await readdir(runsRoot)).toEqual([runId]);
  });
});

describe('the data directory the browser host and the command line share', () => {
  it('is LATENT_STUDIO_DATA_DIR when set, else ~/.latent-studio, always absolute', () => {
    expect(defaultDataDirectory({}, '/home/ada')).toBe(path.resolve('/home/ada/.latent-studio'));
    expect(defaultDataDirectory({ LATENT_STUDIO_DATA_DIR: '  ' }, '/home/ada')).toBe(
      path.resolve('/home/ada/.latent-studio'),
    );
    expect(defaultDataDirectory({ LATENT_STUDIO_DATA_DIR: 'rel/data' }, '/home/ada')).toBe(
      path.resolve('rel/data'),
    );
    expect(defaultDataDirectory({}, os.homedir())).toBe(path.join(os.homedir(), '.latent-studio'));
    expect(runsDirectoryOf('/data')).toBe(path.join('/data', 'runs'));
  });
});
