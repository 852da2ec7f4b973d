// Over 300 lines: every gallery request against one run trained once in the engine process, the expensive part.
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
import type { RunSummary } from '../../src/shared/run-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { engineReady, nextEvent, startTestCore } from '../support/engine-core';
import { okValue } from '../support/result-value';
import { trainUntilMapped } from '../support/tiny-run';
import { ONNX_EXPORT_FILES } from '../support/onnx-export-files';
import { largestDifference } from '../support/differences';

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

const imageOf = (pixels: Uint8Array, i: number, stride: number) =>
  pixels.subarray(i * stride, (i + 1) * stride);

beforeAll(async () => {
  importRoot = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-import-'));
  core = await startTestCore('wasm', [importRoot]);
  rootId = core.roots.list()[0]!.id;
  await engineReady(core);
  runId = await trainUntilMapped(core, SETTINGS);
}, 180_000);
afterAll(() => core?.dispose());

describe('the gallery through the engine', () => {
  it('keeps reconstructions of a fixed held-out sample for every epoch', async () => {
    const newest = okValue<ReconstructionSet>(
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
    const first = okValue<ReconstructionSet>(
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
    const sample = okValue<DecodedImages>(await core.dispatch('gallery:sample', args));
    expect(sample).toMatchObject({ count: 10, size: 28, channels: 1, latentDim: 6 });
    expect(sample.pixels.length).toBe(10 * 784);
    const again = okValue<DecodedImages>(await core.dispatch('gallery:sample', args));
    expect(Array.from(again.pixels)).toEqual(Array.from(sample.pixels));
  });

  it('interpolates between two map points, ending on their reconstructions', async () => {
    const images = okValue<DecodedImages>(
      await core.dispatch('gallery:interpolate', {
        runId,
        from: { kind: 'point', point: 3 },
        to: { kind: 'point', point: 150 },
        steps: 8,
        mode: 'spherical',
      }),
    );
    expect(images.count).toBe(8);
    const ends = okValue<ReconstructionSet>(
      await core.dispatch('gallery:reconstruct-points', { runId, points: [3, 150] }),
    );
    expect(ends).toMatchObject({ count: 2, epoch: 2 });
    expect(
      largestDifference(imageOf(images.pixels, 0, 784), imageOf(ends.reconstructions, 0, 784)),
    ).toBeLessThanOrEqual(1);
    expect(
      largestDifference(imageOf(images.pixels, 7, 784), imageOf(ends.reconstructions, 1, 784)),
    ).toBeLessThanOrEqual(1);
    const fromOrigin = await core.dispatch('gallery:interpolate', {
      runId,
      from: { kind: 'origin' },
      to: { kind: 'point', point: 3 },
      steps: 4,
      mode: 'linear',
    });
    expect(
      okValue<DecodedImages>(fromOrigin)
        .latents.subarray(0, 6)
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('traverses the dimensions with the most KL', async () => {
    const grid = okValue<TraversalImages>(
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
    okValue(
      await core.dispatch('latent:project', {
        runId,
        epoch: 2,
        settings: { ...DEFAULT_PROJECTION_SETTINGS, method: 'pca' },
      }),
    );
    const pca = await pcaLayout;
    const spot = { epoch: 2, method: 'pca' as const, x: pca.positions[0]!, y: pca.positions[1]! };
    const atPca = okValue<DecodedImages>(await core.dispatch('gallery:decode-at', { runId, spot }));
    expect(atPca).toMatchObject({ count: 1, size: 28, channels: 1 });
    expect(atPca.pixels.length).toBe(784);

    const axesLayout = nextEvent(core, 'latent:did-update-layout', (l) => l.method === 'axes' && l.final);
    okValue(
      await core.dispatch('latent:project', {
        runId,
        epoch: 2,
        settings: { ...DEFAULT_PROJECTION_SETTINGS, method: 'axes', axes: [1, 4] },
      }),
    );
    const axes = await axesLayout;
    const [x, y] = [axes.positions[10]!, axes.positions[11]!];
    const atAxes = okValue<DecodedImages>(
      await core.dispatch('gallery:decode-at', { runId, spot: { epoch: 2, method: 'axes', x, y } }),
    );
    expect(atAxes.count).toBe(1);
    // Exactly on point 5: its shown axes come back as they are.
    const means = okValue<{ means: Float32Array }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 2, method: 'axes' }),
    ).means;
    expect(atAxes.latents[1]).toBeCloseTo(means[5 * 6 + 1]!, 3);
    expect(atAxes.latents[4]).toBeCloseTo(means[5 * 6 + 4]!, 3);
    expect(
      await core.dispatch('gallery:decode-at', { runId, spot: { epoch: 2, method: 'tsne', x: 0, y: 0 } }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('exports images, grids and animations that read back to what they describe', async () => {
    const sample = okValue<DecodedImages>(
      await core.dispatch('gallery:sample', { runId, count: 6, temperature: 0.8, seed: 9 }),
    );
    const base = { runId, latents: sample.latents, columns: 3, format: 'gif' as const, label: 'samples' };
    const details = { seed: 9, temperature: 0.8 };
    const images = okValue<{ files: ExportedFile[] }>(
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
      expect(largestDifference(pixels, imageOf(sample.pixels, i, 784))).toBeLessThanOrEqual(1);
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
    const redecoded = okValue<{ files: ExportedFile[] }>(
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
      largestDifference(await downscaled(await exportedFile(redecoded[0]!), 1, 1), first),
    ).toBeLessThanOrEqual(1);

    const grid = okValue<{ files: ExportedFile[] }>(
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
      expect(largestDifference(tile, imageOf(sample.pixels, i, 784))).toBeLessThanOrEqual(1);
    }

    const animation = okValue<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export', { ...base, kind: 'animation', scale: 3, details }),
    ).files;
    expect(path.basename(animation[0]!.name)).toBe('animation.gif');
    const gif = await sharp(await exportedFile(animation[0]!)).metadata();
    expect([gif.format, gif.pages, gif.width, gif.height]).toEqual(['gif', 6, 84, 84]);
    const webp = okValue<{ files: ExportedFile[] }>(
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
    const recon = okValue<ReconstructionSet>(
      await core.dispatch('gallery:reconstruct-points', { runId, points }),
    );
    const images = okValue<{ files: ExportedFile[] }>(
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
      expect(largestDifference(pixels, imageOf(recon.originals, i, stride))).toBe(0);
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
    const grid = okValue<{ files: ExportedFile[] }>(
      await core.dispatch('gallery:export-points', { runId, points, kind: 'grid', columns: 2, scale: 1 }),
    ).files;
    const meta = await sharp(await exportedFile(grid[0]!)).metadata();
    // 2 columns × 2 rows of 28 px with a 2-px gap.
    expect([meta.width, meta.height]).toEqual([58, 58]);
  });

  it('exports the model and imports it as a run with identical reconstructions', async () => {
    const files = okValue<{ files: ExportedFile[] }>(await core.dispatch('model:export', { runId })).files;
    expect(files.map((f) => f.name)).toEqual(['model-epoch-0002/model.json', 'model-epoch-0002/weights.bin']);
    const folder = path.dirname(await exportedFile(files[0]!));
    await cp(folder, path.join(importRoot, 'model'), { recursive: true });
    await cp(folder, path.join(importRoot, 'truncated'), { recursive: true });
    const weights = path.join(importRoot, 'truncated', 'weights.bin');
    await truncate(weights, (await readFile(weights)).length - 10);

    const runsBefore = okValue<RunSummary[]>(await core.dispatch('runs:list', {}));
    const broken = await core.dispatch('model:import', { rootId, relativePath: 'truncated' });
    expect(broken).toMatchObject({ ok: false, code: 'CHECKPOINT_CORRUPT' });
    expect(!broken.ok && broken.message).toMatch(/weights\.bin has \d+ bytes/);
    expect(await core.dispatch('model:import', { rootId, relativePath: '' })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
    expect(okValue<RunSummary[]>(await core.dispatch('runs:list', {}))).toHaveLength(runsBefore.length);
    expect(await readdir(path.join(core.dataDirectory, 'runs'))).toHaveLength(runsBefore.length);

    const imported = okValue<{ runId: string }>(
      await core.dispatch('model:import', { rootId, relativePath: 'model' }),
    ).runId;
    expect(imported).not.toBe(runId);
    const opened = okValue<{ summary: RunSummary }>(await core.dispatch('runs:open', { runId: imported }));
    expect(opened.summary).toMatchObject({ state: 'completed', checkpointEpochs: [2] });
    const original = okValue<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId, epoch: 2 }),
    );
    const copy = okValue<ReconstructionSet>(
      await core.dispatch('gallery:reconstructions', { runId: imported, epoch: null }),
    );
    expect(copy.epoch).toBe(2);
    expect(Array.from(copy.originals)).toEqual(Array.from(original.originals));
    expect(Array.from(copy.reconstructions)).toEqual(Array.from(original.reconstructions));
  });

  it('exports the model as ONNX whose encoder and decoder give the app’s reconstructions', async () => {
    const files = okValue<{ files: ExportedFile[] }>(
      await core.dispatch('model:export', { runId, format: 'onnx' }),
    ).files;
    const names = ONNX_EXPORT_FILES;
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
    const recon = okValue<ReconstructionSet>(
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
      `ONNX vs app reconstructions (${count} images): max |Δ| ${largestDifference(bytes, recon.reconstructions)} levels, ${differing} of ${bytes.length} bytes differ`,
    );
    expect(largestDifference(bytes, recon.reconstructions)).toBeLessThanOrEqual(1);
    expect(differing / bytes.length).toBeLessThan(1e-3);
  });
});
