import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { batchTensor } from '../../src/main/engine/data/batches';
import { wholeSet } from '../../src/main/engine/data/image-set';
import { loadMnist } from '../../src/main/engine/data/mnist';
import { createModel } from '../../src/main/engine/model/create-model';
import { FIXED_SIGMA, gaussianNll, vaeLoss } from '../../src/main/engine/model/loss';
import { ConvVae, usableDepth } from '../../src/main/engine/model/vae-conv';
import { listCheckpoints, readCheckpoint, restoreModel } from '../../src/main/engine/train/checkpoint';
import { RunStore } from '../../src/main/engine/train/run-store';
import { TrainingJob, type TrainingData } from '../../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings } from '../../src/shared/types';
import { makeTempDir } from '../support/image-fixtures';
import { createMnistRun } from '../support/mnist-run';
import { expectSameEncoding } from '../support/same-encoding';

let data: TrainingData;
beforeAll(async () => {
  await selectBackend('cpu');
  const mnist = await loadMnist();
  data = { train: wholeSet(mnist.train), test: wholeSet(mnist.test) };
});

const SMALL: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  trainLimit: 512,
  testLimit: 128,
  displayCount: 32,
  epochs: 2,
  batchSize: 64,
  latentDim: 6,
  seed: 4,
};

/** Trains to the end; `afterEpoch` runs after each epoch's metrics are in. */
async function train(settings: TrainSettings, run?: RunStore, afterEpoch?: () => void) {
  const metrics: EpochMetrics[] = [];
  const job = new TrainingJob(
    'job',
    settings,
    {
      onState: () => undefined,
      onProgress: () => undefined,
      onEpochEnd: (s) => {
        metrics.push(s.metrics);
        afterEpoch?.();
      },
    },
    { run },
  );
  await job.run(async () => data);
  return { job, metrics };
}

describe('likelihoods and β', () => {
  it('Gaussian NLL with a fixed σ equals the hand-computed value', () => {
    // Outputs 0 → mean sigmoid(0) = 0.5. x = 0.5: log σ + ½ log 2π; x = 0.6: ½ (0.1/σ)² + log σ + ½ log 2π.
    const perPixel = Math.log(FIXED_SIGMA) + 0.5 * Math.log(2 * Math.PI);
    const expected = perPixel + (0.5 * (0.1 / FIXED_SIGMA) ** 2 + perPixel);
    const value = tf.tidy(() =>
      gaussianNll(tf.tensor2d([[0, 0]]), tf.tensor2d([[0.5, 0.6]]), Math.log(FIXED_SIGMA)).arraySync(),
    );
    expect(value[0]).toBeCloseTo(expected, 4);
  });

  it('weights the KL by β in the objective but reports the plain negative ELBO', () => {
    const model = createModel({ ...SMALL, model: 'mlp', width: 32 }, 28, 1);
    const x = batchTensor(data.train.set, [0, 1, 2, 3]);
    const noise = tf.randomNormal<tf.Rank.R2>([4, 6], 0, 1, 'float32', 1);
    const terms = vaeLoss(model, x, noise, { beta: 4 });
    const [objective, loss, reconstruction, kl] = [
      terms.objective,
      terms.loss,
      terms.reconstruction,
      terms.kl,
    ].map((t) => t.arraySync() as number);
    expect(loss).toBeCloseTo(reconstruction! + kl!, 3);
    expect(objective).toBeCloseTo(reconstruction! + 4 * kl!, 3);
    tf.dispose([x, noise, terms.objective, terms.loss, terms.reconstruction, terms.kl]);
    model.dispose();
  });

  it('ramps β up over the warm-up epochs and reports bits/dim, KL per dimension and active units', async () => {
    const { job, metrics } = await train({ ...SMALL, epochs: 3, beta: 2, klWarmupEpochs: 2 });
    expect(metrics.map((m) => m.beta)).toEqual([1, 2, 2]);
    const last = metrics[2]!;
    expect(last.klPerDimension).toHaveLength(6);
    expect(last.klPerDimension.reduce((a, b) => a + b, 0)).toBeCloseTo(last.testKl, 3);
    // Active units by Burda et al. (2016): Var_x(E[z_u | x]) > 0.01, no longer KL > 0.01 nats.
    expect(last.latentMeanVariance).toHaveLength(6);
    expect(last.activeUnits).toBe(last.latentMeanVariance!.filter((v) => v > 0.01).length);
    expect(last.likelihood).toBe('bernoulli');
    expect(last.testBitsPerDim).toBeCloseTo(last.testLoss / (784 * Math.LN2), 6);
    expect(last.learningRate).toBe(SMALL.learningRate);
    job.model?.dispose();
  });

  it('learns the Gaussian variance when asked to', async () => {
    const { job, metrics } = await train({ ...SMALL, likelihood: 'gaussian-learned', width: 128 });
    const logSigma = job.model!.namedVariables.find((v) => v.name === 'likelihood/log_sigma')!.variable;
    // It starts at log 0.1 and is trained: it must have moved.
    expect(Math.abs((logSigma.dataSync() as Float32Array)[0]! - Math.log(0.1))).toBeGreaterThan(0.005);
    expect(metrics[1]!.testLoss).toBeLessThan(metrics[0]!.testLoss);
    job.model?.dispose();
  });
});

