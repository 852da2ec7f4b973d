/**
 * A Studio on a fake host that knows a few runs on disk: the engine is ready, MNIST opens as job
 * d1, training starts j1 and continuing starts j2. The map is shown as LatentMapPanel shows it
 * (`showMap`); nothing answers the map's own requests, since these tests ask which run it shows.
 */
import { BUILTIN_DATASETS } from '../../../src/shared/builtin-datasets';
import { fail, ok } from '../../../src/shared/result';
import type { RunSummary } from '../../../src/shared/run-types';
import type { TrainStateChange } from '../../../src/shared/types';
import { ALWAYS_OPEN, type ConnectionSource } from '../../../src/renderer/src/lib/connection';
import { Studio } from '../../../src/renderer/src/state/studio.svelte';
import { FakeApi, settle, type FakeHandlers } from '../../support/fake-api';
import { mnistSummary, runDetails, runSummary } from './fixtures';

export interface StudioHarness {
  api: FakeApi;
  studio: Studio;
  stateChange(jobId: string, state: TrainStateChange['state'], runId: string | null): void;
  /** What LatentMapPanel's effect does: the map shows the run the studio names. */
  showMap(): void;
}

export function studioHarness(
  {
    runs = [runSummary('r-old')],
    connection = ALWAYS_OPEN,
  }: { runs?: RunSummary[]; connection?: ConnectionSource } = {},
  handlers: FakeHandlers = {},
): StudioHarness {
  const api = new FakeApi({
    'engine:get-status': () =>
      ok({ state: 'ready', backend: null, preference: 'auto', message: null, restarts: 0 }),
    'app:get-info': () => ok({ name: 'Latent Studio', version: '0.0.0', host: 'desktop', platform: 'linux' }),
    'dataset:list-builtin': () => ok(BUILTIN_DATASETS),
    'dataset:open': () => ok({ jobId: 'd1' }),
    'runs:list': () => ok(runs),
    'runs:open': ({ runId }) => {
      const run = runs.find((r) => r.runId === runId);
      return run ? ok(runDetails(run)) : fail('NOT_FOUND', 'no such run');
    },
    'runs:delete': ({ runId }) => ok({ runId, trashed: 'system' }),
    'app:get-last-run': () => ok({ runId: null }),
    'train:start': () => ok({ jobId: 'j1' }),
    'train:continue': () => ok({ jobId: 'j2' }),
    ...handlers,
  });
  const studio = new Studio(api, connection, '');
  return {
    api,
    studio,
    stateChange(jobId, state, runId) {
      api.emit('train:did-change-state', { jobId, runId, state, error: null, lastCheckpointEpoch: null });
    },
    showMap() {
      studio.map.show(studio.mapRunId);
    },
  };
}

/** Opens MNIST as the user would pick it, and lets the engine answer that it is open. */
export async function openMnist(h: StudioHarness): Promise<void> {
  h.studio.datasets.selectSource('mnist');
  await settle();
  h.api.emit('dataset:did-open', { jobId: 'd1', summary: mnistSummary('ds1') });
}
