// Over 300 lines: its three parts read one folder trained on for 40 epochs once in the engine process.
/**
 * "Find the odd ones" through the real engine process: a small ImageFolder of smooth images with
 * three planted oddities (noise, an inverted image, a checkerboard) is opened and trained on as a
 * user would, and the per-point negative ELBO ranks the three planted files first. The scores are
 * the training loss's own terms (their held-out mean is evaluate()'s held-out loss), are kept per
 * checkpoint epoch and recomputed when damaged; dropped files are placed exactly as dataset files
 * are prepared; a grid of map spots decodes as each spot does alone.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { decodeImage } from '../../src/main/engine/data/folder/decode-image';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import { createModel } from '../../src/main/engine/model/create-model';
import { evaluate } from '../../src/main/engine/train/evaluate';
import { mulberry32 } from '../../src/main/engine/random';
import { checkpointDirName, readCheckpoint, restoreModel } from '../../src/main/engine/train/checkpoint';
import type { DatasetSummary, Preprocessing } from '../../src/shared/dataset-types';
import type { DecodedImages } from '../../src/shared/gallery-types';
import {
  DEFAULT_PROJECTION_SETTINGS,
  type EpochLatents,
  type LatentPoints,
  type PlacedImage,
  type PointScores,
  type SkippedImage,
} from '../../src/shared/projection-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { nextEvent, startReadyCore } from '../support/engine-core';
import { okValue } from '../support/result-value';
import { trainUntilMapped } from '../support/tiny-run';

const SIDE = 16;
const PRE: Preprocessing = { size: 28, channels: 'rgb', fit: 'stretch', background: '#000000' };
const PER_CLASS = 85;
const PLANTED = ['blobs/odd-noise.png', 'blobs/odd-inverted.png', 'sky/odd-checkerboard.png'];

let core: AppCore;
let root: string;
let runsRoot: string;
let runId: string;
let settings: TrainSettings;

type Pixel = [number, number, number];
const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

function image(colourAt: (x: number, y: number) => Pixel): Buffer {
  const pixels = Buffer.alloc(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) pixels.set(colourAt(x, y).map(clamp), (y * SIDE + x) * 3);
  }
  return pixels;
}

/** Three classes of smooth images, each a little different: a warm blob on dark, two gradients. */
function normalImage(kind: string, random: () => number): Buffer {
  const jitter = (spread: number) => (random() - 0.5) * 2 * spread;
  if (kind === 'blobs') {
    const [cx, cy, radius] = [7.5 + jitter(2), 7.5 + jitter(2), 3.5 + random() * 1.5];
    const colour: Pixel = [225 + jitter(25), 110 + jitter(30), 40 + jitter(15)];
    return image((x, y) => {
      const w = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius ** 2));
      return [20 + w * (colour[0] - 20), 20 + w * (colour[1] - 20), 30 + w * (colour[2] - 30)];
    });
  }
  const [from, to]: [Pixel, Pixel] =
    kind === 'sky'
      ? [
          [60 + jitter(15), 120 + jitter(15), 200 + jitter(15)],
          [200 + jitter(15), 220 + jitter(15), 250 + jitter(5)],
        ]
      : [
          [30 + jitter(15), 120 + jitter(15), 40 + jitter(15)],
          [150 + jitter(15), 200 + jitter(15), 60 + jitter(15)],
        ];
  return image((x, y) => {
    const t = (kind === 'sky' ? y : x) / (SIDE - 1);
    return [0, 1, 2].map((c) => from[c]! * (1 - t) + to[c]! * t) as Pixel;
  });
}

const png = (pixels: Buffer) => sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png();

