/**
 * A LatentMapState on a fake Api holding a few runs' maps: every epoch's layout is stored unless
 * `unstored` says otherwise, and each `latent:project` starts a job p1, p2, … at once. Tests swap
 * single handlers (`api.handle`) to hold replies or refuse.
 */
import { fail, ok } from '../../../src/shared/result';
import type { ProjectionSettings } from '../../../src/shared/projection-types';
import { LatentMapState } from '../../../src/renderer/src/state/latent-map.svelte';
import { FakeApi, settle } from '../../support/fake-api';
import { epochLatents, latentPoints, layout, snapshot } from './fixtures';

export interface MapHarness {
  api: FakeApi;
  map: LatentMapState;
  /** The run training now, as the studio would tell the map. */
  live: { runId: string | null };
}

export function mapHarness(
  runs: Record<string, number[]>,
  {
    live = null,
    unstored = [],
    projection,
  }: { live?: string | null; unstored?: number[]; projection?: ProjectionSettings } = {},
): MapHarness {
  let jobs = 0;
  const api = new FakeApi({
    'latent:get-points': ({ runId }) => {
      const epochs = runs[runId];
      return epochs ? ok(latentPoints(runId, epochs, { projection })) : fail('NOT_FOUND', 'no such run');
    },
    'latent:get-epoch': ({ runId, epoch, method }) =>
      ok(epochLatents(runId, epoch, unstored.includes(epoch) ? null : method)),
    'latent:list-bookmarks': () => ok([]),
    'latent:project': () => ok({ jobId: `p${++jobs}` }),
    'job:cancel': () => ok({ state: 'cancelled' }),
  });
  const state = { runId: live };
  const map = new LatentMapState(api, () => state.runId);
  return { api, map, live: state };
}

/** Shows `runId` and lets its points and newest layout arrive. */
export async function openMap(harness: MapHarness, runId: string): Promise<void> {
  harness.map.show(runId);
  await settle();
}

/** Moves the timeline to `epoch` and lets what it asked for arrive. */
export async function scrubTo(harness: MapHarness, epoch: number): Promise<void> {
  harness.map.scrub(epoch);
  await settle();
}

/** Training ended `epoch` of run r1 (job j1): its codes, then the engine's layout of them. */
export function epochEnds(harness: MapHarness, epoch: number): void {
  harness.api.emit('train:did-end-epoch', snapshot('j1', 'r1', epoch));
  harness.api.emit('latent:did-update-layout', layout('r1', epoch));
}