describe('convolutional VAE', () => {
  it('halves the image as often as its size allows, and maps images to codes and back', () => {
    expect([usableDepth(28, 3), usableDepth(32, 3), usableDepth(64, 4), usableDepth(96, 5)]).toEqual([
      2, 3, 4, 5,
    ]);
    for (const [size, channels] of [
      [28, 1],
      [32, 3],
    ] as const) {
      const model = new ConvVae({ size, channels, latentDim: 5, width: 8, depth: 3 });
      const x = tf.zeros<tf.Rank.R2>([2, size * size * channels]);
      const { mean, logVariance } = model.encode(x);
      const out = model.decodeLogits(mean);
      expect(mean.shape).toEqual([2, 5]);
      expect(logVariance.shape).toEqual([2, 5]);
      expect(out.shape).toEqual([2, size * size * channels]);
      tf.dispose([x, mean, logVariance, out]);
      model.dispose();
    }
  });

  it('trains on MNIST (loss falls), leaks no tensors per epoch, and checkpoints round-trip', async () => {
    const runsRoot = await makeTempDir('latent-studio-conv-');
    const settings: TrainSettings = { ...SMALL, model: 'conv', width: 8, depth: 2, epochs: 3 };
    const run = await createMnistRun(runsRoot, settings);
    const counts: number[] = [];
    const { job, metrics } = await train(settings, run, () => counts.push(tf.memory().numTensors));
    expect(job.currentState).toBe('completed');
    expect(metrics[2]!.testLoss).toBeLessThan(metrics[0]!.testLoss);
    expect(counts[2]).toBe(counts[1]);
    const [latest] = (await listCheckpoints(run.checkpointsDir)).slice(-1);
    const restored = createModel(settings, 28, 1);
    restoreModel(restored, await readCheckpoint(latest!.directory));
    await expectSameEncoding(job.model!, restored, data.test, 4);
    restored.dispose();
    job.model?.dispose();
    // Three conv epochs on the cpu backend: 32–50 s on an idle 2-core CI machine, close to the default.
  }, 120_000);

  it('gives identical losses for the same seed on the cpu backend', async () => {
    const settings: TrainSettings = {
      ...SMALL,
      model: 'conv',
      width: 8,
      depth: 2,
      epochs: 1,
      trainLimit: 256,
    };
    const first = await train(settings);
    first.job.model?.dispose();
    const second = await train(settings);
    second.job.model?.dispose();
    expect(second.metrics.map((m) => [m.trainLoss, m.testLoss])).toEqual(
      first.metrics.map((m) => [m.trainLoss, m.testLoss]),
    );
  });
});

describe('building and disposing a model', () => {
  it('leaves no tensor behind', () => {
    for (const model of ['mlp', 'conv'] as const) {
      for (const likelihood of ['bernoulli', 'gaussian-learned'] as const) {
        const before = tf.memory().numTensors;
        createModel({ ...DEFAULT_TRAIN_SETTINGS, model, likelihood }, 28, 1).dispose();
        expect(tf.memory().numTensors, `${model} ${likelihood}`).toBe(before);
      }
    }
  });
});
