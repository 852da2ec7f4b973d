/** The negative ELBO of a Bernoulli-likelihood VAE with a N(0, I) prior, per image, in nats. */
import * as tf from '@tensorflow/tfjs-core';
import type { VaeModel } from './vae-model';

export interface LossTerms {
  /** Mean over the batch of (reconstruction + KL). */
  loss: tf.Scalar;
  /** Mean over the batch of the summed binary cross-entropy. */
  reconstruction: tf.Scalar;
  /** Mean over the batch of KL(q(z|x) ‖ N(0, I)). */
  kl: tf.Scalar;
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

/** KL(N(μ, σ²) ‖ N(0, I)) per row: −½ Σ (1 + log σ² − μ² − σ²). */
export function gaussianKl(mean: tf.Tensor2D, logVariance: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() =>
    tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVariance), tf.square(mean)), tf.exp(logVariance)), 1)),
  );
}

/**
 * One-sample estimate of the negative ELBO. `noise` is ε ~ N(0, I) of shape [batch, latentDim],
 * passed in so callers control seeding; z = μ + σ ⊙ ε (the reparameterisation trick).
 */
export function vaeLoss(model: VaeModel, x: tf.Tensor2D, noise: tf.Tensor2D): LossTerms {
  return tf.tidy(() => {
    const { mean, logVariance } = model.encode(x);
    const z: tf.Tensor2D = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), noise));
    const reconstruction = tf.mean(bernoulliNll(model.decodeLogits(z), x)) as tf.Scalar;
    const kl = tf.mean(gaussianKl(mean, logVariance)) as tf.Scalar;
    return { loss: tf.add(reconstruction, kl) as tf.Scalar, reconstruction, kl };
  });
}
