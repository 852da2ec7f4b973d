/**
 * Studio (state/studio.svelte.ts), the steps that start or continue a run: which view comes to the
 * front (never over one the user picked while the host answered), a dataset the host let go, and
 * the history a continued run's charts start from.
 */
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../src/shared/result';
import type { ConnectionSource } from '../../../src/renderer/src/lib/connection';
import { holding, settle } from '../../support/fake-api';
import { metrics, runDetails, runSummary, snapshot, useManualFrames } from './fixtures';
import { openMnist, studioHarness } from './studio-harness';

useManualFrames();

describe('Studio: starting and continuing runs', () => {
  it('Train brings the map to the front once the run is under way', async () => {
    const h = studioHarness();
    await openMnist(h);
    expect(h.studio.view).toBe('dataset');
    expect(h.studio.canTrain).toBe(true);
    await h.studio.startTraining();
    expect(h.api.argsOf('train:start')).toMatchObject([{ datasetId: 'ds1' }]);
    expect(h.studio.training.datasetName).toBe('MNIST handwritten digits');
    expect(h.studio.view).toBe('map');
  });

  it('a view picked while the host answers Train stays in front', async () => {
    const starts = holding<'train:start'>();
    const h = studioHarness({}, { 'train:start': starts.handler });
    await openMnist(h);
    const starting = h.studio.startTraining();
    await settle();
    h.studio.view = 'runs';
    starts.calls[0]!.answer(ok({ jobId: 'j1' }));
    await starting;
    expect(h.studio.training.jobId).toBe('j1');
    expect(h.studio.view).toBe('runs');
  });

  it('a start refused because the host let the dataset go says so and opens the dataset again', async () => {
    const h = studioHarness({}, { 'train:start': () => fail('NOT_FOUND', 'no dataset ds1') });
    await openMnist(h);
    await h.studio.startTraining();
    expect(h.studio.notices.current?.title).toBe('Dataset closed by the host');
    expect(h.api.argsOf('dataset:open')).toHaveLength(2);
    expect(h.studio.view).toBe('dataset');
  });

  it('continuing a run from the Runs tab opens it first, so its curve goes on from its whole history', async () => {
    const run = runSummary('r-old', { epochsDone: 3, checkpointEpochs: [1, 2] });
    const h = studioHarness({ runs: [run] });
    h.studio.view = 'runs';
    expect(await h.studio.continueListedRun(run, 5)).toBeNull();
    expect(h.api.names().filter((name) => name === 'runs:open' || name === 'train:continue')).toEqual([
      'runs:open',
      'train:continue',
    ]);
    expect(h.api.argsOf('train:continue')).toEqual([{ runId: 'r-old', epochs: 5 }]);
    // The disk's history up to the checkpoint it resumes from.
    expect(h.studio.training.epochMetrics.map((m) => m.epoch)).toEqual([1, 2]);
    expect(h.studio.training.plannedEpochs).toBe(5);
    expect(h.studio.focus).toBe('live');
    expect(h.studio.view).toBe('map');
    expect(h.studio.mapRunId).toBe('r-old');
  });

  it('continuing after the engine failed takes the history and checkpoint from the run’s folder', async () => {
    const onDisk = runSummary('r1', { epochsDone: 2, checkpointEpochs: [1, 2], state: 'failed' });
    const h = studioHarness({ runs: [onDisk] }, { 'runs:open': () => ok(runDetails(onDisk)) });
    // This window heard of epoch 1 only before the engine died.
    h.api.emit('train:did-end-epoch', snapshot('j1', 'r1', 1));
    h.api.emit('train:did-change-state', {
      jobId: 'j1',
      runId: 'r1',
      state: 'failed',
      error: 'the engine died',
      lastCheckpointEpoch: 1,
    });
    expect(await h.studio.continueCurrentRun(4)).toBeNull();
    expect(h.api.argsOf('train:continue')).toEqual([{ runId: 'r1', epochs: 4 }]);
    expect(h.studio.training.epochMetrics).toEqual([metrics(1), metrics(2)]);
    expect(h.studio.training.lastCheckpointEpoch).toBe(2);
  });

  it('nothing is continued while the host is unreachable', async () => {
    const closed: ConnectionSource = {
      status: 'closed',
      missingToken: false,
      newAddress: null,
      subscribe: () => () => undefined,
    };
    const run = runSummary('r-old');
    const h = studioHarness({ runs: [run], connection: closed });
    expect(h.studio.canContinue).toBe(false);
    expect(await h.studio.continueListedRun(run, 5)).toBe('BUSY');
    expect(h.api.names()).not.toContain('train:continue');
  });
});