async function writeDataset(folder: string): Promise<void> {
  const random = mulberry32(2024);
  for (const kind of ['blobs', 'sky', 'grass']) {
    await mkdir(path.join(folder, kind), { recursive: true });
    for (let i = 0; i < PER_CLASS; i++) {
      await png(normalImage(kind, random)).toFile(
        path.join(folder, kind, `${kind}-${String(i).padStart(3, '0')}.png`),
      );
    }
  }
  const noise = image(() => [random() * 255, random() * 255, random() * 255]);
  await png(noise).toFile(path.join(folder, PLANTED[0]!));
  const inverted = Buffer.from(normalImage('blobs', random).map((v) => 255 - v));
  await png(inverted).toFile(path.join(folder, PLANTED[1]!));
  const checkerboard = image((x, y) => (((x >> 1) + (y >> 1)) % 2 === 0 ? [250, 250, 250] : [5, 5, 5]));
  await png(checkerboard).toFile(path.join(folder, PLANTED[2]!));
}

beforeAll(async () => {
  const base = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-odd-images-'));
  root = path.join(base, 'images');
  await writeDataset(root);
  const dataDirectory = path.join(base, 'data');
  await mkdir(dataDirectory);
  runsRoot = path.join(dataDirectory, 'runs');
  core = await startReadyCore('wasm', [root], dataDirectory);
  const rootId = core.roots.list()[0]!.id;
  const opening = okValue<{ jobId: string }>(
    await core.dispatch('dataset:open', {
      source: { kind: 'folder', rootId, relativePath: '' },
      preprocessing: PRE,
    }),
  );
  const { summary } = await nextEvent(core, 'dataset:did-open', (e) => e.jobId === opening.jobId);
  expect((summary as DatasetSummary).count).toBe(3 * PER_CLASS + PLANTED.length);
  settings = {
    ...DEFAULT_TRAIN_SETTINGS,
    datasetId: summary.datasetId,
    likelihood: 'discretized-logistic',
    trainLimit: 1_000,
    testLimit: 1_000,
    displayCount: 1_000,
    mapEveryBatches: 0,
    epochs: 40,
    batchSize: 32,
    learningRate: 3e-3,
    latentDim: 8,
    width: 128,
    seed: 5,
  };
  runId = await trainUntilMapped(core, settings);
}, 180_000);
afterAll(() => core?.dispose());

const scoresFile = () =>
  path.join(runsRoot, runId, 'layouts', `epoch-${String(settings.epochs).padStart(4, '0')}.scores.f32`);

