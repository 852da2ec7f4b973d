/**
 * Studio (state/studio.svelte.ts), which run the latent map shows: the run training (or trained
 * last), or a run opened from the Runs tab while nothing trains; what a new job, deleting a run and
 * reopening the last run at launch do to that choice.
 */
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../src/shared/result';
import { useManualFrames } from './fixtures';
import { studioHarness } from './studio-harness';

useManualFrames();

describe('Studio: the run on the map', () => {
  it('a run opened while nothing trains is what the map shows; Live brings back the run trained last', async () => {
    const h = studioHarness();
    h.stateChange('j1', 'completed', 'r-live');
    expect(h.studio.mapRunId).toBe('r-live');

    await h.studio.openRun('r-old');
    expect(h.studio.exploring).toBe(true);
    expect(h.studio.mapRunId).toBe('r-old');
    h.showMap();
    expect(h.studio.map.runId).toBe('r-old');
    expect(h.studio.map.live).toBe(false);

    h.studio.showLiveRun();
    expect(h.studio.mapRunId).toBe('r-live');
  });

  it('a run opened while another trains stays behind the live run’s map', async () => {
    const h = studioHarness();
    h.stateChange('j1', 'running', 'r-live');
    await h.studio.openRun('r-old');
    expect(h.studio.runs.explored?.summary.runId).toBe('r-old');
    expect(h.studio.focus).toBe('live');
    expect(h.studio.mapRunId).toBe('r-live');
    h.showMap();
    expect(h.studio.map.live).toBe(true);
  });

  it('a new job puts its run in front of the explored one, and keeps it there once it ends', async () => {
    const h = studioHarness();
    await h.studio.openRun('r-old');
    expect(h.studio.mapRunId).toBe('r-old');

    // Started elsewhere (another window, or before a reload): its first event is news here.
    h.stateChange('j1', 'running', 'r-new');
    expect(h.studio.focus).toBe('live');
    expect(h.studio.mapRunId).toBe('r-new');
    h.showMap();
    expect(h.studio.map.live).toBe(true);
    h.stateChange('j1', 'completed', 'r-new');
    expect(h.studio.mapRunId).toBe('r-new');
    expect(h.studio.map.live).toBe(false);
  });

  it('deleting the explored run brings the live run back; deleting the run trained here empties the map', async () => {
    const h = studioHarness();
    h.stateChange('j1', 'completed', 'r-live');
    await h.studio.openRun('r-old');
    expect(await h.studio.deleteRun('r-old')).toBe('system');
    expect(h.studio.focus).toBe('live');
    expect(h.studio.mapRunId).toBe('r-live');

    await h.studio.deleteRun('r-live');
    expect(h.studio.training.runId).toBeNull();
    expect(h.studio.mapRunId).toBeNull();
  });

  it('at launch the run opened or trained last comes back on the map', async () => {
    const h = studioHarness({}, { 'app:get-last-run': () => ok({ runId: 'r-old' }) });
    await h.studio.load();
    expect(h.api.argsOf('runs:open')).toEqual([{ runId: 'r-old' }]);
    expect(h.studio.focus).toBe('explored');
    expect(h.studio.mapRunId).toBe('r-old');
    expect(h.studio.notices.current).toBeNull();
  });

  it('at launch nothing is reopened for a run no longer listed, nor while a run trains', async () => {
    const gone = studioHarness({}, { 'app:get-last-run': () => ok({ runId: 'r-gone' }) });
    await gone.studio.load();
    expect(gone.api.names()).not.toContain('runs:open');
    expect(gone.studio.mapRunId).toBeNull();

    const training = studioHarness({}, { 'app:get-last-run': () => ok({ runId: 'r-old' }) });
    training.stateChange('j1', 'running', 'r-live');
    await training.studio.load();
    expect(training.api.names()).not.toContain('runs:open');
    expect(training.studio.mapRunId).toBe('r-live');
  });

  it('at launch a last run that no longer opens leaves an empty map without a word', async () => {
    const h = studioHarness(
      {},
      {
        'app:get-last-run': () => ok({ runId: 'r-old' }),
        'runs:open': () => fail('CHECKPOINT_CORRUPT', 'the checkpoint is damaged'),
      },
    );
    await h.studio.load();
    expect(h.api.names()).toContain('runs:open');
    expect(h.studio.mapRunId).toBeNull();
    expect(h.studio.notices.current).toBeNull();
  });
});
