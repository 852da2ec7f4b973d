import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import {
  decodeLatents,
  interpolateLatents,
  priorLatents,
  samplePrior,
  traversalLatents,
} from '../../src/main/engine/gallery/generate';
import { gridPixels, scaleUp } from '../../src/main/engine/gallery/image-files';
import { latentAtSpot } from '../../src/main/engine/gallery/map-spot';
import { chooseSample, reconstruct } from '../../src/main/engine/gallery/reconstructions';
import { createModel } from '../../src/main/engine/model/create-model';
import { pca2d } from '../../src/main/engine/projection/pca';
import { loadMnist } from '../../src/main/engine/data/mnist';
import { hashSplit } from '../../src/main/engine/data/split';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';

beforeAll(async () => {
  await selectBackend('cpu');
});

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
const row = (values: Float32Array, i: number, dim: number) => values.subarray(i * dim, (i + 1) * dim);

describe('interpolateLatents', () => {
  const from = Float32Array.from([1, 2, -0.5, 0.25]);
  const to = Float32Array.from([-1, 0.5, 2, 3]);

  it.each(['linear', 'spherical'] as const)('%s: starts and ends exactly at the inputs', (mode) => {
    const path = interpolateLatents(from, to, 7, mode);
    expect(path.length).toBe(7 * 4);
    expect(Array.from(row(path, 0, 4))).toEqual(Array.from(from));
    expect(Array.from(row(path, 6, 4))).toEqual(Array.from(to));
  });

  it('linear: the midpoint is the average', () => {
    const middle = row(interpolateLatents(from, to, 3, 'linear'), 1, 4);
    middle.forEach((v, d) => expect(v).toBeCloseTo((from[d]! + to[d]!) / 2, 6));
  });

  it('spherical: norms blend linearly between the endpoints', () => {
    const steps = 9;
    const path = interpolateLatents(from, to, steps, 'spherical');
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      expect(norm(row(path, s, 4))).toBeCloseTo((1 - t) * norm(from) + t * norm(to), 4);
    }
  });

  it('spherical: equal-norm codes stay on their sphere, and near-parallel ones do not blow up', () => {
    const a = Float32Array.from([3, 0, 0]);
    const b = Float32Array.from([0, 3, 0]);
    const path = interpolateLatents(a, b, 5, 'spherical');
    for (let s = 0; s < 5; s++) expect(norm(row(path, s, 3))).toBeCloseTo(3, 5);
    const c = Float32Array.from([1, 1e-7, 0]);
    const parallel = interpolateLatents(Float32Array.from([1, 0, 0]), c, 4, 'spherical');
    expect(parallel.every(Number.isFinite)).toBe(true);
    const withOrigin = interpolateLatents(new Float32Array(3), a, 4, 'spherical');
    expect(withOrigin.every(Number.isFinite)).toBe(true);
    expect(Array.from(row(withOrigin, 3, 3))).toEqual([3, 0, 0]);
  });
});

describe('traversalLatents', () => {
  it('gives one row per dimension with evenly spaced offsets around the anchor', () => {
    const around = Float32Array.from([0.5, -1, 2]);
    const { latents, offsets } = traversalLatents(around, [2, 0], 5, 3);
    expect(offsets).toEqual([-3, -1.5, 0, 1.5, 3]);
    expect(latents.length).toBe(2 * 5 * 3);
    for (let column = 0; column < 5; column++) {
      const first = row(latents, column, 3);
      expect(Array.from(first)).toEqual([0.5, -1, 2 + offsets[column]!]);
      const second = row(latents, 5 + column, 3);
      expect(Array.from(second)).toEqual([0.5 + offsets[column]!, -1, 2]);
    }
  });

  it('refuses dimensions outside the code', () => {
    expect(() => traversalLatents(new Float32Array(2), [2], 3, 1)).toThrow(/outside/);
  });
});