describe('per-point scores through the engine', () => {
  it('ranks the three planted odd images first by negative ELBO', async () => {
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    expect(points.count).toBe(3 * PER_CLASS + PLANTED.length);
    const scores = okValue<PointScores>(await core.dispatch('latent:get-scores', { runId }));
    expect(scores).toMatchObject({ runId, epoch: settings.epochs, count: points.count, samples: 4 });
    expect(scores.negElbo).toBeInstanceOf(Float32Array);
    const ranked = Array.from(scores.negElbo, (score, i) => ({ name: points.names[i]!, score })).sort(
      (a, b) => b.score - a.score,
    );
    const rest = ranked.slice(3).map((r) => r.score);
    console.info(
      `planted: ${ranked
        .slice(0, 3)
        .map((r) => `${r.name} ${r.score.toFixed(0)}`)
        .join(
          ', ',
        )}; the rest: highest ${rest[0]!.toFixed(0)}, median ${rest[rest.length >> 1]!.toFixed(0)} nats`,
    );
    expect(
      ranked
        .slice(0, 3)
        .map((r) => r.name)
        .sort(),
    ).toEqual([...PLANTED].sort());
    for (let i = 0; i < scores.count; i++) {
      expect(scores.negElbo[i]).toBeCloseTo(scores.reconstruction[i]! + scores.kl[i]!, 1);
      expect(scores.kl[i]).toBeGreaterThanOrEqual(0);
    }
  });

  it('averages, over the held-out points, to evaluate()’s held-out loss of the same model', async () => {
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    const scores = okValue<PointScores>(await core.dispatch('latent:get-scores', { runId }));
    const heldOut = points.names.flatMap((name, i) => (points.heldOut[i] ? [{ name, i }] : []));
    expect(heldOut.length).toBeGreaterThan(20);
    // The held-out images as the dataset prepared them, and the checkpoint the scores name.
    const stride = 28 * 28 * 3;
    const set: ImageSet = {
      pixels: new Uint8Array(heldOut.length * stride),
      labels: new Uint8Array(heldOut.length),
      count: heldOut.length,
      size: 28,
      channels: 3,
      classNames: [],
      metadata: [],
    };
    for (const [k, { name }] of heldOut.entries()) {
      set.pixels.set(await decodeImage(path.join(root, name), PRE), k * stride);
    }
    await tf.setBackend('cpu');
    const checkpoint = await readCheckpoint(
      path.join(runsRoot, runId, 'checkpoints', checkpointDirName(scores.epoch)),
    );
    const model = createModel(settings, 28, 3);
    try {
      restoreModel(model, checkpoint);
      const subset = { set, indices: Uint32Array.from(heldOut, (_, k) => k) };
      const losses: number[] = [];
      for (const seed of [1, 2, 3, 4])
        losses.push((await evaluate(model, subset, seed, settings.likelihood)).loss);
      const evaluated = losses.reduce((a, b) => a + b, 0) / losses.length;
      const scored = heldOut.reduce((sum, { i }) => sum + scores.negElbo[i]!, 0) / heldOut.length;
      console.info(
        `held-out mean negElbo ${scored.toFixed(1)} nats; evaluate() ${losses.map((l) => l.toFixed(1)).join(', ')}`,
      );
      expect(Math.abs(scored - evaluated) / evaluated).toBeLessThan(0.01);
    } finally {
      model.dispose();
    }
  });

  it('keeps the scores in the run’s layouts folder and recomputes a damaged file instead of failing', async () => {
    const first = okValue<PointScores>(await core.dispatch('latent:get-scores', { runId }));
    const kept = await readFile(scoresFile());
    expect(kept.byteLength).toBe(3 * first.count * 4);
    const again = okValue<PointScores>(await core.dispatch('latent:get-scores', { runId }));
    expect(Array.from(again.negElbo)).toEqual(Array.from(first.negElbo));
    await writeFile(scoresFile(), kept.subarray(0, 100));
    const recomputed = okValue<PointScores>(await core.dispatch('latent:get-scores', { runId }));
    expect(Array.from(recomputed.negElbo)).toEqual(Array.from(first.negElbo));
    expect((await readFile(scoresFile())).byteLength).toBe(3 * first.count * 4);
    expect(await core.dispatch('latent:get-scores', { runId: '20990101-000000-none' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});

describe('images from outside the dataset', () => {
  it('are prepared as the dataset was, encoded where the dataset’s own copy lies, and bad files skipped', async () => {
    const points = okValue<LatentPoints>(await core.dispatch('latent:get-points', { runId }));
    const epoch = okValue<EpochLatents>(
      await core.dispatch('latent:get-epoch', { runId, epoch: settings.epochs, method: 'pca' }),
    );
    const name = 'sky/sky-004.png';
    const point = points.names.indexOf(name);
    const fileBytes = new Uint8Array(await readFile(path.join(root, name)));
    const jpeg = new Uint8Array(
      await png(normalImage('grass', mulberry32(9)))
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    const noiseBytes = new Uint8Array(await readFile(path.join(root, PLANTED[0]!)));
    const answer = okValue<{ placed: PlacedImage[]; skipped: SkippedImage[] }>(
      await core.dispatch('latent:place-images', {
        runId,
        images: [
          { name: 'copy of sky.png', bytes: fileBytes },
          { name: 'garbage.jpg', bytes: new TextEncoder().encode('definitely not a JPEG') },
          { name: 'meadow.jpg', bytes: jpeg },
          { name: 'noise.png', bytes: noiseBytes },
        ],
      }),
    );
    expect(answer.skipped).toEqual([
      { name: 'garbage.jpg', reason: 'not a readable image (unsupported or mislabelled format)' },
    ]);
    const [copy, meadow, noise] = answer.placed;
    expect(answer.placed.map((p) => p.name)).toEqual(['copy of sky.png', 'meadow.jpg', 'noise.png']);
    expect(copy).toMatchObject({ size: 28, channels: 3 });
    expect(Array.from(copy!.pixels)).toEqual(Array.from(await decodeImage(path.join(root, name), PRE)));
    const dim = settings.latentDim;
    const stored = epoch.means.subarray(point * dim, (point + 1) * dim);
    copy!.mean.forEach((v, d) => expect(v).toBeCloseTo(stored[d]!, 4));
    expect(meadow!.reconstruction).toHaveLength(28 * 28 * 3);
    // A dropped copy of the planted noise is as odd as the planted file itself.
    const scores = okValue<PointScores>(await core.dispatch('latent:get-scores', { runId }));
    const planted = scores.negElbo[points.names.indexOf(PLANTED[0]!)]!;
    expect(Math.abs(noise!.negElbo - planted) / planted).toBeLessThan(0.05);
    expect(meadow!.negElbo).toBeLessThan(planted / 2);
    // Over the limits: refused before the engine sees a byte.
    const many = Array.from({ length: 33 }, (_, i) => ({ name: `${i}.png`, bytes: fileBytes }));
    expect(await core.dispatch('latent:place-images', { runId, images: many })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
  });
});

describe('decoding given codes and grids of map spots', () => {
  it('decodes a grid of spots as decode-at decodes each, and the grid’s codes as given', async () => {
    // The newest epoch's PCA layout, laid out now (the live map may still owe it).
    const laidOut = nextEvent(
      core,
      'latent:did-update-layout',
      (l) => l.runId === runId && l.epoch === settings.epochs && l.method === 'pca' && l.final,
    );
    okValue(
      await core.dispatch('latent:project', {
        runId,
        epoch: settings.epochs,
        settings: { ...DEFAULT_PROJECTION_SETTINGS, method: 'pca' },
      }),
    );
    const p = (await laidOut).positions;
    const spots = [
      { x: (p[0]! + p[2]!) / 2, y: (p[1]! + p[3]!) / 2 },
      { x: p[10]!, y: p[11]! },
      { x: 0, y: 0 },
      { x: 40, y: -40 },
    ].map((xy) => ({ epoch: settings.epochs, method: 'pca' as const, ...xy }));
    const grid = okValue<DecodedImages>(await core.dispatch('gallery:decode-grid', { runId, spots }));
    expect(grid).toMatchObject({ count: spots.length, size: 28, channels: 3, latentDim: settings.latentDim });
    const stride = 28 * 28 * 3;
    for (const [i, spot] of spots.entries()) {
      const one = okValue<DecodedImages>(await core.dispatch('gallery:decode-at', { runId, spot }));
      expect(Array.from(grid.latents.subarray(i * 8, (i + 1) * 8))).toEqual(Array.from(one.latents));
      const tile = grid.pixels.subarray(i * stride, (i + 1) * stride);
      // One batch or one code: the same pixels, but for a rounding step where float sums differ.
      expect(Math.max(...tile.map((v, j) => Math.abs(v - one.pixels[j]!)))).toBeLessThanOrEqual(1);
    }
    const decoded = okValue<DecodedImages>(
      await core.dispatch('gallery:decode', { runId, latents: grid.latents }),
    );
    expect(decoded.count).toBe(spots.length);
    expect(Math.max(...decoded.pixels.map((v, j) => Math.abs(v - grid.pixels[j]!)))).toBeLessThanOrEqual(1);
    expect(
      await core.dispatch('gallery:decode', { runId, latents: new Float32Array(settings.latentDim + 1) }),
    ).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(
      await core.dispatch('gallery:decode-grid', {
        runId,
        spots: [spots[0], { ...spots[1]!, epoch: 1 }],
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });
});
