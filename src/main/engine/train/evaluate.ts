import * as tf from '@tensorflow/tfjs-core';
import type { Likelihood } from '../../../shared/train-settings';
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
  /** Var_x(E_q(z|x)[z_u]) per latent dimension u over the subset (population variance). */
  latentMeanVariance: number[];
  /** Dimensions whose `latentMeanVariance` exceeds ACTIVE_UNIT_VARIANCE (Burda et al. 2016). */
  activeUnits: number;
  /** Estimate of I(x; z) under q, nats (see `mutualInformationSum`). */
  mutualInformation: number;
}

/**
 * Burda, Grosse & Salakhutdinov (2016), "Importance Weighted Autoencoders", §5.2: a latent unit u
 * is active when A_u = Cov_x(E_{q(z|x)}[z_u]) > 10⁻². It asks whether the code moves with the
 * input, which a dimension can do while carrying little KL (and vice versa).
 */
export const ACTIVE_UNIT_VARIANCE = 0.01;

const EVAL_BATCH = 500;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** At most this many float32 values in one [rows, batch, latentDim] block of the MI estimate. */
const MI_BLOCK_VALUES = 4_000_000;

/** Units with Var_x(E[z_u | x]) above the threshold (Burda et al. 2016). */
export function countActiveUnits(latentMeanVariance: readonly number[]): number {
  return latentMeanVariance.filter((v) => v > ACTIVE_UNIT_VARIANCE).length;
}

/**
 * Σ_i of the per-image terms of the mutual information estimate over one batch of N images:
 *
 *   I(x; z) = E_x[KL(q(z|x) ‖ p(z))] − KL(q(z) ‖ p(z)) = E_{x, z~q(z|x)}[log q(z|x) − log q(z)]
 *
 * (Hoffman & Johnson 2016, "ELBO surgery"), with the aggregate posterior q(z) = (1/N) Σ_j q(z|x_j)
 * taken over the batch, as in He, Spokoyny, Neubig & Berg-Kirkpatrick (2019), "Lagging inference
 * networks", `calc_mi`. Term i is log q(z_i|x_i) − logsumexp_j log q(z_i|x_j) + log N for the sample
 * z_i ~ q(z|x_i); unlike He et al. the entropy term uses the same sample, so a collapsed posterior
 * (every q(z|x_j) alike) gives exactly 0 instead of sampling noise. Each term is ≤ log N, so the
 * estimate cannot exceed log N (≈ 6.2 nats for batches of 500). Rows go in blocks so the
 * [rows, N, latentDim] differences stay bounded.
 */
export function mutualInformationSum(mean: tf.Tensor2D, logVariance: tf.Tensor2D, z: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [n, latentDim] = mean.shape;
    const block = Math.max(1, Math.floor(MI_BLOCK_VALUES / Math.max(1, n * latentDim)));
    const inverseVariance = tf.exp(tf.neg(logVariance));
    // Σ_d (−½ log 2π − ½ log σ²_jd) per posterior j: the part of log q(z|x_j) that does not depend on z.
    const normaliser = tf.sub(tf.mul(-0.5, tf.sum(logVariance, 1)), latentDim * HALF_LOG_TWO_PI);
    // log q(z_i | x_i) for every image, from its own posterior.
    const own = tf.add(
      tf.mul(-0.5, tf.sum(tf.mul(tf.square(tf.sub(z, mean)), inverseVariance), 1)),
      normaliser,
    );
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += block) {
      const rows = Math.min(block, n - start);
      parts.push(
        tf.tidy(() => {
          const zi = tf.expandDims(tf.slice(z, [start, 0], [rows, latentDim]), 1);
          const scaled = tf.mul(
            tf.square(tf.sub(zi, tf.expandDims(mean, 0))),
            tf.expandDims(inverseVariance, 0),
          );
          // log q(z_i | x_j), [rows, N]; its logsumexp over j is log q(z_i) + log N.
          const logDensity = tf.add(tf.mul(-0.5, tf.sum(scaled, 2)), tf.expandDims(normaliser, 0));
          const ownRows = tf.slice(own, [start], [rows]);
          return tf.sum(tf.add(tf.sub(ownRows, tf.logSumExp(logDensity, 1)), Math.log(n)));
        }),
      );
    }
    return tf.addN(parts) as tf.Scalar;
  });
}

/**
 * One-sample negative ELBO over a whole subset, with fixed noise so epochs are comparable; with it
 * the active units (Burda et al. 2016) and the mutual information I(x; z), so posterior collapse
 * shows as MI ≈ 0 beside the KL.
 */
export async function evaluate(
  model: VaeModel,
  { set, indices }: ImageSubset,
  seed: number,
  likelihood: Likelihood = 'bernoulli',
): Promise<Evaluation> {
  const total = indices.length;
  let reconstruction = 0;
  let informationSum = 0;
  const klSums = new Float64Array(model.latentDim);
  // First and second moments of the encoder means, in float64, for Var_x(E[z | x]).
  const meanSums = new Float64Array(model.latentDim);
  const squareSums = new Float64Array(model.latentDim);
  for (let start = 0; start < total; start += EVAL_BATCH) {
    const end = Math.min(start + EVAL_BATCH, total);
    const parts = tf.tidy((): tf.Tensor[] => {
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
        tf.sum(mean, 0),
        tf.sum(tf.square(mean), 0),
        mutualInformationSum(mean, logVariance, z),
      ];
    });
    const [recon, klPerDim, meanSum, squareSum, information] = await Promise.all(parts.map((t) => t.data()));
    tf.dispose(parts);
    reconstruction += recon?.[0] ?? NaN;
    informationSum += information?.[0] ?? NaN;
    for (let d = 0; d < model.latentDim; d++) {
      klSums[d]! += klPerDim?.[d] ?? NaN;
      meanSums[d]! += meanSum?.[d] ?? NaN;
      squareSums[d]! += squareSum?.[d] ?? NaN;
    }
  }
  const klPerDimension = Array.from(klSums, (v) => v / total);
  const kl = klPerDimension.reduce((a, b) => a + b, 0);
  const latentMeanVariance = Array.from(meanSums, (sum, d) =>
    Math.max(0, squareSums[d]! / total - (sum / total) ** 2),
  );
  // The true I(x; z) lies in [0, E_x KL(q(z|x) ‖ p(z))]; the Monte Carlo estimate can stray a
  // little outside on a finite batch, and a reader should never see an impossible value.
  const mutualInformation = Math.min(Math.max(informationSum / total, 0), kl);
  return {
    loss: reconstruction / total + kl,
    reconstruction: reconstruction / total,
    kl,
    klPerDimension,
    latentMeanVariance,
    activeUnits: countActiveUnits(latentMeanVariance),
    mutualInformation: Number.isFinite(informationSum) ? mutualInformation : NaN,
  };
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
