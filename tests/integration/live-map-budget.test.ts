/**
 * The live map's budget through the real engine process (issue 17): while a run trains, UMAP lays
 * out a 2,000-point sample of its 2,500 display points (the rest placed beside their nearest
 * codes), sends no intermediate frames, and a method chosen mid-run gets the same budget; when
 * training ends, the newest epoch gets the full layout, stored in place of the sampled one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { DEFAULT_PROJECTION_SETTINGS, type LatentLayout } from '../../src/shared/projection-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { nextEvent, startReadyCore } from '../support/engine-core';
import { okValue } from '../support/result-value';

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'mnist',
  trainLimit: 2_048,
  testLimit: 2_500,
  displayCount: 2_500,
  epochs: 3,
  batchSize: 64,
  latentDim: 8,
  seed: 3,
};

let core: AppCore;
let runId: string;
const layouts: LatentLayout[] = [];
let asked: { jobId: string } | null = null;
let completedAt = 0;

beforeAll(async () => {
  core = await startReadyCore('wasm');
  core.events.subscribe((name, payload) => {
    if (name === 'latent:did-update-layout') layouts.push({ ...(payload as LatentLayout) });
  });
  const started = nextEvent(core, 'train:did-change-state', (s) => s.runId !== null);
  const firstMap = nextEvent(core, 'latent:did-update-layout', (l) => l.epoch === 1 && l.final, 120_000);
  const finished = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 180_000);
  okValue(await core.dispatch('train:start', SETTINGS));
  runId = (await started).runId!;
  await firstMap;
  // t-SNE chosen while the run trains: laid out within the live budget too.
  const settings = { ...DEFAULT_PROJECTION_SETTINGS, method: 'tsne' as const };
  asked = okValue<{ jobId: string }>(await core.dispatch('latent:project', { runId, epoch: null, settings }));
  await finished;
  completedAt = layouts.length;
  await nextEvent(
    core,
    'latent:did-update-layout',
    (l) => l.epoch === 3 && l.final && (l.sampled ?? null) === null,
    120_000,
  );
}, 300_000);
afterAll(() => core?.dispose());

describe('the live map within its budget', () => {
  it('lays out a 2,000-point sample while training, with no intermediate frames', () => {
    const duringTraining = layouts.slice(0, completedAt).filter((l) => l.runId === runId);
    expect(duringTraining.length).toBeGreaterThan(0);
    for (const layout of duringTraining) {
      expect(layout.final).toBe(true);
      expect(layout.sampled).toBe(2_000);
      expect(layout.count).toBe(2_500);
      expect(layout.positions.every(Number.isFinite)).toBe(true);
    }
    expect(duringTraining[0]).toMatchObject({ epoch: 1, method: 'umap' });
    // Asked for while training ran (it may finish after): the same budget.
    const chosen = layouts.find((l) => l.jobId === asked!.jobId && l.final);
    expect(chosen).toMatchObject({ method: 'tsne', sampled: 2_000 });
    expect(layouts.filter((l) => l.jobId === asked!.jobId && !l.final)).toEqual([]);
  });

  it('lays out the newest epoch in full when training ends, and stores that one', async () => {
    const full = layouts.find((l) => l.runId === runId && l.epoch === 3 && l.final && !l.sampled)!;
    expect(full).toMatchObject({ method: 'tsne', count: 2_500 });
    expect(layouts.indexOf(full)).toBeGreaterThanOrEqual(completedAt);
    const stored = okValue<{ layout: LatentLayout | null }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 3, method: 'tsne' }),
    );
    expect(Array.from(stored.layout!.positions)).toEqual(Array.from(full.positions));
    expect(stored.layout!.sampled).toBeNull();
    // Earlier epochs keep their live layouts, and say so when read back (the timeline's caption).
    const first = okValue<{ layout: LatentLayout | null }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 1, method: 'umap' }),
    );
    expect(first.layout!.sampled).toBe(2_000);
  });
});
