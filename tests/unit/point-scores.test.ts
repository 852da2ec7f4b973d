// Over 300 lines: scoring, placing and decoding all read the same in-process models and dataset built once; split, each file would rebuild them.
/**
 * Per-image scores, placed images and batched decoding, in process on the cpu backend with real
 * models: the scores are the training loss's own terms (their mean is `evaluate`'s held-out loss),
 * the same every time, kept per checkpoint and recomputed when the kept file is damaged; dropped
 * files are prepared exactly as dataset files are; a grid of map spots decodes as each spot alone.
 * Every test checks that no tensor is left behind.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DECODE_REASONS,
  decodeImage,
  decodeImageBytes,
} from '../../src/main/engine/data/folder/decode-image';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import type { LoadedDataset } from '../../src/main/engine/data/loaded-dataset';
import { DEFAULT_FRACTIONS, hashSplit } from '../../src/main/engine/data/split';
import { GalleryRequests } from '../../src/main/engine/gallery/gallery-requests';
import { encodeImages } from '../../src/main/engine/gallery/generate';
import { latentAtSpot, latentsAtSpots, type MapAtEpoch } from '../../src/main/engine/gallery/map-spot';
import { displayPoints } from '../../src/main/engine/latent/display-points';
import { LayoutStore } from '../../src/main/engine/latent/layout-store';
import {
  packScores,
  SCORE_SAMPLES,
  scoreImages,
  unpackScores,
} from '../../src/main/engine/latent/point-scores';
import { ScoringRequests, type CurrentModel } from '../../src/main/engine/latent/scoring-requests';
import { createModel } from '../../src/main/engine/model/create-model';
import type { VaeModel } from '../../src/main/engine/model/vae-model';
import { pca2d } from '../../src/main/engine/projection/pca';
import { evaluate } from '../../src/main/engine/train/evaluate';
import { RunStore } from '../../src/main/engine/train/run-store';
import type { DatasetSummary, Preprocessing } from '../../src/shared/dataset-types';
import type { DecodedImages } from '../../src/shared/gallery-types';
import type { PlacedImage, PointScores, SkippedImage } from '../../src/shared/projection-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { Likelihood, TrainSettings } from '../../src/shared/types';
import { makeTempDir, rawRgb } from '../support/image-fixtures';
import { useBackendWithoutLeaks } from '../support/tensor-leaks';
import { okValue } from '../support/result-value';

useBackendWithoutLeaks('cpu');

const SIZE = 28;
const PRE: Preprocessing = { size: SIZE, channels: 'rgb', fit: 'crop', background: '#000000' };

/** Smooth two-colour gradients with a little seeded variation: images a VAE can model. */
function gradientSet(count: number): ImageSet {
  let state = 12345;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const stride = SIZE * SIZE * 3;
  const pixels = new Uint8Array(count * stride);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    labels[i] = label;
    const top = [40 + 40 * random(), 100 + 40 * random(), 200 - 40 * random()];
    const bottom = [200 - 40 * random(), 200 - 30 * random(), 60 + 40 * random()];
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const t = (label === 0 ? y : x) / (SIZE - 1);
        for (let c = 0; c < 3; c++) {
          pixels[i * stride + (y * SIZE + x) * 3 + c] = Math.round(top[c]! * (1 - t) + bottom[c]! * t);
        }
      }
    }
  }
  return { pixels, labels, count, size: SIZE, channels: 3, classNames: ['down', 'across'], metadata: [] };
}

