/**
 * `runs:get-histories` through the app core and a real engine process, on real run folders: a
 * tiny run trained for one epoch and copies of it, one with damaged metrics lines, one whose
 * checkpoint is cut short (comparing loads no model, so it still compares), one whose config is
 * unusable. Unknown ids are refused with NOT_FOUND naming them; malformed requests never reach
 * the engine.
 */
import { appendFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { RunHistory } from '../../src/shared/run-types';
import { copyRun } from '../support/tiny-run';
import { coreWithTinyRunForFile } from '../support/core-for-file';

let core: AppCore;
let runsRoot: string;
let runId: string;

coreWithTinyRunForFile('wasm', (started) => ({ core, runsRoot, runId } = started));

async function histories(runIds: string[]): Promise<RunHistory[]> {
  const reply = await core.dispatch('runs:get-histories', { runIds });
  if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
  // The core's dispatch is untyped (it takes any name); the value is this request's.
  return (reply.value as { runs: RunHistory[] }).runs;
}

describe('runs:get-histories', () => {
  it('answers every run asked for, in that order, with its summary and every epoch', async () => {
    const copyId = await copyRun(runsRoot, runId);
    const runs = await histories([copyId, runId]);
    expect(runs.map((r) => r.summary.runId)).toEqual([copyId, runId]);
    const [, original] = runs;
    expect(original!.summary).toMatchObject({ runId, state: 'completed', epochsDone: 1 });
    expect(original!.metrics).toHaveLength(1);
    expect(original!.metrics[0]).toMatchObject({ epoch: 1 });
    expect(original!.metrics[0]!.wallSeconds).toBeGreaterThan(0);
    expect(original!.summary.lastMetrics).toEqual(original!.metrics[0]);
  });

  it('skips damaged metrics lines and counts them, keeping the good ones', async () => {
    const copyId = await copyRun(runsRoot, runId);
    await appendFile(path.join(runsRoot, copyId, 'metrics.jsonl'), 'null\n{"epoch": "two"}\n{not json\n');
    const [run] = await histories([copyId]);
    expect(run!.metrics.map((m) => m.epoch)).toEqual([1]);
    expect(run!.summary.skippedMetricLines).toBe(3);
  });

  it('reads a run whose checkpoint is cut short: no model is loaded to compare', async () => {
    const copyId = await copyRun(runsRoot, runId);
    const checkpoints = path.join(runsRoot, copyId, 'checkpoints');
    for (const epoch of await readdir(checkpoints)) {
      for (const file of await readdir(path.join(checkpoints, epoch))) {
        await truncate(path.join(checkpoints, epoch, file), 3);
      }
    }
    const [run] = await histories([copyId]);
    expect(run!.metrics).toHaveLength(1);
    expect(await core.dispatch('runs:open', { runId: copyId })).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_CORRUPT',
    });
  });

  it('lists a run whose config is unusable as unreadable, its metrics kept', async () => {
    const copyId = await copyRun(runsRoot, runId);
    await writeFile(path.join(runsRoot, copyId, 'config.json'), '{"runId": 7');
    const [run] = await histories([copyId]);
    expect(run!.summary.unreadable).toMatch(/config\.json/);
    expect(run!.metrics).toHaveLength(1);
  });

  it('refuses unknown runs with NOT_FOUND naming each of them', async () => {
    const gone = await copyRun(runsRoot, runId);
    await rm(path.join(runsRoot, gone), { recursive: true });
    const reply = await core.dispatch('runs:get-histories', {
      runIds: [runId, '20990101-000000-none', gone],
    });
    expect(reply).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    if (reply.ok) return;
    expect(reply.message).toContain('20990101-000000-none');
    expect(reply.message).toContain(gone);
    expect(reply.message).not.toContain(runId);
    expect(reply.message).not.toContain(runsRoot);
  });

  it('refuses malformed requests before the engine sees them', async () => {
    const twelve = Array.from({ length: 13 }, (_, i) => `20990101-0000${String(i).padStart(2, '0')}-abcd`);
    for (const runIds of [[], [runId, runId], twelve, ['../etc'], [runId, 7]]) {
      expect(await core.dispatch('runs:get-histories', { runIds })).toMatchObject({
        ok: false,
        code: 'INVALID_PAYLOAD',
      });
    }
    expect((await histories([runId])).length).toBe(1);
  });
});
