/**
 * The live latent map through the real engine process: per-epoch layouts stored with the run and
 * announced, re-projection with another method (progress, intermediate frames, cancel), the
 * timeline, exports that parse back to the same numbers, and point images / reconstructions.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import {
  DEFAULT_PROJECTION_SETTINGS,
  mediaPaths,
  type LatentLayout,
  type LatentPoints,
} from '../../src/shared/projection-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { nextEvent, startReadyCore } from '../support/engine-core';
import { okValue } from '../support/result-value';

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'mnist',
  trainLimit: 1_024,
  testLimit: 256,
  displayCount: 600,
  mapEveryBatches: 4,
  epochs: 2,
  batchSize: 64,
  latentDim: 8,
  seed: 5,
};

let core: AppCore;
let runId: string;
const layouts: LatentLayout[] = [];

/** RFC 4180 CSV (quoted text, bare numbers, CRLF rows; no line breaks inside fields here). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let at = 0;
      while (at <= line.length) {
        if (line[at] === '"') {
          let end = at + 1;
          while (end < line.length && !(line[end] === '"' && line[end + 1] !== '"'))
            end += line[end] === '"' ? 2 : 1;
          cells.push(line.slice(at + 1, end).replaceAll('""', '"'));
          at = end + 2;
        } else {
          const end = line.indexOf(',', at);
          cells.push(line.slice(at, end < 0 ? line.length : end));
          at = end < 0 ? line.length + 1 : end + 1;
        }
      }
      return cells;
    });
}

beforeAll(async () => {
  core = await startReadyCore('wasm');
  core.events.subscribe((name, payload) => {
    if (name === 'latent:did-update-layout') layouts.push(payload as LatentLayout);
  });
  const started = nextEvent(core, 'train:did-change-state', (s) => s.runId !== null);
  const finished = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
  okValue(await core.dispatch('train:start', SETTINGS));
  runId = (await started).runId!;
  await finished;
  // The epoch-2 layout follows the end of training (it is computed off the training thread).
  if (!layouts.some((l) => l.epoch === 2 && l.final)) {
    await nextEvent(core, 'latent:did-update-layout', (l) => l.epoch === 2 && l.final);
  }
}, 180_000);
afterAll(() => core?.dispose());

describe('the latent map through the engine', () => {
  it('lays out every epoch with the default method and stores it with the run', async () => {
    const finals = layouts.filter((l) => l.runId === runId && l.final && Number.isInteger(l.epoch));
    expect(finals.map((l) => l.epoch)).toEqual([1, 2]);
    for (const layout of finals) {
      expect(layout.method).toBe('umap');
      expect(layout.count).toBe(600);
      expect(layout.positions).toBeInstanceOf(Float32Array);
      expect(layout.positions.length).toBe(1_200);
      expect(layout.positions.every(Number.isFinite)).toBe(true);
    }
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    expect(points).toMatchObject({ count: 600, latentDim: 8, epochs: [1, 2] });
    expect(points.names).toHaveLength(600);
    expect(points.names[0]).toMatch(/^mnist #\d+$/);
    // Stratified: 60 of each digit, all of them held-out images (the split has 7,000).
    const perClass = new Array<number>(10).fill(0);
    for (const label of points.labels) perClass[label]! += 1;
    expect(perClass).toEqual(new Array<number>(10).fill(60));
    expect(points.heldOut.every((h) => h === 1)).toBe(true);
    const epoch1 = okValue<{ means: Float32Array; layout: LatentLayout | null }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 1, method: 'umap' }),
    );
    expect(epoch1.means.length).toBe(600 * 8);
    expect(Array.from(epoch1.layout!.positions)).toEqual(Array.from(finals[0]!.positions));
    const missing = await core.dispatch('latent:get-epoch', { runId, epoch: 1, method: 'tsne' });
    expect(okValue<{ layout: null }>(missing).layout).toBeNull();
  });

  it('also redraws the map part-way through epochs, without storing those frames', async () => {
    // 16 batches per epoch, a map every 4: at 0.25, 0.5 and 0.75 of each epoch (when the worker is free).
    const partWay = layouts.filter((l) => l.runId === runId && !Number.isInteger(l.epoch));
    expect(partWay.length).toBeGreaterThan(0);
    for (const layout of partWay) {
      expect([0.25, 0.5, 0.75, 1.25, 1.5, 1.75]).toContain(layout.epoch);
      expect(layout.positions.length).toBe(1_200);
    }
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    expect(points.epochs).toEqual([1, 2]);
  });

  it('re-projects an epoch with t-SNE, with progress and intermediate frames, then stores it', async () => {
    const settings = { ...DEFAULT_PROJECTION_SETTINGS, method: 'tsne' as const, iterations: 500 };
    const progress = nextEvent(core, 'latent:did-progress', (p) => p.runId === runId);
    const started = okValue<{ jobId: string }>(
      await core.dispatch('latent:project', { runId, epoch: 1, settings }),
    );
    const final = await nextEvent(
      core,
      'latent:did-update-layout',
      (l) => l.jobId === started.jobId && l.final,
      60_000,
    );
    expect((await progress).jobId).toBe(started.jobId);
    expect(final).toMatchObject({ runId, epoch: 1, method: 'tsne', count: 600 });
    const stored = okValue<{ layout: LatentLayout | null }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 1, method: 'tsne' }),
    );
    expect(Array.from(stored.layout!.positions)).toEqual(Array.from(final.positions));
    // The run now projects with t-SNE: later epochs and reopened maps use it.
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    expect(points.projection.method).toBe('tsne');
  });

  it('cancels a long t-SNE', async () => {
    const settings = { ...DEFAULT_PROJECTION_SETTINGS, method: 'tsne' as const, iterations: 10_000 };
    const { jobId } = okValue<{ jobId: string }>(
      await core.dispatch('latent:project', { runId, epoch: 2, settings }),
    );
    await nextEvent(core, 'latent:did-progress', (p) => p.jobId === jobId);
    const asked = performance.now();
    const stopped = nextEvent(core, 'latent:did-stop', (s) => s.jobId === jobId);
    expect(await core.dispatch('job:cancel', { jobId })).toMatchObject({ ok: true });
    expect((await stopped).reason).toBe('cancelled');
    expect(performance.now() - asked).toBeLessThan(2_000);
    // Training and pings were never blocked by it, and the engine still answers.
    expect(await core.dispatch('app:ping', {})).toMatchObject({ ok: true });
  });

  it('exports CSV and TensorBoard projector files that parse back to the same numbers', async () => {
    const epoch = okValue<{ means: Float32Array; layout: LatentLayout }>(
      await core.dispatch('latent:get-epoch', { runId, epoch: 2, method: 'umap' }),
    );
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    const csv = okValue<{ files: { name: string; mediaPath: string }[] }>(
      await core.dispatch('latent:export', { runId, epoch: 2, method: 'umap', format: 'csv' }),
    );
    expect(csv.files).toHaveLength(1);
    const media = await core.media(csv.files[0]!.mediaPath);
    expect(media.kind).toBe('file');
    const rows = parseCsv(await readFile((media as { file: string }).file, 'utf8'));
    expect(rows[0]!.slice(0, 6)).toEqual(['index', 'file', 'label', 'split', 'umap_x', 'umap_y']);
    expect(rows).toHaveLength(601);
    for (const i of [0, 17, 599]) {
      const row = rows[i + 1]!;
      expect(row[1]).toBe(points.names[i]);
      expect(row[2]).toBe(points.classNames[points.labels[i]!]);
      expect(Math.fround(Number(row[4]))).toBe(epoch.layout.positions[i * 2]);
      expect(Math.fround(Number(row[5]))).toBe(epoch.layout.positions[i * 2 + 1]);
      const means = row.slice(6, 14).map((v) => Math.fround(Number(v)));
      expect(means).toEqual(Array.from(epoch.means.subarray(i * 8, i * 8 + 8)));
    }

    const projector = okValue<{ files: { name: string; mediaPath: string }[] }>(
      await core.dispatch('latent:export', { runId, epoch: 2, method: 'umap', format: 'projector' }),
    );
    expect(projector.files.map((f) => f.name)).toEqual([
      'projector-epoch-0002/vectors.tsv',
      'projector-epoch-0002/metadata.tsv',
    ]);
    const [vectorsFile, metadataFile] = await Promise.all(
      projector.files.map(async (f) => (await core.media(f.mediaPath)) as { file: string }),
    );
    const vectors = (await readFile(vectorsFile!.file, 'utf8')).trim().split('\n');
    const metadata = (await readFile(metadataFile!.file, 'utf8')).trim().split('\n');
    expect(vectors).toHaveLength(600);
    expect(metadata).toHaveLength(601);
    expect(metadata[0]).toBe('label\tfile\tsplit');
    const row = vectors[42]!.split('\t').map((v) => Math.fround(Number(v)));
    expect(row).toEqual(Array.from(epoch.means.subarray(42 * 8, 43 * 8)));
    expect(metadata[43]!.split('\t')).toEqual([
      points.classNames[points.labels[42]!],
      points.names[42],
      'held-out',
    ]);
    // Nothing outside the run's exports folder can be reached through a media path.
    for (const bad of [
      `export/${runId}/../config.json`,
      `export/${runId}/%2e%2e%2fconfig.json`,
      `export/../../etc/passwd`,
    ]) {
      expect((await core.media(bad)).kind).toBe('missing');
    }
  });

  it('serves point images and their reconstructions as PNG', async () => {
    for (const path of [mediaPaths.image(runId, 3), mediaPaths.reconstruction(runId, 3)]) {
      const media = await core.media(path);
      expect(media.kind).toBe('bytes');
      const info = await sharp((media as { bytes: Uint8Array }).bytes).metadata();
      expect([info.format, info.width, info.height, info.channels]).toEqual(['png', 28, 28, 1]);
    }
    expect((await core.media(mediaPaths.image(runId, 600))).kind).toBe('missing');
    expect((await core.media('image/not-a-run/1.png')).kind).toBe('missing');
  });
});