function settings(likelihood: Likelihood): TrainSettings {
  return { ...DEFAULT_TRAIN_SETTINGS, likelihood, latentDim: 4, width: 32, seed: 3 };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;

describe('scoreImages', () => {
  it.each(['bernoulli', 'discretized-logistic'] as const)(
    '%s: negElbo = reconstruction + KL per image, the same every time, and its mean is evaluate’s loss',
    async (likelihood) => {
      const set = gradientSet(96);
      const model = createModel(settings(likelihood), SIZE, 3);
      try {
        const indices = range(set.count);
        const scores = await scoreImages(model, set, indices, { likelihood });
        expect(scores.negElbo).toHaveLength(set.count);
        for (let i = 0; i < set.count; i++) {
          expect(scores.negElbo[i]).toBeCloseTo(scores.reconstruction[i]! + scores.kl[i]!, 2);
          expect(scores.kl[i]).toBeGreaterThanOrEqual(0);
        }
        const again = await scoreImages(model, set, indices, { likelihood });
        expect(Array.from(again.negElbo)).toEqual(Array.from(scores.negElbo));
        // evaluate() draws one z per image; averaged over seeds it estimates the same expectation.
        const subset = { set, indices: Uint32Array.from(indices) };
        const evaluations = await Promise.all(
          [1, 2, 3].map((seed) => evaluate(model, subset, seed, likelihood)),
        );
        const evaluated = mean(evaluations.map((e) => e.loss));
        expect(Math.abs(mean(scores.negElbo) - evaluated) / Math.abs(evaluated)).toBeLessThan(0.005);
        // The KL is analytic in both: no sampling noise at all.
        expect(mean(scores.kl)).toBeCloseTo(evaluations[0]!.kl, 3);
      } finally {
        model.dispose();
      }
    },
  );

  it('draws z per image position, so a batch boundary changes nothing', async () => {
    const set = gradientSet(150);
    const model = createModel(settings('gaussian-fixed'), SIZE, 3);
    try {
      const all = await scoreImages(model, set, range(150), { likelihood: 'gaussian-fixed' });
      const firstFew = await scoreImages(model, set, range(10), { likelihood: 'gaussian-fixed' });
      expect(Array.from(firstFew.negElbo)).toEqual(Array.from(all.negElbo.subarray(0, 10)));
      expect(all.negElbo.every(Number.isFinite)).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('packs and unpacks, and refuses a block that cannot be scores', () => {
    const scores = {
      negElbo: Float32Array.from([3, 5.5]),
      reconstruction: Float32Array.from([2, 5]),
      kl: Float32Array.from([1, 0.5]),
    };
    const packed = packScores(scores);
    expect(Array.from(packed)).toEqual([3, 5.5, 2, 5, 1, 0.5]);
    expect(unpackScores(packed, 2)).toEqual(scores);
    expect(unpackScores(packed, 3)).toBeNull();
    expect(unpackScores(Float32Array.from([3, 5.5, 2, 5, 1, 0.4]), 2)).toBeNull();
    expect(unpackScores(Float32Array.from([NaN, 5.5, 2, 5, 1, 0.5]), 2)).toBeNull();
    expect(unpackScores(Float32Array.from([1, 5.5, 2, 5, -1, 0.5]), 2)).toBeNull();
  });
});

describe('latentsAtSpots', () => {
  it('gives every spot the code latentAtSpot gives it alone, for every method', () => {
    const count = 40;
    const dim = 5;
    const means = Float32Array.from({ length: count * dim }, (_, i) => Math.sin(i * 1.7) * 2);
    const pca = pca2d(means, count, dim);
    const rotated = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      // Stored layouts are aligned (rotated, shifted) onto the epoch before.
      rotated[i * 2] = 0.6 * pca[i * 2]! - 0.8 * pca[i * 2 + 1]! + 3;
      rotated[i * 2 + 1] = 0.8 * pca[i * 2]! + 0.6 * pca[i * 2 + 1]! - 1;
    }
    const spots = [
      { x: 0, y: 0 },
      { x: rotated[2]!, y: rotated[3]! },
      { x: 10, y: -7 },
      { x: 0.25, y: 1.5 },
    ];
    for (const method of ['pca', 'axes', 'tsne', 'umap'] as const) {
      const map: MapAtEpoch = { method, means, count, dim, positions: rotated, axes: [1, 3] };
      const codes = latentsAtSpots(map, spots);
      spots.forEach(({ x, y }, i) => {
        expect(Array.from(codes.subarray(i * dim, (i + 1) * dim))).toEqual(
          Array.from(latentAtSpot(map, x, y)),
        );
      });
    }
    // On a point, a neighbour-weighted map gives that point's own code.
    const onPoint = latentsAtSpots({ method: 'tsne', means, count, dim, positions: rotated, axes: [0, 1] }, [
      { x: rotated[6]!, y: rotated[7]! },
    ]);
    expect(Array.from(onPoint)).toEqual(Array.from(means.subarray(3 * dim, 4 * dim)));
  });
});

describe('images dropped from outside the dataset', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await makeTempDir('place-images');
  });

  it('decode from bytes exactly as the same file decodes from disk', async () => {
    const file = path.join(folder, 'photo.jpg');
    await sharp(
      rawRgb(61, 40, (x, y) => [x * 4, y * 6, 255 - x * 2]),
      { raw: { width: 61, height: 40, channels: 3 } },
    )
      .jpeg({ quality: 80 })
      .toFile(file);
    const fromDisk = await decodeImage(file, PRE);
    const fromBytes = await decodeImageBytes(new Uint8Array(await readFile(file)), PRE);
    expect(Array.from(fromBytes)).toEqual(Array.from(fromDisk));
    await expect(decodeImageBytes(new TextEncoder().encode('not an image'), PRE)).rejects.toMatchObject({
      reason: DECODE_REASONS.notAnImage,
    });
    await expect(decodeImageBytes(new Uint8Array(0), PRE)).rejects.toMatchObject({
      reason: DECODE_REASONS.empty,
    });
  });
});

