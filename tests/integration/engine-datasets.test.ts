import type { LatentPoints } from '../../src/shared/projection-types';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { DatasetSummary, Preprocessing } from '../../src/shared/dataset-types';
import type { LatentSnapshot, TrainSettings } from '../../src/shared/types';
import { BLUE, GREEN, RED, solid } from '../support/image-fixtures';
import { nextEvent, startReadyCore } from '../support/engine-core';
import { tempFolder } from '../support/temp-folder';
import { trainArgs } from '../support/valid-requests';

const PRE: Preprocessing = { size: 28, channels: 'grayscale', fit: 'contain', background: '#000000' };
const base = tempFolder('engine-datasets');
let core: AppCore;
let rootId: string;

beforeAll(async () => {
  const root = path.join(base(), 'images');
  for (const [label, colour] of [
    ['red', RED],
    ['green', GREEN],
    ['blue', BLUE],
  ] as const) {
    await mkdir(path.join(root, 'shapes', label), { recursive: true });
    for (let i = 0; i < 40; i++) {
      await solid(20 + i, 24, colour)
        .png()
        .toFile(path.join(root, 'shapes', label, `${i}.png`));
    }
  }
  await mkdir(path.join(base(), 'private'));
  await symlink(path.join(base(), 'private'), path.join(root, 'shortcut'));
  core = await startReadyCore('wasm', [root]);
  rootId = core.roots.list()[0]!.id;
});
afterAll(() => core?.dispose());

async function openAndWait(args: unknown): Promise<DatasetSummary> {
  const started = await core.dispatch('dataset:open', args);
  expect(started.ok).toBe(true);
  const jobId = (started as { value: { jobId: string } }).value.jobId;
  const opened = await nextEvent(core, 'dataset:did-open', (e) => e.jobId === jobId);
  return opened.summary;
}

/** A one-epoch run on `datasetId` (learning rate 1e-3, seed 1) with these sizes. */
function oneEpoch(
  datasetId: string,
  sizes: Pick<TrainSettings, 'trainLimit' | 'testLimit' | 'displayCount' | 'batchSize' | 'latentDim'>,
): TrainSettings {
  return trainArgs({ datasetId, ...sizes, epochs: 1, learningRate: 1e-3, seed: 1 });
}

/**
 * Starts that run and resolves with the first epoch snapshot `accept` takes; `completed` resolves
 * when a run completes.
 */
async function trainOneEpoch(settings: TrainSettings, accept?: (snapshot: LatentSnapshot) => boolean) {
  const epochEnd = nextEvent(core, 'train:did-end-epoch', accept);
  const completed = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed');
  const started = await core.dispatch('train:start', settings);
  expect(started.ok).toBe(true);
  return { snapshot: await epochEnd, completed };
}

