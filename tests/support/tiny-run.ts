/** A real run, trained through the engine in a second or two, for tests about run folders. */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { RunSummary } from '../../src/shared/run-types';
import type { TrainSettings } from '../../src/shared/types';
import { trainArgs } from './valid-requests';
import { nextEvent, startReadyCore } from './engine-core';
import { okValue } from './result-value';

export const TINY_SETTINGS = trainArgs({
  trainLimit: 256,
  testLimit: 128,
  displayCount: 64,
  batchSize: 64,
  latentDim: 4,
  epochs: 1,
});

/** Trains one epoch and waits until its latent map is stored (layouts are written after the run). */
export async function trainTinyRun(core: AppCore): Promise<string> {
  const completed = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
  const laidOut = nextEvent(core, 'latent:did-update-layout', (l) => l.epoch === 1 && l.final, 120_000);
  expect(await core.dispatch('train:start', TINY_SETTINGS)).toMatchObject({ ok: true });
  const runId = (await completed).runId!;
  await laidOut;
  return runId;
}

/** A ready core on that backend with one tiny run trained; `runsRoot` is its runs folder. */
export async function startCoreWithTinyRun(backend: string) {
  const core = await startReadyCore(backend);
  const runsRoot = path.join(core.dataDirectory, 'runs');
  return { core, runsRoot, runId: await trainTinyRun(core) };
}

/**
 * Trains a run with these settings to the end and waits for its last epoch's final map (laid out
 * off the training thread, so it can land after "completed"); resolves with the run id.
 */
export async function trainUntilMapped(core: AppCore, settings: TrainSettings): Promise<string> {
  const started = nextEvent(core, 'train:did-change-state', (s) => s.runId !== null);
  const finished = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
  const lastLayout = nextEvent(
    core,
    'latent:did-update-layout',
    (l) => l.epoch === settings.epochs && l.final,
    120_000,
  );
  okValue(await core.dispatch('train:start', settings));
  const runId = (await started).runId!;
  await Promise.all([finished, lastLayout]);
  return runId;
}

let copies = 0;

/** A copy of a run folder under a new run id (its config says so too), to damage at will. */
export async function copyRun(runsRoot: string, runId: string): Promise<string> {
  const copyId = `20990101-0000${String(copies++).padStart(2, '0')}-copy`;
  const directory = path.join(runsRoot, copyId);
  await cp(path.join(runsRoot, runId), directory, { recursive: true });
  const config = JSON.parse(await readFile(path.join(directory, 'config.json'), 'utf8')) as object;
  await writeFile(path.join(directory, 'config.json'), JSON.stringify({ ...config, runId: copyId }));
  return copyId;
}

export async function listedRuns(core: AppCore): Promise<RunSummary[]> {
  const listed = await core.dispatch('runs:list', {});
  expect(listed.ok).toBe(true);
  return (listed as { value: RunSummary[] }).value;
}