/** A run folder (config with its preprocessing) and a synthetic open dataset, for the request classes. */
async function fixtureRun(likelihood: Likelihood) {
  const runsRoot = path.join(await makeTempDir('scores-run'), 'runs');
  const trainSettings = { ...settings(likelihood), datasetId: 'synthetic', displayCount: 50 };
  const run = await RunStore.create(runsRoot, {
    datasetId: 'synthetic',
    datasetName: 'Synthetic',
    settings: trainSettings,
    preprocessing: PRE,
  });
  const set = gradientSet(120);
  const dataset: LoadedDataset = {
    set,
    split: hashSplit(set, { method: 'fnv1a32', seed: 1, ...DEFAULT_FRACTIONS, key: 'index' }),
    summary: { datasetId: 'synthetic', preprocessing: PRE } as DatasetSummary,
  };
  const layouts = new LayoutStore(run.directory);
  const points = displayPoints(dataset, trainSettings.displayCount, trainSettings.latentDim);
  await layouts.writePoints(points);
  const model = createModel(trainSettings, SIZE, 3);
  return { runsRoot, runId: run.runId, dataset, layouts, points, model };
}

describe('ScoringRequests', () => {
  it('keeps scores per checkpoint epoch, reads them back, and recomputes a damaged file', async () => {
    const { runsRoot, runId, dataset, layouts, points, model } = await fixtureRun('discretized-logistic');
    let current: CurrentModel = { model, epoch: 3, exact: true };
    let datasetAsks = 0;
    const scoring = new ScoringRequests({
      runsRoot,
      dataset: async () => (datasetAsks++, dataset),
      model: async () => current,
      layouts: () => layouts,
    });
    try {
      const first = okValue<PointScores>(await scoring.scores({ runId }));
      expect(first).toMatchObject({ runId, epoch: 3, count: points.count, samples: SCORE_SAMPLES });
      const direct = await scoreImages(model, dataset.set, points.datasetIndices, {
        likelihood: 'discretized-logistic',
      });
      expect(Array.from(first.negElbo)).toEqual(Array.from(direct.negElbo));
      const file = path.join(layouts.directory, 'epoch-0003.scores.f32');
      expect((await readFile(file)).byteLength).toBe(3 * points.count * 4);
      expect(datasetAsks).toBe(1);

      // Kept: a consistent block written in its place is what the next call answers, unscored.
      const doubled = packScores({
        negElbo: first.negElbo.map((v) => 2 * v),
        reconstruction: first.reconstruction.map((v) => 2 * v),
        kl: first.kl.map((v) => 2 * v),
      });
      await layouts.writeScores(3, doubled);
      const kept = okValue<PointScores>(await scoring.scores({ runId }));
      expect(Array.from(kept.negElbo)).toEqual(Array.from(first.negElbo.map((v) => 2 * v)));
      expect(datasetAsks).toBe(1);

      // Damaged (cut short, then garbage of the right length): scored again and rewritten.
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, bytes.byteLength - 6));
      const recomputed = okValue<PointScores>(await scoring.scores({ runId }));
      expect(Array.from(recomputed.negElbo)).toEqual(Array.from(first.negElbo));
      expect((await readFile(file)).byteLength).toBe(3 * points.count * 4);
      await writeFile(file, Buffer.alloc(3 * points.count * 4, 0x7f));
      expect(Array.from(okValue<PointScores>(await scoring.scores({ runId })).negElbo)).toEqual(
        Array.from(first.negElbo),
      );
      expect(datasetAsks).toBe(3);

      // A model that trains on is scored as it is, and nothing is kept for it.
      current = { model, epoch: 4, exact: false };
      okValue<PointScores>(await scoring.scores({ runId }));
      await expect(readFile(path.join(layouts.directory, 'epoch-0004.scores.f32'))).rejects.toThrow();

      // New means for the epoch (a continued run re-trained it) make its scores stale.
      await layouts.writeMeans(3, new Float32Array(points.count * points.latentDim));
      await expect(readFile(file)).rejects.toThrow();
      // So do new display points, for every epoch.
      current = { model, epoch: 3, exact: true };
      okValue<PointScores>(await scoring.scores({ runId }));
      expect((await readFile(file)).byteLength).toBe(3 * points.count * 4);
      await layouts.writePoints(points);
      await expect(readFile(file)).rejects.toThrow();
    } finally {
      model.dispose();
    }
  });

  it('refuses plainly without a model, a map, or an open dataset', async () => {
    const { runsRoot, runId, layouts, model } = await fixtureRun('bernoulli');
    try {
      const without = (deps: Partial<ConstructorParameters<typeof ScoringRequests>[0]>) =>
        new ScoringRequests({
          runsRoot,
          dataset: async () => null,
          model: async () => ({ model, epoch: 1, exact: true }),
          layouts: () => layouts,
          ...deps,
        });
      expect(await without({ model: async () => null }).scores({ runId })).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
        message: 'This run has no model to score with yet.',
      });
      expect(await without({}).scores({ runId })).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
        message: 'Open the dataset "Synthetic" of this run to score its images.',
      });
      expect(
        await without({ layouts: () => new LayoutStore(path.join(runsRoot, 'elsewhere')) }).scores({ runId }),
      ).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'That run has no latent map yet.' });
      expect(await without({}).scores({ runId: '20990101-000000-gone' })).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
    } finally {
      model.dispose();
    }
  });

  it('places dropped files as the dataset was prepared, and skips what does not decode', async () => {
    const { runsRoot, runId, layouts, model } = await fixtureRun('gaussian-fixed');
    const scoring = new ScoringRequests({
      runsRoot,
      dataset: async () => null,
      model: async () => ({ model, epoch: 1, exact: true }),
      layouts: () => layouts,
    });
    try {
      const png = await sharp({ create: { width: 50, height: 30, channels: 4, background: '#20c040' } })
        .png()
        .toBuffer();
      const jpeg = await sharp({ create: { width: 20, height: 64, channels: 3, background: '#c02040' } })
        .jpeg()
        .toBuffer();
      const images = [
        { name: 'green.png', bytes: new Uint8Array(png) },
        { name: 'notes.txt', bytes: new TextEncoder().encode('hello') },
        { name: 'red.jpg', bytes: new Uint8Array(jpeg) },
        { name: 'empty.png', bytes: new Uint8Array(0) },
        { name: 'cut.jpg', bytes: new Uint8Array(jpeg.subarray(0, jpeg.length >> 1)) },
      ];
      const { placed, skipped } = okValue<{ placed: PlacedImage[]; skipped: SkippedImage[] }>(
        await scoring.place({ runId, images }),
      );
      expect(placed.map((p) => p.name)).toEqual(['green.png', 'red.jpg']);
      expect(skipped).toEqual([
        { name: 'notes.txt', reason: DECODE_REASONS.notAnImage },
        { name: 'empty.png', reason: DECODE_REASONS.empty },
        { name: 'cut.jpg', reason: DECODE_REASONS.corrupt },
      ]);
      const stride = SIZE * SIZE * 3;
      for (const [k, image] of placed.entries()) {
        expect(image).toMatchObject({ size: SIZE, channels: 3 });
        expect(Array.from(image.pixels)).toEqual(
          Array.from(await decodeImageBytes(images[k * 2]!.bytes, PRE)),
        );
        expect(image.reconstruction).toHaveLength(stride);
        expect(image.mean).toHaveLength(model.latentDim);
        expect(Number.isFinite(image.negElbo)).toBe(true);
      }
      const set: ImageSet = {
        pixels: Uint8Array.from([...placed[0]!.pixels, ...placed[1]!.pixels]),
        labels: new Uint8Array(2),
        count: 2,
        size: SIZE,
        channels: 3,
        classNames: [],
        metadata: [],
      };
      const means = await encodeImages(model, set, [0, 1]);
      expect(Array.from(placed[1]!.mean)).toEqual(Array.from(means.subarray(4, 8)));
      const scores = await scoreImages(model, set, [0, 1], { likelihood: 'gaussian-fixed' });
      expect(placed[0]!.negElbo).toBe(scores.negElbo[0]);
      // Nothing decodes: an answer with only skips, not a failure.
      expect(await scoring.place({ runId, images: [images[1]!] })).toEqual({
        ok: true,
        value: { placed: [], skipped: [{ name: 'notes.txt', reason: DECODE_REASONS.notAnImage }] },
      });
    } finally {
      model.dispose();
    }
  });
});

