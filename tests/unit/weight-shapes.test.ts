/**
 * The weight list model import checks against is computed without building a model; these tests
 * build real small models and compare, so the list cannot drift from what the models create.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { createModel } from '../../src/main/engine/model/create-model';
import { expectedWeightShapes, weightBytes } from '../../src/main/engine/model/weight-shapes';
import type { TrainSettings } from '../../src/shared/types';

type Architecture = Pick<TrainSettings, 'model' | 'likelihood' | 'latentDim' | 'width' | 'depth' | 'seed'> &
  Partial<Pick<TrainSettings, 'pcaStart'>>;

beforeAll(async () => {
  await selectBackend('cpu');
});

/** The names and shapes a really built model has, in its own order. */
function builtShapes(settings: Architecture, size: number, channels: 1 | 3) {
  const model = createModel(settings, size, channels);
  try {
    return model.namedVariables.map(({ name, variable }) => ({ name, shape: [...variable.shape] }));
  } finally {
    model.dispose();
  }
}

const CASES: { settings: Architecture; size: number; channels: 1 | 3 }[] = [
  {
    settings: { model: 'mlp', likelihood: 'bernoulli', latentDim: 3, width: 8, depth: 1, seed: 1 },
    size: 28,
    channels: 1,
  },
  {
    settings: { model: 'mlp', likelihood: 'gaussian-learned', latentDim: 2, width: 9, depth: 3, seed: 2 },
    size: 32,
    channels: 3,
  },
  {
    settings: { model: 'conv', likelihood: 'bernoulli', latentDim: 4, width: 8, depth: 2, seed: 3 },
    size: 28,
    channels: 1,
  },
  // Depth 4 on 28 pixels halves only twice: the list must lower the depth as the model does.
  {
    settings: { model: 'conv', likelihood: 'gaussian-learned', latentDim: 5, width: 8, depth: 4, seed: 4 },
    size: 28,
    channels: 3,
  },
  {
    settings: { model: 'conv', likelihood: 'gaussian-fixed', latentDim: 2, width: 8, depth: 4, seed: 5 },
    size: 64,
    channels: 3,
  },
  // The PCA start adds a linear path from the pixels to μ and from z to the logits.
  {
    settings: {
      model: 'conv',
      likelihood: 'bernoulli',
      latentDim: 3,
      width: 4,
      depth: 2,
      seed: 7,
      pcaStart: true,
    },
    size: 16,
    channels: 3,
  },
  // The discretized logistic adds one log-scale per channel.
  {
    settings: {
      model: 'conv',
      likelihood: 'discretized-logistic',
      latentDim: 3,
      width: 8,
      depth: 2,
      seed: 6,
    },
    size: 32,
    channels: 3,
  },
  {
    settings: { model: 'mlp', likelihood: 'discretized-logistic', latentDim: 2, width: 8, depth: 1, seed: 7 },
    size: 28,
    channels: 1,
  },
];

describe('expected weight shapes', () => {
  it.each(CASES)(
    'match a real $settings.model model ($size px, $channels ch)',
    ({ settings, size, channels }) => {
      const before = tf.memory().numTensors;
      const expected = expectedWeightShapes(settings, size, channels);
      expect(tf.memory().numTensors).toBe(before);
      expect(expected).toEqual(builtShapes(settings, size, channels));
    },
  );

  it('counts the bytes of a huge model without allocating it', () => {
    const before = tf.memory();
    const shapes = expectedWeightShapes(
      { model: 'mlp', likelihood: 'bernoulli', latentDim: 256, width: 2048, depth: 4 },
      512,
      3,
    );
    // Two 786,432 × 2,048 kernels alone are over 12 GB.
    expect(weightBytes(shapes)).toBeGreaterThan(12e9);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
