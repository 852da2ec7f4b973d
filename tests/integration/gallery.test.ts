/**
 * The gallery through the real engine process: reconstructions of the fixed sample per epoch,
 * prior samples, interpolations, traversals, decoding spots of the map, image exports that read
 * back to what they describe, and a model export that imports as an identical run.
 */
import { cp, mkdtemp, readdir, readFile, truncate } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { DecodedImages, ReconstructionSet, TraversalImages } from '../../src/shared/gallery-types';
import { DEFAULT_PROJECTION_SETTINGS, type ExportedFile } from '../../src/shared/projection-types';
import type { Result } from '../../src/shared/result';
import type { RunSummary } from '../../src/shared/run-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { engineReady, nextEvent, startTestCore } from '../support/engine-core';

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'mnist',
  trainLimit: 1_024,
  testLimit: 256,
  displayCount: 200,
  mapEveryBatches: 0,
  epochs: 2,
  batchSize: 64,
  latentDim: 6,
  seed: 7,
};

let core: AppCore;
let runId: string;
/** Where model folders are copied so `model:import` may read them (an allowed root). */
let importRoot: string;
let rootId: string;

function value<T>(result: Result<unknown>): T {
  expect(result).toMatchObject({ ok: true });
  if (!result.ok) throw new Error(result.message);
  return result.value as T;
}

async function exportedFile(file: ExportedFile): Promise<string> {
  const media = (await core.media(file.mediaPath)) as { file?: string };
  expect(media.file).toBeDefined();
  return media.file!;
}

/** Raw pixels of an exported image, every `scale`-th pixel (back at the model's resolution). */
async function downscaled(file: string, scale: number, channels: number): Promise<Uint8Array> {
  // Without 'b-w', sharp hands grayscale files out as sRGB.
  const image = channels === 1 ? sharp(file).toColourspace('b-w') : sharp(file);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(channels);
  const side = info.width / scale;
  const out = new Uint8Array(side * side * channels);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      for (let c = 0; c < channels; c++) {
        out[(y * side + x) * channels + c] = data[(y * scale * info.width + x * scale) * channels + c]!;
      }
    }
  }
  return out;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

const imageOf = (pixels: Uint8Array, i: number, stride: number) =>
  pixels.subarray(i * stride, (i + 1) * stride);

beforeAll(async () => {
  importRoot = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-import-'));
  core = await startTestCore('wasm', [importRoot]);
  rootId = core.roots.list()[0]!.id;
  await engineReady(core);
  const started = nextEvent(core, 'train:did-change-state', (s) => s.runId !== null);
  const finished = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
  // The last epoch's map is laid out off the training thread, so it can land after "completed".
  const lastLayout = nextEvent(
    core,
    'latent:did-update-layout',
    (l) => l.epoch === SETTINGS.epochs && l.final,
    120_000,
  );
  value(await core.dispatch('train:start', SETTINGS));
  runId = (await started).runId!;
  await Promise.all([finished, lastLayout]);
}, 180_000);
afterAll(() => core?.dispose());

