/**
 * A short training run on random 8-bit colour images with the discretized logistic likelihood:
 * every epoch's bits/dim is positive (a bound on the NLL of 8-bit data), each metrics line names
 * its likelihood, and a Gaussian run reports no bits/dim at all instead of a negative one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import { mulberry32 } from '../../src/main/engine/random';
import { TrainingJob, type TrainingData } from '../../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings } from '../../src/shared/types';
import { oneClassSet } from '../support/toy-images';

const SIZE = 8;
const CHANNELS = 3;

/** Random images with some structure: a per-image colour plus noise, including 0 and 255. */
function randomColourImages(count: number, seed: number): ImageSet {
  const random = mulberry32(seed);
  const stride = SIZE * SIZE * CHANNELS;
  const pixels = new Uint8Array(count * stride);
  for (let i = 0; i < count; i++) {
    const base = [0, 1, 2].map(() => Math.floor(random() * 256));
    for (let p = 0; p < stride; p++) {
      const value = base[p % CHANNELS]! + Math.round((random() - 0.5) * 80);
      pixels[i * stride + p] = Math.min(255, Math.max(0, value));
    }
  }
  return oneClassSet(pixels, count, SIZE, CHANNELS, 'random');
}

let data: TrainingData;
beforeAll(async () => {
  await selectBackend('cpu');
  const set = randomColourImages(320, 11);
  data = {
    train: { set, indices: Uint32Array.from({ length: 256 }, (_, i) => i) },
    test: { set, indices: Uint32Array.from({ length: 64 }, (_, i) => 256 + i) },
  };
});

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  model: 'conv',
  likelihood: 'discretized-logistic',
  width: 8,
  depth: 2,
  latentDim: 4,
  trainLimit: 256,
  testLimit: 64,
  displayCount: 16,
  epochs: 3,
  batchSize: 32,
  learningRate: 3e-3,
  seed: 5,
};

async function train(settings: TrainSettings): Promise<EpochMetrics[]> {
  const metrics: EpochMetrics[] = [];
  const job = new TrainingJob('job', settings, {
    onState: () => undefined,
    onProgress: () => undefined,
    onEpochEnd: (s) => metrics.push(s.metrics),
  });
  const tensorsBefore = tf.memory().numTensors;
  await job.run(async () => data);
  job.model?.dispose();
  expect(tf.memory().numTensors, 'the job leaves no tensors behind').toBe(tensorsBefore);
  return metrics;
}

describe('training with the discretized logistic likelihood', () => {
  it('reports positive bits/dim on every epoch, under a named likelihood', async () => {
    const metrics = await train(SETTINGS);
    expect(metrics).toHaveLength(3);
    const pixels = SIZE * SIZE * CHANNELS;
    for (const m of metrics) {
      expect(m.likelihood).toBe('discretized-logistic');
      expect(m.trainBitsPerDim).toBeGreaterThan(0);
      expect(m.testBitsPerDim).toBeGreaterThan(0);
      expect(m.testBitsPerDim).toBeCloseTo(m.testLoss / (pixels * Math.LN2), 6);
      // 8 bits/dim is a uniform guess; a model this small gets near it, not far past it.
      expect(m.testBitsPerDim!).toBeLessThan(12);
      expect(m.mutualInformation).toBeGreaterThanOrEqual(0);
      expect(m.mutualInformation!).toBeLessThanOrEqual(m.testKl + 1e-9);
      expect(m.latentMeanVariance).toHaveLength(4);
      expect(m.activeUnits).toBe(m.latentMeanVariance!.filter((v) => v > 0.01).length);
    }
    expect(metrics[2]!.testLoss).toBeLessThan(metrics[0]!.testLoss);
  });

  it('hides bits/dim for a continuous Gaussian instead of reporting a negative number', async () => {
    const metrics = await train({ ...SETTINGS, likelihood: 'gaussian-learned', epochs: 1 });
    expect(metrics[0]!.likelihood).toBe('gaussian-learned');
    expect(metrics[0]!.trainBitsPerDim).toBeNull();
    expect(metrics[0]!.testBitsPerDim).toBeNull();
  });
});
