/**
 * LatentMapState (state/latent-map.svelte.ts), which epoch the map shows: following the newest
 * epoch as training adds them, scrubbing the timeline back (and what a new epoch does then), Live,
 * and replies or events that belong to an earlier scrub or another run.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROJECTION_SETTINGS } from '../../../src/shared/projection-types';
import { fail, ok } from '../../../src/shared/result';
import { holding, settle } from '../../support/fake-api';
import { epochLatents, latentPoints, layout, snapshot } from './fixtures';
import { epochEnds, mapHarness, openMap, scrubTo } from './map-harness';

describe('LatentMapState: following and scrubbing', () => {
  it('opens a run at its newest stored epoch, laid out with the run’s own projection', async () => {
    const umap = { ...DEFAULT_PROJECTION_SETTINGS, method: 'umap' as const };
    const h = mapHarness({ r1: [1, 2, 3] }, { projection: umap });
    await openMap(h, 'r1');
    expect(h.api.argsOf('latent:get-epoch')).toEqual([{ runId: 'r1', epoch: 3, method: 'umap' }]);
    expect(h.map.epochs).toEqual([1, 2, 3]);
    expect(h.map.applied.method).toBe('umap');
    expect(h.map.following).toBe(true);
    expect(h.map.timelineEpoch).toBe(3);
    expect(h.map.drawn).toMatchObject({ runId: 'r1', epoch: 3, method: 'umap', final: true });
  });

  it('following: a new epoch joins the timeline and its layout replaces the one shown', async () => {
    const h = mapHarness({ r1: [1] }, { live: 'r1' });
    await openMap(h, 'r1');
    expect(h.map.live).toBe(true);
    h.api.emit('train:did-end-epoch', snapshot('j1', 'r1', 2));
    expect(h.map.epochs).toEqual([1, 2]);
    h.api.emit('latent:did-update-layout', layout('r1', 2));
    expect(h.map.layout?.epoch).toBe(2);
    expect(h.map.timelineEpoch).toBe(2);
  });

  it('following never steps back to an older epoch whose layout arrives late', async () => {
    const h = mapHarness({ r1: [1, 2] }, { live: 'r1' });
    await openMap(h, 'r1');
    h.api.emit('latent:did-update-layout', layout('r1', 1));
    expect(h.map.layout?.epoch).toBe(2);
  });

  it('scrubbed back, new epochs extend the timeline while the map stays on the epoch scrubbed to', async () => {
    const h = mapHarness({ r1: [1, 2] }, { live: 'r1' });
    await openMap(h, 'r1');
    await scrubTo(h, 1);
    expect(h.map.following).toBe(false);
    expect(h.map.layout?.epoch).toBe(1);

    epochEnds(h, 3);
    expect(h.map.epochs).toEqual([1, 2, 3]);
    expect(h.map.newestEpoch).toBe(3);
    expect(h.map.timelineEpoch).toBe(1);
    expect(h.map.layout?.epoch).toBe(1);
  });

  it('Live goes back to the newest epoch and follows the ones after it', async () => {
    const h = mapHarness({ r1: [1, 2] }, { live: 'r1' });
    await openMap(h, 'r1');
    await scrubTo(h, 1);
    epochEnds(h, 3);

    h.map.setFollowing(true);
    await settle();
    expect(h.map.following).toBe(true);
    expect(h.map.layout?.epoch).toBe(3);
    epochEnds(h, 4);
    expect(h.map.layout?.epoch).toBe(4);
    expect(h.map.timelineEpoch).toBe(4);
  });

  it('Live off stays on the epoch shown: later epochs wait on the timeline', async () => {
    const h = mapHarness({ r1: [1, 2] }, { live: 'r1' });
    await openMap(h, 'r1');
    h.map.setFollowing(false);
    expect(h.map.viewedEpoch).toBe(2);
    epochEnds(h, 3);
    expect(h.map.timelineEpoch).toBe(2);
    expect(h.map.layout?.epoch).toBe(2);
  });

  it('scrubbing back to the newest epoch follows again', async () => {
    const h = mapHarness({ r1: [1, 2, 3] });
    await openMap(h, 'r1');
    h.map.scrub(1);
    expect(h.map.following).toBe(false);
    h.map.scrub(3);
    expect(h.map.following).toBe(true);
  });

  it('an earlier scrub’s late reply neither shows its epoch, starts a layout of it, nor shows its failure', async () => {
    const h = mapHarness({ r1: [1, 2, 3] });
    await openMap(h, 'r1');
    const reads = holding<'latent:get-epoch'>();
    h.api.handle('latent:get-epoch', reads.handler);
    h.map.scrub(1);
    h.map.scrub(2);
    h.map.scrub(1);
    h.map.scrub(2);
    expect(reads.calls.map((call) => call.args.epoch)).toEqual([1, 2, 1, 2]);

    // Answered newest first: only the last scrub's reply counts.
    reads.calls[3]!.answer(ok(epochLatents('r1', 2, 'pca')));
    await settle();
    reads.calls[2]!.answer(ok(epochLatents('r1', 1, null)));
    reads.calls[1]!.answer(fail('INTERNAL', 'read failed'));
    reads.calls[0]!.answer(ok(epochLatents('r1', 1, 'pca')));
    await settle();
    expect(h.map.layout?.epoch).toBe(2);
    expect(h.map.timelineEpoch).toBe(2);
    expect(h.map.failure).toBeNull();
    expect(h.api.names()).not.toContain('latent:project');
  });

  it('switching runs: the previous run’s late points never land on the new run’s map', async () => {
    const h = mapHarness({ a: [1, 2], b: [1, 2, 3] });
    const points = holding<'latent:get-points'>();
    h.api.handle('latent:get-points', points.handler);
    h.map.show('a');
    h.map.show('b');
    points.calls[1]!.answer(ok(latentPoints('b', [1, 2, 3])));
    await settle();
    points.calls[0]!.answer(ok(latentPoints('a', [1, 2, 5])));
    await settle();
    expect(h.map.runId).toBe('b');
    expect(h.map.points?.runId).toBe('b');
    expect(h.map.epochs).toEqual([1, 2, 3]);
    expect(h.api.argsOf('latent:get-epoch').map((args) => args.runId)).toEqual(['b']);
    expect(h.map.drawn).toMatchObject({ runId: 'b', epoch: 3 });
  });

  it('another run’s epochs, layouts, progress and failures leave the map alone', async () => {
    const h = mapHarness({ r1: [1, 2] });
    await openMap(h, 'r1');
    h.api.emit('train:did-end-epoch', snapshot('j2', 'r2', 3));
    h.api.emit('latent:did-update-layout', layout('r2', 3));
    const job = { jobId: 'x', runId: 'r2', epoch: 3, method: 'pca' as const };
    h.api.emit('latent:did-progress', { ...job, done: 1, total: 10 });
    h.api.emit('latent:did-stop', { ...job, reason: 'failed', message: 'boom' });
    expect(h.map.epochs).toEqual([1, 2]);
    expect(h.map.layout).toMatchObject({ runId: 'r1', epoch: 2 });
    expect(h.map.progress).toBeNull();
    expect(h.map.failure).toBeNull();
  });

  it('points fetched before the run wrote them all are fetched again at the next epoch', async () => {
    const h = mapHarness({ r1: [1] }, { live: 'r1' });
    h.api.handle('latent:get-points', ({ runId }) => ok(latentPoints(runId, [1], { count: 2 })));
    await openMap(h, 'r1');
    // The stored layout has all four points; two points cannot draw it.
    expect(h.map.layout?.count).toBe(4);
    expect(h.map.drawn).toBeNull();

    h.api.handle('latent:get-points', ({ runId }) => ok(latentPoints(runId, [1, 2])));
    h.api.emit('train:did-end-epoch', snapshot('j1', 'r1', 2));
    await settle();
    expect(h.api.names().filter((name) => name === 'latent:get-points')).toHaveLength(2);
    expect(h.map.points?.count).toBe(4);
    expect(h.map.drawn).not.toBeNull();
  });

  it('a run with no stored map says why; another refusal gives the host’s words', async () => {
    const h = mapHarness({});
    await openMap(h, 'old');
    expect(h.map.unavailable).toMatch(/no stored latent map/);
    h.api.handle('latent:get-points', () => fail('INTERNAL', 'disk on fire'));
    await openMap(h, 'other');
    expect(h.map.unavailable).toBe('Could not load the map: disk on fire');
  });

  it('an epoch that cannot be read is shown, and the next scrub clears it', async () => {
    const h = mapHarness({ r1: [1, 2] });
    await openMap(h, 'r1');
    h.api.handle('latent:get-epoch', () => fail('INTERNAL', 'bad file'));
    await scrubTo(h, 1);
    expect(h.map.failure).toBe('Could not load epoch 1: bad file');
    h.map.scrub(2);
    expect(h.map.failure).toBeNull();
  });
});