describe('the gallery through the engine', () => {
  it('keeps reconstructions of a fixed held-out sample for every epoch', async () => {
    const newest = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId, epoch: null }),
    );
    expect(newest).toMatchObject({ runId, epoch: 2, count: 32, size: 28, channels: 1, epochs: [1, 2] });
    expect(newest.originals.length).toBe(32 * 784);
    expect(newest.reconstructions.length).toBe(32 * 784);
    expect(newest.names).toHaveLength(32);
    // Stratified: every digit appears, three or four times.
    const perClass = new Array<number>(10).fill(0);
    for (const label of newest.labels) perClass[label]! += 1;
    expect(Math.min(...perClass)).toBeGreaterThanOrEqual(3);
    const first = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId, epoch: 1 }),
    );
    expect(first.epoch).toBe(1);
    expect(Array.from(first.originals)).toEqual(Array.from(newest.originals));
    expect(Array.from(first.reconstructions)).not.toEqual(Array.from(newest.reconstructions));
    const mean = (errors: Float32Array) => errors.reduce((a, b) => a + b, 0) / errors.length;
    expect(newest.errors.every(Number.isFinite) && first.errors.every(Number.isFinite)).toBe(true);
    expect(mean(newest.errors)).toBeLessThanOrEqual(mean(first.errors));
    expect(await core.dispatch('gallery:reconstructions', { runId, epoch: 3 })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('samples the prior, seeded', async () => {
    const args = { runId, count: 10, temperature: 1, seed: 3 };
    const sample = value<DecodedImages>(await core.dispatch('gallery:sample', args));
    expect(sample).toMatchObject({ count: 10, size: 28, channels: 1, latentDim: 6 });
    expect(sample.pixels.length).toBe(10 * 784);
    const again = value<DecodedImages>(await core.dispatch('gallery:sample', args));
    expect(Array.from(again.pixels)).toEqual(Array.from(sample.pixels));
  });

  it('interpolates between two map points, ending on their reconstructions', async () => {
    const images = value<DecodedImages>(
      await core.dispatch('gallery:interpolate', {
        runId,
        from: { kind: 'point', point: 3 },
        to: { kind: 'point', point: 150 },
        steps: 8,
        mode: 'spherical',
      }),
    );
    expect(images.count).toBe(8);
    const ends = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstruct-points', { runId, points: [3, 150] }),
    );
    expect(ends).toMatchObject({ count: 2, epoch: 2 });
    expect(
      maxDifference(imageOf(images.pixels, 0, 784), imageOf(ends.reconstructions, 0, 784)),
    ).toBeLessThanOrEqual(1);
    expect(
      maxDifference(imageOf(images.pixels, 7, 784), imageOf(ends.reconstructions, 1, 784)),
    ).toBeLessThanOrEqual(1);
    const fromOrigin = await core.dispatch('gallery:interpolate', {
      runId,
      from: { kind: 'origin' },
      to: { kind: 'point', point: 3 },
      steps: 4,
      mode: 'linear',
    });
    expect(
      value<DecodedImages>(fromOrigin)
        .latents.subarray(0, 6)
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('traverses the dimensions with the most KL', async () => {
    const grid = value<TraversalImages>(
      await core.dispatch('gallery:traverse', {
        runId,
        around: { kind: 'origin' },
        dimensions: 3,
        steps: 5,
        range: 2,
      }),
    );
    expect(grid.count).toBe(15);
    expect(grid.pixels.length).toBe(15 * 784);
    expect(grid.dimensions).toHaveLength(3);
    expect(new Set(grid.dimensions).size).toBe(3);
    expect(grid.offsets).toEqual([-2, -1, 0, 1, 2]);
  });

  it('decodes spots of the PCA and raw-axes maps', async () => {
    // The run's maps are UMAP by default: PCA is laid out on request.
    const pcaLayout = nextEvent(core, 'latent:did-update-layout', (l) => l.method === 'pca' && l.final);
    value(
      await core.dispatch('latent:project', {
        runId,
        epoch: 2,
        settings: { ...DEFAULT_PROJECTION_SETTINGS, method: 'pca' },
      }),
    );
    const pca = await pcaLayout;
    const spot = { epoch: 2, method: 'pca' as const, x: pca.positions[0]!, y: pca.positions[1]! };
    const atPca = value<DecodedImages>(await core.dispatch('gallery:decode-at', { runId, spot }));
    expect(atPca).toMatchObject({ count: 1, size: 28, channels: 1 });
    expect(atPca.pixels.length).toBe(784);

    const axesLayout = nextEvent(core, 'latent:did-update-layout', (l) => l.method === 'axes' && l.final);
    value(
      await core.dispatch('latent:project', {
        runId,
        epoch: 2,
        settings: { ...DEFAULT_PROJECTION_SETTINGS, method: 'axes', axes: [1, 4] },
      }),
    );
    const axes = await axesLayout;
    const [x, y] = [axes.positions[10]!, axes.positions[11]!];
    const atAxes = value<DecodedImages>(
      await core.dispatch('gallery:decode-at', { runId, spot: { epoch: 2, method: 'axes', x, y } }),
    );
    expect(atAxes.count).toBe(1);
    // Exactly on point 5: its shown axes come back as they are.
    const means = value<{ means: Float32Array }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 2, method: 'axes' }),
    ).means;
    expect(atAxes.latents[1]).toBeCloseTo(means[5 * 6 + 1]!, 3);
    expect(atAxes.latents[4]).toBeCloseTo(means[5 * 6 + 4]!, 3);
    expect(
      await core.dispatch('gallery:decode-at', { runId, spot: { epoch: 2, method: 'tsne', x: 0, y: 0 } }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('exports images, grids and animations that read back to what they describe', async () => {
    const sample = value<DecodedImages>(
      await core.dispatch('gallery:sample', { runId, count: 6, temperature: 0.8, seed: 9 }),
    );
    const base = { runId, latents: sample.latents, columns: 3, format: 'gif' as const, label: 'samples' };
    const details = { seed: 9, temperature: 0.8 };
    const images = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export', { ...base, kind: 'images', scale: 2, details }),
    ).files;
    expect(images.map((f) => path.basename(f.name))).toEqual([
      'image-001.png',
      'image-002.png',
      'image-003.png',
      'image-004.png',
      'image-005.png',
      'image-006.png',
      'manifest.json',
    ]);
    for (let i = 0; i < 6; i++) {
      const file = await exportedFile(images[i]!);
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height, meta.channels]).toEqual([56, 56, 1]);
      const pixels = await downscaled(file, 2, 1);
      expect(maxDifference(pixels, imageOf(sample.pixels, i, 784))).toBeLessThanOrEqual(1);
    }
    const manifest = JSON.parse(await readFile(await exportedFile(images[6]!), 'utf8')) as {
      runId: string;
      epoch: number;
      latentDim: number;
      latents: number[][];
      details: Record<string, unknown>;
      settings: TrainSettings;
      files: string[];
    };
    expect(manifest).toMatchObject({ runId, epoch: 2, latentDim: 6, details, settings: { seed: 7 } });
    expect(manifest.files).toHaveLength(6);
    expect(Array.from(Float32Array.from(manifest.latents.flat()))).toEqual(Array.from(sample.latents));
    // Decoding the manifest's latents again gives the exported pixels.
    const redecoded = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export', {
        ...base,
        latents: Float32Array.from(manifest.latents.flat()),
        kind: 'images',
        scale: 1,
        details: {},
      }),
    ).files;
    const first = await downscaled(await exportedFile(images[0]!), 2, 1);
    expect(
      maxDifference(await downscaled(await exportedFile(redecoded[0]!), 1, 1), first),
    ).toBeLessThanOrEqual(1);

    const grid = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export', { ...base, kind: 'grid', scale: 1, details }),
    ).files;
    expect(grid.map((f) => path.basename(f.name))).toEqual(['grid.png', 'manifest.json']);
    const { data, info } = await sharp(await exportedFile(grid[0]!))
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([3 * 28 + 4, 2 * 28 + 2, 1]);
    for (let i = 0; i < 6; i++) {
      const [left, top] = [(i % 3) * 30, Math.floor(i / 3) * 30];
      const tile = new Uint8Array(784);
      for (let y = 0; y < 28; y++)
        tile.set(data.subarray((top + y) * info.width + left, (top + y) * info.width + left + 28), y * 28);
      expect(maxDifference(tile, imageOf(sample.pixels, i, 784))).toBeLessThanOrEqual(1);
    }

    const animation = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export', { ...base, kind: 'animation', scale: 3, details }),
    ).files;
    expect(path.basename(animation[0]!.name)).toBe('animation.gif');
    const gif = await sharp(await exportedFile(animation[0]!)).metadata();
    expect([gif.format, gif.pages, gif.width, gif.height]).toEqual(['gif', 6, 84, 84]);
    const webp = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export', {
        ...base,
        kind: 'animation',
        format: 'webp',
        scale: 1,
        details,
      }),
    ).files;
    expect((await sharp(await exportedFile(webp[0]!)).metadata()).pages).toBe(6);

    expect(
      await core.dispatch('gallery:export', {
        ...base,
        latents: new Float32Array(7),
        kind: 'grid',
        scale: 1,
        details,
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  it('exports the images of selected map points with their files and codes', async () => {
    const points = [4, 11, 25];
    const recon = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstruct-points', { runId, points }),
    );
    const images = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export-points', { runId, points, kind: 'images', columns: 2, scale: 3 }),
    ).files;
    expect(images.map((f) => path.basename(f.name))).toEqual([
      'image-001.png',
      'image-002.png',
      'image-003.png',
      'manifest.json',
    ]);
    const stride = 28 * 28;
    for (let i = 0; i < 3; i++) {
      // The dataset's own pixels, exactly, at 3×.
      const pixels = await downscaled(await exportedFile(images[i]!), 3, 1);
      expect(maxDifference(pixels, imageOf(recon.originals, i, stride))).toBe(0);
    }
    const manifest = JSON.parse(await readFile(await exportedFile(images[3]!), 'utf8')) as {
      sources: { file: string; label: string }[];
      latents: number[][];
    };
    expect(manifest.sources.map((s) => s.file)).toEqual(recon.names);
    expect(manifest.latents).toHaveLength(3);
    expect(manifest.latents.every((z) => z.length === SETTINGS.latentDim && z.every(Number.isFinite))).toBe(
      true,
    );
    const grid = value<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export-points', { runId, points, kind: 'grid', columns: 2, scale: 1 }),
    ).files;
    const meta = await sharp(await exportedFile(grid[0]!)).metadata();
    // 2 columns × 2 rows of 28 px with a 2-px gap.
    expect([meta.width, meta.height]).toEqual([58, 58]);
  });

  it('exports the model and imports it as a run with identical reconstructions', async () => {
    const files = value<{ files: ExportedFile[] }>(await core.dispatch('model:export', { runId })).files;
    expect(files.map((f) => f.name)).toEqual(['model-epoch-0002/model.json', 'model-epoch-0002/weights.bin']);
    const folder = path.dirname(await exportedFile(files[0]!));
    await cp(folder, path.join(importRoot, 'model'), { recursive: true });
    await cp(folder, path.join(importRoot, 'truncated'), { recursive: true });
    const weights = path.join(importRoot, 'truncated', 'weights.bin');
    await truncate(weights, (await readFile(weights)).length - 10);

    const runsBefore = value<RunSummary[]>(await core.dispatch('runs:list', {}));
    const broken = await core.dispatch('model:import', { rootId, relativePath: 'truncated' });
    expect(broken).toMatchObject({ ok: false, code: 'CHECKPOINT_CORRUPT' });
    expect(!broken.ok && broken.message).toMatch(/weights\.bin has \d+ bytes/);
    expect(await core.dispatch('model:import', { rootId, relativePath: '' })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
    expect(value<RunSummary[]>(await core.dispatch('runs:list', {}))).toHaveLength(runsBefore.length);
    expect(await readdir(path.join(core.dataDirectory, 'runs'))).toHaveLength(runsBefore.length);

    const imported = value<{ runId: string }>(
      await core.dispatch('model:import', { rootId, relativePath: 'model' }),
    ).runId;
    expect(imported).not.toBe(runId);
    const opened = value<{ summary: RunSummary }>(await core.dispatch('runs:open', { runId: imported }));
    expect(opened.summary).toMatchObject({ state: 'completed', checkpointEpochs: [2] });
    const original = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId, epoch: 2 }),
    );
    const copy = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId: imported, epoch: null }),
    );
    expect(copy.epoch).toBe(2);
    expect(Array.from(copy.originals)).toEqual(Array.from(original.originals));
    expect(Array.from(copy.reconstructions)).toEqual(Array.from(original.reconstructions));
  });

  it('exports the model as ONNX whose encoder and decoder give the app’s reconstructions', async () => {
    const files = value<{ files: ExportedFile[] }>(
      await core.dispatch('model:export', { runId, format: 'onnx' }),
    ).files;
    const names = [
      'encoder.onnx',
      'decoder.onnx',
      'model-config.json',
      'README.md',
      'sample.py',
      'sample.mjs',
    ];
    expect(files.map((f) => f.name)).toEqual(names.map((name) => `model-epoch-0002-onnx/${name}`));
    const folder = path.dirname(await exportedFile(files[0]!));
    const config = JSON.parse(await readFile(path.join(folder, 'model-config.json'), 'utf8'));
    expect(config).toMatchObject({
      latentDim: 6,
      imageSize: 28,
      channels: 1,
      likelihood: SETTINGS.likelihood,
    });
    const readme = await readFile(path.join(folder, 'README.md'), 'utf8');
    expect(readme).toContain('`z`: float32 [N, 6]');
    expect(readme).toContain('`pixels`: float32 [N, 28, 28, 1]');

    // The app's own reconstructions (tfjs, epoch 2): sigmoid(decode(encoder mean)), as bytes.
    const recon = value<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId, epoch: 2 }),
    );
    const { count, size, channels } = recon;
    const encoder = await ort.InferenceSession.create(path.join(folder, 'encoder.onnx'));
    const decoder = await ort.InferenceSession.create(path.join(folder, 'decoder.onnx'));
    const x = new ort.Tensor(
      'float32',
      Float32Array.from(recon.originals, (v) => v / 255),
      [count, size, size, channels],
    );
    const { mean } = await encoder.run({ x });
    const { pixels } = await decoder.run({ z: mean! });
    await Promise.all([encoder.release(), decoder.release()]);
    const decoded = pixels!.data;
    if (!(decoded instanceof Float32Array)) throw new Error(`decoder output is ${pixels!.type}, not float32`);
    const bytes = Uint8Array.from(decoded, (v) => Math.min(255, Math.max(0, Math.round(v * 255))));
    // Float sums in another order can tip a value across a rounding boundary: one level at most, rarely.
    const differing = bytes.filter((v, i) => v !== recon.reconstructions[i]).length;
    console.log(
      `ONNX vs app reconstructions (${count} images): max |Δ| ${maxDifference(bytes, recon.reconstructions)} levels, ${differing} of ${bytes.length} bytes differ`,
    );
    expect(maxDifference(bytes, recon.reconstructions)).toBeLessThanOrEqual(1);
    expect(differing / bytes.length).toBeLessThan(1e-3);
  });
});
