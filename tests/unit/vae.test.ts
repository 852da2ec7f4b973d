import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { batchTensor } from '../../src/main/engine/data/batches';
import { stratifiedSample, wholeSet } from '../../src/main/engine/data/image-set';
import { loadMnist, type MnistSplits } from '../../src/main/engine/data/mnist';
import { bernoulliNll, gaussianKl, vaeLoss } from '../../src/main/engine/model/loss';
import { MlpVae } from '../../src/main/engine/model/vae-mlp';
import { TrainingJob, type TrainingData } from '../../src/main/engine/train/training-job';
import type { LatentSnapshot, TrainState } from '../../src/shared/types';
import { mnistSettings } from '../support/mnist-run';

let mnist: MnistSplits;
let data: TrainingData;
beforeAll(async () => {
  await selectBackend('cpu');
  mnist = await loadMnist();
  data = { train: wholeSet(mnist.train), test: wholeSet(mnist.test) };
});

describe('VAE loss terms', () => {
  it('binary cross-entropy from logits equals the hand-computed value', () => {
    // l=0, x=1: ln 2; l=2, x=0: 2 + ln(1 + e^-2); l=-3, x=0.5: 1.5 + ln(1 + e^-3)
    const expected = Math.LN2 + 2 + Math.log1p(Math.exp(-2)) + 1.5 + Math.log1p(Math.exp(-3));
    const value = tf.tidy(() =>
      bernoulliNll(tf.tensor2d([[0, 2, -3]]), tf.tensor2d([[1, 0, 0.5]])).arraySync(),
    );
    expect(value[0]).toBeCloseTo(expected, 5);
  });

  it('stays finite for saturated logits', () => {
    const value = tf.tidy(() => bernoulliNll(tf.tensor2d([[200, -200]]), tf.tensor2d([[1, 0]])).arraySync());
    expect(value[0]).toBeCloseTo(0, 5);
  });

  it('KL to N(0, I) equals the hand-computed value', () => {
    // dim 1: μ=0, σ²=1 → 0; dim 2: μ=1, σ²=4 → −½(1 + ln 4 − 1 − 4) = 2 − ln 2
    const value = tf.tidy(() =>
      gaussianKl(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, Math.log(4)]])).arraySync(),
    );
    expect(value[0]).toBeCloseTo(2 - Math.LN2, 5);
  });

  it('the negative ELBO is reconstruction + KL, decoded from z = μ when the noise is zero', () => {
    const model = new MlpVae({ inputSize: 784, latentDim: 4, hiddenSize: 16, seed: 3 });
    const x = batchTensor(mnist.test, [0, 1, 2]);
    const terms = vaeLoss(model, x, tf.zeros<tf.Rank.R2>([3, 4]));
    const manual = tf.tidy(() => {
      const { mean, logVariance } = model.encode(x);
      return tf
        .add(tf.mean(bernoulliNll(model.decodeLogits(mean), x)), tf.mean(gaussianKl(mean, logVariance)))
        .arraySync();
    });
    expect(terms.loss.arraySync()).toBeCloseTo(terms.reconstruction.arraySync() + terms.kl.arraySync(), 3);
    expect(terms.loss.arraySync()).toBeCloseTo(manual as number, 3);
    // An untrained decoder outputs ~0.5 everywhere: ≈ 784 · ln 2 nats for the reconstruction.
    expect(terms.reconstruction.arraySync()).toBeGreaterThan(400);
    tf.dispose([x, terms.loss, terms.reconstruction, terms.kl]);
    model.dispose();
  });
});

describe('training', () => {
  it('one Adam step on a fixed batch lowers the loss', () => {
    const model = new MlpVae({ inputSize: 784, latentDim: 20, seed: 1 });
    const optimizer = tf.train.adam(1e-3);
    const x = batchTensor(
      mnist.train,
      stratifiedSample({ set: mnist.train, indices: data.train.indices.subarray(0, 1000) }, 64),
    );
    const noise = tf.randomNormal<tf.Rank.R2>([64, 20], 0, 1, 'float32', 5);
    const lossOf = () => tf.tidy(() => vaeLoss(model, x, noise).loss.arraySync());
    const before = lossOf();
    optimizer.minimize(() => vaeLoss(model, x, noise).loss, false, model.variables);
    const after = lossOf();
    expect(after).toBeLessThan(before);
    tf.dispose([x, noise]);
    optimizer.dispose();
    model.dispose();
  });

  it('runs epochs without leaking tensors, reports metrics and snapshots, and the loss falls', async () => {
    const tensorsAtEpochEnd: number[] = [];
    const snapshots: LatentSnapshot[] = [];
    const states: TrainState[] = [];
    const job = new TrainingJob(
      'job-1',
      mnistSettings({
        trainLimit: 1_024,
        testLimit: 256,
        displayCount: 100,
        epochs: 3,
        batchSize: 128,
        learningRate: 1e-3,
        latentDim: 8,
        seed: 2,
      }),
      {
        onState: (state) => states.push(state),
        onProgress: () => undefined,
        onEpochEnd: (snapshot) => {
          snapshots.push(snapshot);
          tensorsAtEpochEnd.push(tf.memory().numTensors);
        },
      },
    );
    await job.run(async () => data);
    expect(states).toEqual(['loading', 'running', 'completed']);
    expect(snapshots.map((s) => s.epoch)).toEqual([1, 2, 3]);
    // The optimiser's slots appear during epoch 1; after that the count must not move.
    expect(tensorsAtEpochEnd[2]).toBe(tensorsAtEpochEnd[1]);
    const last = snapshots[2]!;
    // The 2-D layout is the engine's projector's job now (tests/integration/latent-map.test.ts).
    expect(last.means).toBeInstanceOf(Float32Array);
    expect(last.means.length).toBe(800);
    expect(new Set(last.labels).size).toBe(10);
    expect(last.metrics.testLoss).toBeLessThan(snapshots[0]!.metrics.testLoss);
    expect(last.metrics.testLoss).toBeCloseTo(last.metrics.testReconstruction + last.metrics.testKl, 2);
    job.model?.dispose();
  });

  it('gives identical losses for the same seed on the cpu backend', async () => {
    const run = async () => {
      const losses: number[] = [];
      const job = new TrainingJob(
        'job-seed',
        mnistSettings({
          trainLimit: 256,
          testLimit: 128,
          displayCount: 32,
          epochs: 1,
          batchSize: 64,
          learningRate: 1e-3,
          latentDim: 4,
          seed: 9,
        }),
        {
          onState: () => undefined,
          onProgress: () => undefined,
          onEpochEnd: (s) => losses.push(s.metrics.trainLoss, s.metrics.testLoss),
        },
      );
      await job.run(async () => data);
      job.model?.dispose();
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it('stratified display subsets cover every class evenly', () => {
    const picked = stratifiedSample(data.test, 1_000);
    const counts = new Map<number, number>();
    for (const i of picked) counts.set(mnist.test.labels[i]!, (counts.get(mnist.test.labels[i]!) ?? 0) + 1);
    expect([...counts.values()]).toEqual(new Array(10).fill(100));
  });
});
