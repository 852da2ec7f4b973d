/**
 * The VAE objective with a N(0, I) prior: reconstruction negative log-likelihood under the chosen
 * p(x | z) plus β·KL(q(z | x) ‖ p(z)). All terms are per image, in nats. The reported negative
 * ELBO always uses β = 1, so runs with different β and warm-up stay comparable.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Likelihood } from '../../../shared/types';
import type { VaeModel } from './vae-model';

/** σ of the fixed-variance Gaussian likelihood, in pixel units of [0, 1]. */
export const FIXED_SIGMA = 0.1;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

export interface LossTerms {
  /** What is minimised: mean over the batch of reconstruction + β·KL. */
  objective: tf.Scalar;
  /** Mean over the batch of the negative ELBO (reconstruction + KL, β = 1). */
  loss: tf.Scalar;
  /** Mean over the batch of the reconstruction negative log-likelihood. */
  reconstruction: tf.Scalar;
  /** Mean over the batch of KL(q(z|x) ‖ N(0, I)). */
  kl: tf.Scalar;
}

export interface LossOptions {
  /** Default 'bernoulli'. */
  likelihood?: Likelihood;
  /** KL weight for the objective. Default 1. */
  beta?: number;
}

/**
 * Summed binary cross-entropy per row, from logits: max(l, 0) − l·x + log(1 + e^−|l|).
 * Computed from logits rather than sigmoid outputs so it stays finite when the decoder saturates.
 */
export function bernoulliNll(logits: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const perPixel = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, target)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    return tf.sum(perPixel, 1);
  });
}

/**
 * Summed Gaussian negative log-likelihood per row, mean = sigmoid(outputs) (pixels live in [0, 1]),
 * with log σ a scalar: ½((x − μ)/σ)² + log σ + ½ log 2π per pixel.
 */
export function gaussianNll(
  outputs: tf.Tensor2D,
  target: tf.Tensor2D,
  logSigma: tf.Scalar | number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const logS = typeof logSigma === 'number' ? tf.scalar(logSigma) : logSigma;
    const scaled = tf.div(tf.sub(target, tf.sigmoid(outputs)), tf.exp(logS));
    const perPixel = tf.add(tf.add(tf.mul(0.5, tf.square(scaled)), logS), HALF_LOG_TWO_PI);
    return tf.sum(perPixel, 1);
  });
}

/** KL(N(μ, σ²) ‖ N(0, I)) per row and dimension: −½ (1 + log σ² − μ² − σ²). */
export function gaussianKlPerDimension(mean: tf.Tensor2D, logVariance: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() =>
    tf.mul(-0.5, tf.sub(tf.sub(tf.add(1, logVariance), tf.square(mean)), tf.exp(logVariance))),
  );
}

/** KL(N(μ, σ²) ‖ N(0, I)) per row, summed over dimensions. */
export function gaussianKl(mean: tf.Tensor2D, logVariance: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(gaussianKlPerDimension(mean, logVariance), 1));
}

/** Per-row reconstruction NLL under the likelihood; the learned σ comes from the model. */
export function reconstructionNll(
  model: VaeModel,
  outputs: tf.Tensor2D,
  x: tf.Tensor2D,
  likelihood: Likelihood,
): tf.Tensor1D {
  switch (likelihood) {
    case 'bernoulli':
      return bernoulliNll(outputs, x);
    case 'gaussian-fixed':
      return gaussianNll(outputs, x, Math.log(FIXED_SIGMA));
    case 'gaussian-learned': {
      if (!model.logSigma)
        throw new Error('a learned-variance likelihood needs a model with a log σ variable');
      return gaussianNll(outputs, x, model.logSigma);
    }
  }
}

/** Pixel means in [0, 1] for display: the decoder outputs through a sigmoid, for every likelihood. */
export function reconstructionMean(outputs: tf.Tensor2D): tf.Tensor2D {
  return tf.sigmoid(outputs);
}

/**
 * One-sample estimate of the negative ELBO and the β-weighted objective. `noise` is ε ~ N(0, I) of
 * shape [batch, latentDim], passed in so callers control seeding; z = μ + σ ⊙ ε.
 */
export function vaeLoss(
  model: VaeModel,
  x: tf.Tensor2D,
  noise: tf.Tensor2D,
  options: LossOptions = {},
): LossTerms {
  const beta = options.beta ?? 1;
  return tf.tidy(() => {
    const { mean, logVariance } = model.encode(x);
    const z: tf.Tensor2D = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), noise));
    const outputs = model.decodeLogits(z);
    const reconstruction = tf.mean(
      reconstructionNll(model, outputs, x, options.likelihood ?? 'bernoulli'),
    ) as tf.Scalar;
    const kl = tf.mean(gaussianKl(mean, logVariance)) as tf.Scalar;
    const loss = tf.add(reconstruction, kl) as tf.Scalar;
    const objective = beta === 1 ? loss.clone() : (tf.add(reconstruction, tf.mul(beta, kl)) as tf.Scalar);
    return { objective, loss, reconstruction, kl };
  });
}
