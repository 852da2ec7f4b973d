/**
 * Gallery exports through the real engine process, with a 128-pixel RGB model (the largest images
 * the app makes): more than 400 images, or more output pixels than the cap, are refused quickly
 * with INVALID_PAYLOAD and leave nothing in the run's exports folder; 400 images still export.
 */
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { selectBackend } from '../../src/main/engine/backend';
import { exportModel } from '../../src/main/engine/model-io/export-model';
import { exportPixels } from '../../src/main/engine/gallery/image-files';
import { createModel } from '../../src/main/engine/model/create-model';
import { saveCheckpoint } from '../../src/main/engine/train/checkpoint';
import { RunStore } from '../../src/main/engine/train/run-store';
import { GALLERY_LIMITS } from '../../src/shared/gallery-types';
import type { ExportedFile } from '../../src/shared/projection-types';
import type { Result } from '../../src/shared/result';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { startReadyCore } from '../support/engine-core';

const LATENT_DIM = 2;
const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  // Not a built-in, so the engine takes the image format from the weights.
  datasetId: 'folder:big-rgb',
  model: 'conv',
  likelihood: 'gaussian-learned',
  width: 8,
  depth: 4,
  latentDim: LATENT_DIM,
};

let core: AppCore;
let runId: string;
let exportsDir: string;

/** A run of the app holding an untrained 128-pixel RGB model, made by importing its files. */
beforeAll(async () => {
  await selectBackend('cpu');
  const base = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-export-limits-'));
  const importRoot = path.join(base, 'import');
  await mkdir(path.join(base, 'runs'), { recursive: true });
  const run = await RunStore.create(path.join(base, 'runs'), {
    datasetId: SETTINGS.datasetId,
    datasetName: 'Big RGB',
    settings: SETTINGS,
  });
  const model = createModel(SETTINGS, 128, 3);
  await saveCheckpoint(run.checkpointsDir, { epoch: 1, runId: run.runId, testLoss: null }, model);
  model.dispose();
  await exportModel(run.directory, path.join(importRoot, 'model'));

  core = await startReadyCore('wasm', [importRoot]);
  const imported = await core.dispatch('model:import', {
    rootId: core.roots.list()[0]!.id,
    relativePath: 'model',
  });
  if (!imported.ok) throw new Error(imported.message);
  runId = (imported.value as { runId: string }).runId;
  exportsDir = path.join(core.dataDirectory, 'runs', runId, 'exports');
}, 120_000);
afterAll(() => core?.dispose());

async function exportFolders(): Promise<string[]> {
  return readdir(exportsDir).catch(() => []);
}

function codes(count: number): Float32Array {
  return Float32Array.from({ length: count * LATENT_DIM }, (_, i) => Math.sin(i));
}

function exportRequest(count: number, kind: 'images' | 'grid' | 'animation', scale: number, columns = 64) {
  return {
    runId,
    kind,
    latents: codes(count),
    columns,
    scale,
    format: 'gif' as const,
    label: 'samples',
    details: {},
  };
}

/** Dispatches and expects a quick INVALID_PAYLOAD that leaves the exports folder as it was. */
async function expectRefused(args: ReturnType<typeof exportRequest>, message: RegExp): Promise<number> {
  const before = await exportFolders();
  const started = performance.now();
  const result = await core.dispatch('gallery:export', args);
  const ms = performance.now() - started;
  expect(result).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  expect(!result.ok && result.message).toMatch(message);
  expect(await exportFolders()).toEqual(before);
  expect(ms).toBeLessThan(2_000);
  return ms;
}

describe('gallery export limits', () => {
  it('counts output pixels the way the files are laid out', () => {
    // 3 columns × 2 rows of 28-pixel tiles with 2-pixel gaps (as gallery.test.ts reads back).
    expect(exportPixels({ kind: 'grid', count: 6, size: 28, scale: 1, columns: 3 })).toBe(88 * 58);
    expect(exportPixels({ kind: 'animation', count: 6, size: 28, scale: 3, columns: 3 })).toBe(6 * 84 * 84);
    expect(exportPixels({ kind: 'images', count: 6, size: 28, scale: 2, columns: 3 })).toBe(6 * 56 * 56);
    // The longest interpolation of the largest images at the largest scale just fits as an animation.
    expect(
      exportPixels({
        kind: 'animation',
        count: GALLERY_LIMITS.steps.max,
        size: 128,
        scale: GALLERY_LIMITS.scale.max,
        columns: 1,
      }),
    ).toBeLessThanOrEqual(GALLERY_LIMITS.exportPixels);
  });

  it('refuses one image over the cap, whatever the number of values', async () => {
    // 802 values pass the schema's bound on values; it is the 401 images that are too many.
    await expectRefused(exportRequest(GALLERY_LIMITS.sampleCount.max + 1, 'grid', 1), /401 images/);
  });

  it('refuses exports whose output would be too many pixels, before decoding', async () => {
    const over = GALLERY_LIMITS.steps.max + 1;
    const ms = [
      await expectRefused(exportRequest(over, 'animation', 8), /pixels/),
      await expectRefused(exportRequest(over, 'grid', 8, 1), /pixels/),
      await expectRefused(exportRequest(over, 'images', 8), /pixels/),
    ];
    expect(Math.max(...ms)).toBeLessThan(2_000);
  });

  it('exports 400 images', async () => {
    const result = await core.dispatch('gallery:export', exportRequest(400, 'grid', 1, 20));
    expect(result).toMatchObject({ ok: true });
    const files = (result as Result<{ files: ExportedFile[] }> & { ok: true }).value.files;
    expect(files.map((f) => path.basename(f.name))).toEqual(['grid.png', 'manifest.json']);
    expect(await exportFolders()).toHaveLength(1);
  }, 60_000);
});
