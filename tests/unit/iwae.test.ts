import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { batchTensor } from '../../src/main/engine/data/batches';
import { wholeSet, type ImageSubset } from '../../src/main/engine/data/image-set';
import { reconstructionNll } from '../../src/main/engine/model/loss';
import { MlpVae } from '../../src/main/engine/model/vae-mlp';
import { estimateLogLikelihood, type IwaeOptions } from '../../src/main/engine/train/iwae';
import { HALF_LIT_SIZE, halfLitSet } from '../support/toy-images';

const PIXELS = HALF_LIT_SIZE * HALF_LIT_SIZE;
const LATENT = 3;

let data: ImageSubset;
beforeAll(async () => {
  await selectBackend('cpu');
  data = wholeSet(halfLitSet(24));
});

const newModel = (learnedVariance = false) =>
  new MlpVae({ inputSize: PIXELS, latentDim: LATENT, hiddenSize: 16, learnedVariance, seed: 7 });

const bernoulli = (samples: number, extra: Partial<IwaeOptions> = {}): IwaeOptions => ({
  samples,
  likelihood: 'bernoulli',
  ...extra,
});

describe('importance-weighted log-likelihood', () => {
  it('with K = 1 equals the one-sample ELBO computed by hand with the same noise', async () => {
    const model = newModel();
    const epsilon = tf.tidy(() =>
      tf.randomNormal<tf.Rank.R2>([data.indices.length, LATENT], 0, 1, 'float32', 3),
    );
    const estimate = await estimateLogLikelihood(model, data, bernoulli(1, { noise: () => epsilon.clone() }));
    // −log w = −log p(x|z) − log p(z) + log q(z|x), with every ½ log 2π written out.
    const byHand = tf.tidy(() => {
      const x = batchTensor(data.set, data.indices);
      const { mean, logVariance } = model.encode(x);
      const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), epsilon));
      const halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
      const logPrior = tf.sum(tf.sub(tf.mul(-0.5, tf.square(z)), halfLog2Pi), 1);
      const logPosterior = tf.sum(
        tf.sub(tf.mul(-0.5, tf.add(tf.square(epsilon), logVariance)), halfLog2Pi),
        1,
      );
      const nll = reconstructionNll(model, model.decodeLogits(z as tf.Tensor2D), x, 'bernoulli');
      return tf.mean(tf.add(nll, tf.sub(logPosterior, logPrior))).dataSync()[0]!;
    });
    expect(estimate.nll).toBe(estimate.negativeElbo);
    expect(estimate.nll).toBeCloseTo(byHand, 3);
    expect(estimate).toMatchObject({ samples: 1, images: 24, dimensions: PIXELS });
    expect(estimate.bitsPerDim).toBeCloseTo(estimate.nll / (PIXELS * Math.LN2), 10);
    epsilon.dispose();
    model.dispose();
  });

  it('never exceeds the −ELBO of the same samples, and tightens as K grows', async () => {
    const model = newModel();
    const means: number[] = [];
    for (const K of [1, 10, 200]) {
      let sum = 0;
      for (const seed of [1, 2, 3]) {
        const estimate = await estimateLogLikelihood(model, data, bernoulli(K, { seed }));
        expect(estimate.nll).toBeLessThanOrEqual(estimate.negativeElbo + 1e-9);
        if (K > 1) expect(estimate.nll).toBeLessThan(estimate.negativeElbo);
        sum += estimate.nll;
      }
      means.push(sum / 3);
    }
    expect(means[1]!).toBeLessThan(means[0]!);
    expect(means[2]!).toBeLessThan(means[1]!);
    model.dispose();
  });

  it('gives the same answer however the rows are chunked (images and samples kept apart)', async () => {
    const model = newModel();
    // Zero noise: every sample of an image has the same weight, so a row given to the wrong image
    // would make the log-mean-exp differ from the mean.
    const zeros = (rows: number, dim: number) => tf.zeros<tf.Rank.R2>([rows, dim]);
    const whole = await estimateLogLikelihood(model, data, bernoulli(7, { noise: zeros }));
    // 5 rows a chunk: one image's 7 samples are split, several images never share a chunk.
    const chunked = await estimateLogLikelihood(
      model,
      data,
      bernoulli(7, { noise: zeros, maxChunkValues: 5 * PIXELS }),
    );
    expect(chunked.nll).toBeCloseTo(whole.nll, 4);
    expect(chunked.nll).toBeCloseTo(chunked.negativeElbo, 4);
    // 3 images × 2 samples: several images share a chunk.
    const shared = await estimateLogLikelihood(
      model,
      data,
      bernoulli(2, { noise: zeros, maxChunkValues: 6 * PIXELS }),
    );
    expect(shared.nll).toBeCloseTo(whole.nll, 4);
    model.dispose();
  });

  it('has no bits/dim for a Gaussian likelihood', async () => {
    const model = newModel(true);
    const estimate = await estimateLogLikelihood(model, data, { samples: 4, likelihood: 'gaussian-learned' });
    expect(estimate.bitsPerDim).toBeNull();
    expect(Number.isFinite(estimate.nll)).toBe(true);
    model.dispose();
  });

  it('leaks no tensors, finished or cancelled', async () => {
    const model = newModel();
    const before = tf.memory().numTensors;
    await estimateLogLikelihood(model, data, bernoulli(9, { maxChunkValues: 10 * PIXELS }));
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    await expect(
      estimateLogLikelihood(
        model,
        data,
        bernoulli(9, {
          maxChunkValues: 10 * PIXELS,
          signal: controller.signal,
          onProgress: () => controller.abort(),
        }),
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stops within one chunk of a cancel, with progress up to then', async () => {
    const model = newModel();
    const controller = new AbortController();
    let chunks = 0;
    let chunksAtCancel = -1;
    const progress: number[] = [];
    const run = estimateLogLikelihood(
      model,
      data,
      bernoulli(4, {
        maxChunkValues: 8 * PIXELS, // 2 images a chunk: 12 chunks in all
        signal: controller.signal,
        noise: (rows, dim) => {
          chunks++;
          return tf.randomNormal<tf.Rank.R2>([rows, dim]);
        },
        onProgress: ({ imagesDone, images }) => {
          progress.push(imagesDone);
          expect(images).toBe(24);
          if (imagesDone >= 6 && chunksAtCancel < 0) {
            chunksAtCancel = chunks;
            controller.abort();
          }
        },
      }),
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBe(chunksAtCancel);
    expect(progress).toEqual([2, 4, 6]);
    model.dispose();
  });

  it('refuses K < 1 and an empty subset', async () => {
    const model = newModel();
    await expect(estimateLogLikelihood(model, data, bernoulli(0))).rejects.toThrow(/samples/);
    await expect(
      estimateLogLikelihood(model, { set: data.set, indices: new Uint32Array(0) }, bernoulli(2)),
    ).rejects.toThrow(/no images/);
    model.dispose();
  });
});