describe('datasets through the engine process', () => {
  it('browses the data roots and refuses paths that leave them', async () => {
    expect(await core.dispatch('dataset:list-roots', {})).toEqual({
      ok: true,
      value: [{ id: rootId, name: 'images' }],
    });
    expect(await core.dispatch('dataset:browse', { rootId, relativePath: 'shapes' })).toMatchObject({
      ok: true,
      value: { folders: ['blue', 'green', 'red'], imageFiles: 0 },
    });
    expect(await core.dispatch('dataset:browse', { rootId, relativePath: 'shortcut' })).toMatchObject({
      ok: false,
      code: 'PATH_REFUSED',
    });
    expect(await core.dispatch('dataset:browse', { rootId, relativePath: '../private' })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
    const folderOutside = {
      source: { kind: 'folder', rootId, relativePath: 'shortcut' },
      preprocessing: PRE,
    };
    expect(await core.dispatch('dataset:open', folderOutside)).toMatchObject({
      ok: false,
      code: 'PATH_REFUSED',
    });
    expect(await core.dispatch('dataset:choose-folder', {})).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED',
    });
  });

  it('previews a folder with the chosen preprocessing', async () => {
    const preview = await core.dispatch('dataset:preview', {
      source: { kind: 'folder', rootId, relativePath: 'shapes' },
      preprocessing: PRE,
    });
    expect(preview).toMatchObject({ ok: true, value: { classNames: ['blue', 'green', 'red'], skipped: 0 } });
    const { samples } = (preview as { value: { samples: { pixels: Uint8Array; count: number }[] } }).value;
    expect(samples).toHaveLength(3);
    expect(samples[0]!.pixels).toBeInstanceOf(Uint8Array);
    expect(samples[0]!.pixels.length).toBe(samples[0]!.count * 28 * 28);
    // Asked for grayscale, the preview still says the images themselves are colour.
    expect(preview).toMatchObject({ value: { suggested: { size: 28, channels: 'rgb' } } });
  });

  it('opens a folder with progress, then trains on it; a reopen comes from the cache', async () => {
    const source = { kind: 'folder', rootId, relativePath: 'shapes' };
    const summary = await openAndWait({ source, preprocessing: PRE });
    expect(summary).toMatchObject({
      name: 'shapes',
      count: 120,
      classNames: ['blue', 'green', 'red'],
      fromCache: false,
    });
    expect(summary.countsPerLabel).toEqual([40, 40, 40]);
    // Parts by hash (split.ts): about 10 % each, at least one per class, every image once.
    const { train, validation, test, testFraction } = summary.split;
    expect(train + validation + test).toBe(120);
    expect(Math.min(validation, test)).toBeGreaterThanOrEqual(3);
    expect(testFraction).toBeCloseTo(test / 120, 6);
    expect(summary.samples.map((s) => s.count)).toEqual([8, 8, 8]);
    expect(summary.cacheBytes).toBe(120 * 28 * 28);

    const { snapshot, completed } = await trainOneEpoch(
      oneEpoch(summary.datasetId, {
        trainLimit: 1_000,
        testLimit: 1_000,
        displayCount: 100,
        batchSize: 32,
        latentDim: 4,
      }),
    );
    // The map shows 100 of the 120 images: all held-out ones (test and validation) first, then training images.
    expect(snapshot.count).toBe(100);
    expect(snapshot.classNames).toEqual(['blue', 'green', 'red']);
    await completed;
    const result = await core.dispatch('latent:get-points', { runId: snapshot.runId! });
    if (!result.ok) throw new Error(result.message);
    const points = result as { value: LatentPoints };
    expect(points.value.heldOut.reduce((a, b) => a + b, 0)).toBe(
      summary.split.validation + summary.split.test,
    );
    // Folder images are named by their path inside the folder.
    expect(points.value.names.every((name) => /^(blue|green|red)\/[^/]+\.[a-z]+$/.test(name))).toBe(true);

    expect(await openAndWait({ source, preprocessing: PRE })).toMatchObject({ fromCache: true, decoded: 0 });
  });

  it('opens the sprites dataset and colours snapshots by its factors', async () => {
    const summary = await openAndWait({ source: { kind: 'builtin', id: 'sprites' }, preprocessing: PRE });
    expect(summary).toMatchObject({
      datasetId: 'sprites',
      count: 11_520,
      classNames: ['square', 'ellipse', 'heart'],
    });
    expect(summary.metadataFields.map((f) => f.name)).toEqual(['shape', 'scale', 'rotation', 'x', 'y']);
    expect(summary.preprocessing).toMatchObject({ size: 64, channels: 'grayscale' });
    const { snapshot, completed } = await trainOneEpoch(
      oneEpoch('sprites', {
        trainLimit: 256,
        testLimit: 128,
        displayCount: 90,
        batchSize: 64,
        latentDim: 6,
      }),
      (s) => s.classNames[0] === 'square',
    );
    expect(snapshot.metadata.map((m) => m.field.name)).toEqual(['shape', 'scale', 'rotation', 'x', 'y']);
    for (const m of snapshot.metadata) {
      expect(m.values).toBeInstanceOf(Float32Array);
      expect(m.values.length).toBe(90);
    }
    await completed;
  });

  it('refuses to train on a dataset that is not open', async () => {
    // Any valid settings: the dataset is looked up before they matter.
    const result = await core.dispatch('train:start', trainArgs({ datasetId: 'folder-0123456789abcdef' }));
    expect(result).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
