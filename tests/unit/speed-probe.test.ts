/** The engine's training-speed estimate (`train:estimate-speed`): a real number, and nothing left behind. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { measureSpeed } from '../../src/main/engine/train/speed-probe';
import type { SpeedProbe } from '../../src/shared/training-estimate';

const TINY_CONV: SpeedProbe = {
  model: 'conv',
  likelihood: 'discretized-logistic',
  latentDim: 4,
  width: 8,
  depth: 2,
  batchSize: 8,
  size: 28,
  channels: 'rgb',
};

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('measureSpeed', () => {
  it('times a tiny conv model in images per second and disposes everything it made', async () => {
    const before = tf.memory().numTensors;
    const imagesPerSecond = await measureSpeed(TINY_CONV, { minSeconds: 0.05, maxSteps: 3 });
    expect(imagesPerSecond).not.toBeNull();
    expect(Number.isFinite(imagesPerSecond)).toBe(true);
    expect(imagesPerSecond!).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('times the MLP with a Bernoulli likelihood too', async () => {
    const before = tf.memory().numTensors;
    const probe: SpeedProbe = {
      ...TINY_CONV,
      model: 'mlp',
      likelihood: 'bernoulli',
      width: 16,
      depth: 1,
      channels: 'grayscale',
    };
    const imagesPerSecond = await measureSpeed(probe, { minSeconds: 0.05, maxSteps: 3 });
    expect(imagesPerSecond!).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives up between steps when asked (a run started), still leaking nothing', async () => {
    const before = tf.memory().numTensors;
    expect(await measureSpeed(TINY_CONV, { shouldStop: () => true })).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});
