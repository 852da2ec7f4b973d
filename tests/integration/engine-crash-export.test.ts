/**
 * The engine dies with an export request in flight, through the real app core (the kill lands as
 * the request leaves; kills in the middle of writes are covered by crash-safety.test.ts): the
 * request answers with a plain-words ENGINE_UNAVAILABLE (never hangs), no half-written file is
 * listed, the engine restarts, and the same export then succeeds.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { trainArgs } from '../support/valid-requests';
import { nextEvent, startReadyCore } from '../support/engine-core';

let core: AppCore;
let runId: string;

beforeAll(async () => {
  core = await startReadyCore();
  const completed = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
  // The epoch's layout is stored off the training thread, after the run completes: wait for it.
  const laidOut = nextEvent(core, 'latent:did-update-layout', (l) => l.epoch === 1 && l.final, 120_000);
  const started = await core.dispatch(
    'train:start',
    trainArgs({
      trainLimit: 1_024,
      testLimit: 256,
      displayCount: 5_000,
      epochs: 1,
    }),
  );
  expect(started.ok).toBe(true);
  runId = (await completed).runId!;
  await laidOut;
}, 180_000);
afterAll(() => core?.dispose());

const exportArgs = () => ({ runId, epoch: 1, method: 'umap' as const, format: 'csv' as const });

describe('engine crash with an export in flight', () => {
  it('answers, leaves no partial file, restarts, and exports on the next try', async () => {
    const restarted = nextEvent(core, 'engine:did-change-status', (s) => s.state === 'ready', 60_000);
    const exporting = core.dispatch('latent:export', exportArgs());
    process.kill(core.engine.pid!, 'SIGKILL');
    const answer = await exporting;
    expect(answer).toMatchObject({ ok: false, code: 'ENGINE_UNAVAILABLE' });
    expect((answer as { message: string }).message).toMatch(/engine process was stopped by signal SIGKILL/);
    await restarted;

    const exportsDir = path.join(core.dataDirectory, 'runs', runId, 'exports');
    const listed = async () =>
      (await readdir(exportsDir, { recursive: true }).catch(() => [] as string[])).filter((f) =>
        f.endsWith('.csv'),
      );
    // Whatever the kill interrupted is a temporary, never a .csv someone could open half-written.
    expect(await listed()).toEqual([]);

    const again = await core.dispatch('latent:export', exportArgs());
    expect(again).toMatchObject({ ok: true });
    const files = (again as { value: { files: { name: string; bytes: number }[] } }).value.files;
    expect(files).toHaveLength(1);
    expect(files[0]!.bytes).toBeGreaterThan(5_000 * 20);
    expect(await listed()).toHaveLength(1);
  }, 120_000);
});
