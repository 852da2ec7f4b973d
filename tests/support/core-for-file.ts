/**
 * A real app core shared by every test of one file: started (engine ready) before them, disposed
 * of after. `receive` hands it to the file, as `(started) => (core = started)`.
 */
import { afterAll, beforeAll } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { startReadyCore } from './engine-core';
import { startCoreWithTinyRun } from './tiny-run';

export function readyCoreForFile(backend: string, receive: (core: AppCore) => void): void {
  let core: AppCore | undefined;
  beforeAll(async () => {
    core = await startReadyCore(backend);
    receive(core);
  });
  afterAll(() => core?.dispose());
}

/** The same, with one tiny run trained first (`runsRoot` is its runs folder). */
export function coreWithTinyRunForFile(
  backend: string,
  receive: (started: { core: AppCore; runsRoot: string; runId: string }) => void,
): void {
  let core: AppCore | undefined;
  beforeAll(async () => {
    const started = await startCoreWithTinyRun(backend);
    core = started.core;
    receive(started);
  }, 180_000);
  afterAll(() => core?.dispose());
}