describe('decoding', () => {
  const settings = { ...DEFAULT_TRAIN_SETTINGS, latentDim: 4, width: 32, depth: 1, seed: 3 };

  it('decodes codes to uint8 images of the model’s format without leaking tensors', async () => {
    const model = createModel(settings, 28, 1);
    const before = tf.memory().numTensors;
    const latents = priorLatents(4, { count: 300, temperature: 1, seed: 5 });
    const images = await decodeLatents(model, latents, { size: 28, channels: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(images.count).toBe(300);
    expect(images.pixels.length).toBe(300 * 28 * 28);
    expect(images.latentDim).toBe(4);
    expect(Array.from(images.latents)).toEqual(Array.from(latents));
    expect(images.pixels.some((v) => v > 0 && v < 255)).toBe(true);
    await expect(decodeLatents(model, new Float32Array(6), { size: 28, channels: 1 })).rejects.toThrow();
    model.dispose();
  });

  it('samples the same images for the same seed, other images for another', async () => {
    const model = createModel({ ...settings, model: 'conv', width: 4 }, 16, 3);
    const format = { size: 16, channels: 3 } as const;
    const before = tf.memory().numTensors;
    const a = await samplePrior(model, format, { count: 6, temperature: 1, seed: 11 });
    const b = await samplePrior(model, format, { count: 6, temperature: 1, seed: 11 });
    const c = await samplePrior(model, format, { count: 6, temperature: 1, seed: 12 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.pixels.length).toBe(6 * 16 * 16 * 3);
    expect(Array.from(a.latents)).toEqual(Array.from(b.latents));
    expect(Array.from(a.pixels)).toEqual(Array.from(b.pixels));
    expect(Array.from(a.latents)).not.toEqual(Array.from(c.latents));
    const cold = await samplePrior(model, format, { count: 2, temperature: 0, seed: 11 });
    expect(cold.latents.every((v) => v === 0)).toBe(true);
    model.dispose();
  });

  it('chooses a stratified held-out sample and reconstructs it without leaking tensors', async () => {
    const { test: set } = await loadMnist();
    const dataset = {
      set,
      split: hashSplit(set, {
        method: 'fnv1a32',
        seed: 1,
        testFraction: 0.1,
        validationFraction: 0.1,
        key: 'index',
      }),
      summary: { datasetId: 'mnist' },
    } as unknown as Parameters<typeof chooseSample>[0];
    const sample = chooseSample(dataset, 4);
    expect(sample.datasetIndices).toHaveLength(32);
    expect(chooseSample(dataset, 4)).toEqual(sample);
    expect(new Set(sample.labels).size).toBe(10);
    const model = createModel(settings, 28, 1);
    const before = tf.memory().numTensors;
    const { pixels, errors } = await reconstruct(model, set, sample.datasetIndices);
    expect(tf.memory().numTensors).toBe(before);
    expect(pixels.length).toBe(32 * 784);
    expect(errors.every((e) => e >= 0 && e <= 1)).toBe(true);
    model.dispose();
  });

  it('draws prior codes with about the asked spread', () => {
    const codes = priorLatents(10, { count: 2000, temperature: 0.5, seed: 1 });
    const mean = codes.reduce((a, b) => a + b, 0) / codes.length;
    const spread = Math.sqrt(codes.reduce((a, b) => a + (b - mean) ** 2, 0) / codes.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(spread).toBeCloseTo(0.5, 1);
  });
});

describe('image layout', () => {
  const images = {
    count: 3,
    size: 2,
    channels: 1 as const,
    pixels: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    latentDim: 1,
    latents: new Float32Array(3),
  };

  it('scales up by whole pixels', () => {
    expect(Array.from(scaleUp(images, 1, 2))).toEqual([5, 5, 6, 6, 5, 5, 6, 6, 7, 7, 8, 8, 7, 7, 8, 8]);
  });

  it('lays tiles out in columns with a gap', () => {
    const grid = gridPixels(images, 2, 1);
    expect([grid.width, grid.height]).toEqual([6, 6]);
    expect(Array.from(grid.pixels.subarray(0, 6))).toEqual([1, 2, 255, 255, 5, 6]);
    expect(Array.from(grid.pixels.subarray(4 * 6, 4 * 6 + 2))).toEqual([9, 10]);
  });
});

describe('latentAtSpot', () => {
  // Four codes in 3-D; the stored layout is their raw axes 0 and 2, rotated by 90° and shifted.
  const means = Float32Array.from([1, 0, 0, 0, 5, 1, 2, 1, 3, -1, 2, 2]);
  const rotated = (u: number, v: number): [number, number] => [-v + 10, u - 4];
  const positions = Float32Array.from([0, 1, 2, 3].flatMap((i) => rotated(means[i * 3]!, means[i * 3 + 2]!)));

  it('undoes the alignment of a raw-axes layout exactly', () => {
    const [x, y] = rotated(0.5, 1.5);
    const code = latentAtSpot({ method: 'axes', means, count: 4, dim: 3, positions, axes: [0, 2] }, x, y);
    expect(code[0]).toBeCloseTo(0.5, 4);
    expect(code[2]).toBeCloseTo(1.5, 4);
  });

  it('back-projects a PCA spot through the stored layout’s rotation and shift', () => {
    // In 2-D, PCA keeps everything: a point's stored position maps back to exactly its code.
    const codes = Float32Array.from([1, 0, 0, 2, 3, 1, -1, 2, 0.5, -2]);
    const centredPca = pca2d(codes, 5, 2);
    const stored = Float32Array.from(centredPca, (v, i) => (i % 2 === 0 ? -v + 3 : -v - 1));
    const map = {
      method: 'pca' as const,
      means: codes,
      count: 5,
      dim: 2,
      positions: stored,
      axes: [0, 1] as [number, number],
    };
    const code = latentAtSpot(map, stored[4]!, stored[5]!);
    expect(code[0]).toBeCloseTo(3, 4);
    expect(code[1]).toBeCloseTo(1, 4);
  });

  it('t-SNE and UMAP spots on a point give that point’s code', () => {
    const [x, y] = [positions[2]!, positions[3]!];
    const code = latentAtSpot({ method: 'tsne', means, count: 4, dim: 3, positions, axes: [0, 1] }, x, y);
    expect(Array.from(code)).toEqual([0, 5, 1]);
  });
});