describe('GalleryRequests: decoding given codes and grids of spots', () => {
  async function gallery(model: VaeModel) {
    const fixture = await fixtureRun('bernoulli');
    fixture.model.dispose();
    const { runsRoot, layouts, points } = fixture;
    const means = await encodeImages(model, fixture.dataset.set, points.datasetIndices);
    await layouts.writeMeans(1, means);
    await layouts.writeLayout(1, 'pca', pca2d(means, points.count, points.latentDim));
    await layouts.writeLayout(
      1,
      'tsne',
      Float32Array.from({ length: points.count * 2 }, (_, i) => Math.cos(i)),
    );
    const requests = new GalleryRequests({
      runsRoot,
      dataset: async () => fixture.dataset,
      model: async () => model,
      layouts: () => layouts,
    });
    return { requests, runId: fixture.runId };
  }

  it('decodes a grid of spots as decode-at decodes each, and given codes as they are', async () => {
    const model = createModel(settings('bernoulli'), SIZE, 3);
    try {
      const { requests, runId } = await gallery(model);
      for (const method of ['pca', 'tsne'] as const) {
        const spots = [
          { epoch: 1, method, x: 0.1, y: -0.2 },
          { epoch: 1, method, x: 2, y: 1 },
          { epoch: 1, method, x: -30, y: 12 },
        ];
        const grid = okValue<DecodedImages>(await requests.decodeGrid({ runId, spots }));
        expect(grid).toMatchObject({ count: 3, size: SIZE, channels: 3, latentDim: 4 });
        const stride = SIZE * SIZE * 3;
        for (const [i, spot] of spots.entries()) {
          const one = okValue<DecodedImages>(await requests.decodeAt({ runId, spot }));
          expect(Array.from(grid.latents.subarray(i * 4, (i + 1) * 4))).toEqual(Array.from(one.latents));
          expect(Array.from(grid.pixels.subarray(i * stride, (i + 1) * stride))).toEqual(
            Array.from(one.pixels),
          );
        }
        const decoded = okValue<DecodedImages>(await requests.decode({ runId, latents: grid.latents }));
        expect(Array.from(decoded.pixels)).toEqual(Array.from(grid.pixels));
      }
      expect(
        await requests.decodeGrid({
          runId,
          spots: [
            { epoch: 1, method: 'pca', x: 0, y: 0 },
            { epoch: 1, method: 'tsne', x: 0, y: 0 },
          ],
        }),
      ).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
      expect(
        await requests.decodeGrid({ runId, spots: [{ epoch: 2, method: 'pca', x: 0, y: 0 }] }),
      ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await requests.decode({ runId, latents: new Float32Array(6) })).toMatchObject({
        ok: false,
        code: 'INVALID_PAYLOAD',
      });
      expect(await requests.decode({ runId, latents: new Float32Array(401 * 4) })).toMatchObject({
        ok: false,
        code: 'INVALID_PAYLOAD',
      });
    } finally {
      model.dispose();
    }
  });
});
