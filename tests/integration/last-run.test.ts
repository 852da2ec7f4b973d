/**
 * The run opened or trained last, through a real core and engine: recorded when a run trains and
 * when one is opened, kept across a restart of the host, and never in the way of opening a run
 * when the settings file cannot be written.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { startTestCore } from '../support/engine-core';
import { copyRun } from '../support/tiny-run';
import { coreWithTinyRunForFile } from '../support/core-for-file';

let core: AppCore;
let runId: string;

coreWithTinyRunForFile('cpu', (started) => ({ core, runId } = started));

describe('app:get-last-run', () => {
  it('names the run trained last, and the one opened since, also after a restart', async () => {
    expect(await core.dispatch('app:get-last-run', {})).toEqual({ ok: true, value: { runId } });
    const copy = await copyRun(path.join(core.dataDirectory, 'runs'), runId);
    expect((await core.dispatch('runs:open', { runId: copy })).ok).toBe(true);
    expect(await core.dispatch('app:get-last-run', {})).toEqual({ ok: true, value: { runId: copy } });

    const restarted = await startTestCore('cpu', [], core.dataDirectory);
    try {
      expect(await restarted.dispatch('app:get-last-run', {})).toEqual({ ok: true, value: { runId: copy } });
    } finally {
      restarted.dispose();
    }
  }, 60_000);

  it('a run that fails to open is not remembered', async () => {
    const before = await core.dispatch('app:get-last-run', {});
    expect((await core.dispatch('runs:open', { runId: '20200101-000000-gone' })).ok).toBe(false);
    expect(await core.dispatch('app:get-last-run', {})).toEqual(before);
  });

  it('opens a run even when the settings file cannot be written', async () => {
    const settingsFile = path.join(core.dataDirectory, 'settings.json');
    await rm(settingsFile, { force: true });
    await mkdir(path.join(settingsFile, 'in-the-way'), { recursive: true });
    try {
      expect((await core.dispatch('runs:open', { runId })).ok).toBe(true);
      expect(await core.dispatch('app:get-last-run', {})).toEqual({ ok: true, value: { runId: null } });
    } finally {
      await rm(settingsFile, { recursive: true });
    }
  }, 60_000);
});
