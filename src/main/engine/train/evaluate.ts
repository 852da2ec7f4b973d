import * as tf from '@tensorflow/tfjs-core';
import type { Likelihood } from '../../../shared/types';
import { batchTensor } from '../data/batches';
import type { ImageSet, ImageSubset } from '../data/image-set';
import { gaussianKlPerDimension, reconstructionNll } from '../model/loss';
import type { VaeModel } from '../model/vae-model';

export interface Evaluation {
  /** Negative ELBO per image (nats), β = 1. */
  loss: number;
  reconstruction: number;
  kl: number;
  /** Mean KL per latent dimension (nats per image). */
  klPerDimension: number[];
}

const EVAL_BATCH = 500;

/** One-sample negative ELBO over a whole subset, with fixed noise so epochs are comparable. */
export async function evaluate(
  model: VaeModel,
  { set, indices }: ImageSubset,
  seed: number,
  likelihood: Likelihood = 'bernoulli',
): Promise<Evaluation> {
  const total = indices.length;
  let reconstruction = 0;
  const klSums = new Float64Array(model.latentDim);
  for (let start = 0; start < total; start += EVAL_BATCH) {
    const end = Math.min(start + EVAL_BATCH, total);
    const [recon, klPerDim] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
      const x = batchTensor(set, indices, start, end);
      const noise = tf.randomNormal<tf.Rank.R2>(
        [end - start, model.latentDim],
        0,
        1,
        'float32',
        seed + start,
      );
      const { mean, logVariance } = model.encode(x);
      const z: tf.Tensor2D = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), noise));
      return [
        tf.sum(reconstructionNll(model, model.decodeLogits(z), x, likelihood)),
        tf.sum(gaussianKlPerDimension(mean, logVariance), 0),
      ];
    });
    reconstruction += (await recon.data())[0] ?? NaN;
    const klValues = await klPerDim.data();
    for (let d = 0; d < klValues.length; d++) klSums[d]! += klValues[d]!;
    tf.dispose([recon, klPerDim]);
  }
  const klPerDimension = Array.from(klSums, (v) => v / total);
  const kl = klPerDimension.reduce((a, b) => a + b, 0);
  return { loss: reconstruction / total + kl, reconstruction: reconstruction / total, kl, klPerDimension };
}

/** Encoder means for the given images, row-major indices.length × latentDim. */
export async function encodeMeans(
  model: VaeModel,
  set: ImageSet,
  indices: Uint32Array,
): Promise<Float32Array> {
  const out = new Float32Array(indices.length * model.latentDim);
  for (let start = 0; start < indices.length; start += EVAL_BATCH) {
    const end = Math.min(start + EVAL_BATCH, indices.length);
    const mean = tf.tidy(() => model.encode(batchTensor(set, indices, start, end)).mean);
    out.set(await mean.data(), start * model.latentDim);
    mean.dispose();
  }
  return out;
}
