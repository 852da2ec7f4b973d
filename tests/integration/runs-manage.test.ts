/**
 * Managing runs through the real app core and engine process: `runs:update` names, notes and tags
 * a trained run (listed and opened with them); `runs:delete` is refused while the run trains, sends
 * a run to the desktop's system trash when there is one (here a real folder move standing in for
 * the system's trash), falls back to `runs/.trash` when that trash refuses, and lets go of an
 * opened run so the engine carries on with the others.
 */
import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/main/core/app-core';
import { forkLauncher } from '../../src/main/core/fork-launcher';
import { ENGINE_SOURCE, engineReady, jobReaches, nextEvent } from '../support/engine-core';
import { tempFolder } from '../support/temp-folder';
import { listedRuns, TINY_SETTINGS, trainTinyRun } from '../support/tiny-run';

const dir = tempFolder('runs-manage');
let systemTrash: string;
let trashRefuses = false;
let core: AppCore;
let runsRoot: string;

beforeAll(async () => {
  systemTrash = path.join(dir(), 'system trash');
  await mkdir(systemTrash);
  core = await createAppCore({
    launcher: forkLauncher({ entry: ENGINE_SOURCE, execArgv: ['--import', 'tsx'] }),
    dataDirectory: path.join(dir(), 'data'),
    info: { name: 'Latent Studio', version: 'test', host: 'desktop', platform: process.platform },
    backendOverride: 'wasm',
    trashItem: async (folder) => {
      if (trashRefuses) throw new Error('no trash on this volume');
      await rename(folder, path.join(systemTrash, path.basename(folder)));
    },
  });
  await engineReady(core);
  runsRoot = path.join(core.dataDirectory, 'runs');
}, 120_000);

afterAll(() => core?.dispose());

describe('runs:update and runs:delete', () => {
  it('names, notes and tags a run, and the list and the opened run show them', async () => {
    const runId = await trainTinyRun(core);
    const updated = await core.dispatch('runs:update', {
      runId,
      name: '  Tiny baseline  ',
      note: 'one epoch\nfor the test',
      tags: ['tiny', 'Tiny', 'wasm'],
    });
    expect(updated).toMatchObject({
      ok: true,
      value: { runId, name: 'Tiny baseline', note: 'one epoch\nfor the test', tags: ['tiny', 'wasm'] },
    });
    expect((await listedRuns(core)).find((r) => r.runId === runId)).toMatchObject({ name: 'Tiny baseline' });
    expect(await core.dispatch('runs:open', { runId })).toMatchObject({
      ok: true,
      value: { summary: { name: 'Tiny baseline', tags: ['tiny', 'wasm'] } },
    });
    // Back to the default label, the note and tags kept.
    expect(await core.dispatch('runs:update', { runId, name: null })).toMatchObject({
      ok: true,
      value: { name: null, tags: ['tiny', 'wasm'] },
    });
    expect(await core.dispatch('runs:update', { runId, name: 'x'.repeat(81) })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
    expect(await core.dispatch('runs:update', { runId: '20200101-000000-none', note: 'n' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('refuses to delete the run that trains, then deletes it to the system trash once stopped', async () => {
    const running = nextEvent(
      core,
      'train:did-change-state',
      (s) => s.state === 'running' && s.runId !== null,
    );
    expect(await core.dispatch('train:start', { ...TINY_SETTINGS, epochs: 400 })).toMatchObject({ ok: true });
    const { jobId, runId } = await running;
    expect(await core.dispatch('runs:delete', { runId: runId! })).toMatchObject({ ok: false, code: 'BUSY' });
    expect(await readdir(runsRoot)).toContain(runId);
    const stopped = jobReaches(core, jobId, 'cancelled');
    await core.dispatch('job:cancel', { jobId });
    await stopped;
    expect(await core.dispatch('runs:delete', { runId: runId! })).toEqual({
      ok: true,
      value: { runId, trashed: 'system' },
    });
    expect(await readdir(systemTrash)).toContain(runId);
    expect((await listedRuns(core)).map((r) => r.runId)).not.toContain(runId);
  });

  it('falls back to runs/.trash when the system trash refuses, and lets go of the opened run', async () => {
    const runId = (await listedRuns(core))[0]!.runId;
    expect(await core.dispatch('runs:open', { runId })).toMatchObject({ ok: true });
    trashRefuses = true;
    expect(await core.dispatch('runs:delete', { runId })).toEqual({
      ok: true,
      value: { runId, trashed: 'host-trash' },
    });
    expect(await readdir(path.join(runsRoot, '.trash'))).toEqual([runId]);
    expect(await listedRuns(core)).toEqual([]);
    // Gone for every request, not served from a model still in memory.
    expect(await core.dispatch('runs:open', { runId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await core.dispatch('gallery:sample', { runId, count: 4, temperature: 1, seed: 1 })).toMatchObject(
      {
        ok: false,
      },
    );
    expect(await core.dispatch('runs:delete', { runId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    // The engine carries on: a new run trains and lists.
    const next = await trainTinyRun(core);
    expect((await listedRuns(core)).map((r) => r.runId)).toEqual([next]);
  });
});
