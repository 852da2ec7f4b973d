// Over 300 lines: the ELBO's four likelihoods and its KL term, each a short function, kept side by side.
/**
 * The VAE objective with a N(0, I) prior: reconstruction negative log-likelihood under the chosen
 * p(x | z) plus β·KL(q(z | x) ‖ p(z)). All terms are per image, in nats. The reported negative
 * ELBO always uses β = 1, so runs with different β and warm-up stay comparable.
 *
 * Pixels arrive as uint8 / 255 in [0, 1] (`data/batches.ts`). Only the discretized logistic and the
 * Bernoulli (on binary images) are probabilities of those pixels; the Gaussians are densities on
 * [0, 1], useful as losses, whose "NLL" is no bound on anything and can go below zero.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Likelihood } from '../../../shared/train-settings';
import type { VaeModel } from './vae-model';

/** σ of the fixed-variance Gaussian likelihood, in pixel units of [0, 1]. */
export const FIXED_SIGMA = 0.1;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Floor of a learned Gaussian's log σ: σ ≥ 1/512 in [0, 1] units, under half an 8-bit step. Without
 * it σ shrinks towards 0 on pixels the decoder gets exactly right and the density (hence the "loss")
 * runs off to −∞ (a run reached −12,370 nats).
 */
export const GAUSSIAN_LOG_SIGMA_FLOOR = Math.log(1 / 512);

/**
 * Floor of the discretized logistic's log-scale in [0, 1] units: PixelCNN++'s floor of −7 in its
 * [−1, 1] units (Salimans et al. 2017), which is −7 − ln 2 here. At the floor a bin holds 97% of the
 * mass, so the floor only stops the scale (and its gradients) from running away, not the fit.
 */
export const LOGISTIC_LOG_SCALE_FLOOR = -7 - Math.LN2;

/** Half an 8-bit step in [0, 1] units: level k covers [k/255 − HALF_BIN, k/255 + HALF_BIN]. */
export const HALF_BIN = 0.5 / 255;

export interface LossTerms {
  /** What is minimised: mean over the batch of reconstruction + β·KL. */
  objective: tf.Scalar;
  /** Mean over the batch of the negative ELBO (reconstruction + KL, β = 1). */
  loss: tf.Scalar;
  /** Mean over the batch of the reconstruction negative log-likelihood. */
  reconstruction: tf.Scalar;
  /** Mean over the batch of KL(q(z|x) ‖ N(0, I)). */
  kl: tf.Scalar;
  /**
   * With `fitScale`, the likelihood's scale that best fits this batch's residuals, as the raw value
   * to assign to the model's `logScale` ([channels]) or `logSigma` (scalar): see `fitScaleToResiduals`.
   */
  fittedScale?: tf.Tensor;
}

export interface LossOptions {
  /** Default 'bernoulli'. */
  likelihood?: Likelihood;
  /** KL weight for the objective. Default 1. */
  beta?: number;
  /**
   * Also return the batch's best-fitting likelihood scale (`LossTerms.fittedScale`) for a learned
   * discretized logistic or Gaussian, which training assigns after each step. Default false.
   */
  fitScale?: boolean;
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
 * A learned log-scale held above `floor`: floor + softplus(raw − floor). Equal to raw well above
 * the floor; smooth, so unlike PixelCNN++'s hard clamp the raw variable still gets a gradient below
 * the floor and cannot get stuck there.
 */
export function flooredLogScale<T extends tf.Tensor>(raw: T, floor: number): T {
  return tf.tidy(() => tf.add(floor, tf.softplus(tf.sub(raw, floor))) as T);
}

/**
 * log(1 − e^−d) for d > 0 as log(−expm1(−d)): exact for small d, where 1 − e^−d would cancel
 * (Mächler 2012); for large d it rounds to log 1 = 0 with an error below e^−d. One branch, because
 * tfjs has no gradient for the comparison a tf.where would need here.
 */
function log1mExp(d: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.log(tf.neg(tf.expm1(tf.neg(d)))));
}

/**
 * log P(x) per pixel under the discretized logistic of Salimans, Karpathy, Chen & Kingma (2017),
 * "PixelCNN++", eq. 2, in [0, 1] units: P(x) = σ((x + ½/255 − μ)/s) − σ((x − ½/255 − μ)/s), with the
 * bins at 0 and 255 reaching to −∞ and +∞, so the 256 probabilities of a pixel sum to exactly 1.
 * `logScale` is log s (already floored), broadcastable to the pixels. Every case is a softplus
 * form, with no log(0): for a < b (a = (x − ½/255 − μ)/s, b = (x + ½/255 − μ)/s),
 *   x = 0:    log σ(b)          = −softplus(−b)
 *   x = 255:  log(1 − σ(a))     = −softplus(a)
 *   between:  log(σ(b) − σ(a))  = −softplus(−b) − softplus(a) + log(1 − e^−(b − a)),
 * since σ(b) − σ(a) = σ(b)(1 − σ(a))(1 − e^(a − b)).
 */
export function discretizedLogisticLogProb<T extends tf.Tensor>(mean: T, target: T, logScale: tf.Tensor): T {
  return tf.tidy(() => {
    const inverseScale = tf.exp(tf.neg(logScale));
    const centred = tf.sub(target, mean);
    const upper = tf.mul(tf.add(centred, HALF_BIN), inverseScale);
    const lower = tf.mul(tf.sub(centred, HALF_BIN), inverseScale);
    const logCdfUpper = tf.neg(tf.softplus(tf.neg(upper)));
    const logSurvivalLower = tf.neg(tf.softplus(lower));
    const binWidth = tf.mul(tf.onesLike(upper), tf.mul(2 * HALF_BIN, inverseScale));
    const logBetween = tf.add(tf.add(logCdfUpper, logSurvivalLower), log1mExp(binWidth));
    // Thresholds half a step in from the ends: exact for k/255, whatever float rounding did to x.
    const lowest = tf.less(target, HALF_BIN);
    const highest = tf.greater(target, 1 - HALF_BIN);
    return tf.where(lowest, logCdfUpper, tf.where(highest, logSurvivalLower, logBetween)) as T;
  });
}

/**
 * Summed discretized-logistic NLL per row, mean = sigmoid(outputs), with one learned log-scale per
 * channel (`logScale` of shape [channels], raw, floored here; pixels are NHWC-flattened, so channel
 * c holds every channels-th value). Integer-valued data make this a true NLL in nats.
 */
export function discretizedLogisticNll(
  outputs: tf.Tensor2D,
  target: tf.Tensor2D,
  logScale: tf.Tensor1D,
): tf.Tensor1D {
  return tf.tidy((): tf.Tensor1D => {
    const channels = logScale.shape[0];
    const pixels = outputs.shape[1];
    if (pixels % channels !== 0) throw new Error(`${pixels} outputs do not split into ${channels} channels`);
    // [rows, pixels, channels], so the [channels] scale broadcasts: a tiled scale's gradient was
    // one Slice + Add per pixel (4,096 kernels at 64 px RGB, ~37 % of a conv training step).
    const shape: [number, number, number] = [outputs.shape[0], pixels / channels, channels];
    const logProb = discretizedLogisticLogProb(
      tf.reshape(tf.sigmoid(outputs), shape),
      tf.reshape(target, shape),
      flooredLogScale(logScale, LOGISTIC_LOG_SCALE_FLOOR),
    );
    return tf.neg(tf.sum<tf.Tensor1D>(logProb, [1, 2]));
  });
}

/**
 * Summed Gaussian negative log-likelihood per row, mean = sigmoid(outputs) (pixels live in [0, 1]),
 * with log σ a scalar: ½((x − μ)/σ)² + log σ + ½ log 2π per pixel. A density, not a probability:
 * a loss, with no bits/dim.
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

/** Per-row reconstruction NLL under the likelihood; learned scales come from the model, floored here. */
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
      const { logSigma } = model;
      if (!logSigma) throw new Error('a learned-variance likelihood needs a model with a log σ variable');
      return tf.tidy(() => gaussianNll(outputs, x, flooredLogScale(logSigma, GAUSSIAN_LOG_SIGMA_FLOOR)));
    }
    case 'discretized-logistic': {
      if (!model.logScale)
        throw new Error('a discretized logistic likelihood needs a model with a log-scale per channel');
      return discretizedLogisticNll(outputs, x, model.logScale);
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
    const fittedScale = options.fitScale
      ? fitScaleToResiduals(model, outputs, x, options.likelihood ?? 'bernoulli')
      : undefined;
    return { objective, loss, reconstruction, kl, ...(fittedScale ? { fittedScale } : {}) };
  });
}

/**
 * The likelihood scale that maximises this batch's likelihood given the decoder's means, as the raw
 * (pre-floor) value of the model's scale variable; null for likelihoods without a learned scale.
 *
 * Why fit rather than learn by gradient: Adam moves log s by about one learning rate per step, so
 * from its start at s = 0.1 the scale needs thousands of steps to follow the residuals down to
 * ~0.02, and until it does the reconstruction term is under-weighted against the KL and the decoder
 * settles for blurry, greyish means (measured: bench/models.ts). The "optimal σ-VAE" of Rybkin,
 * Daniilidis & Levine (2021, "Simple and Effective VAE Training with Calibrated Decoders", §4) sets
 * σ analytically to its maximum-likelihood value for the batch instead; that is what this does:
 *   - Gaussian: σ̂² = mean((x − μ)²) over every pixel (one σ for the image, as the model has);
 *   - logistic, per channel: the MLE of a logistic scale solves mean(u · tanh(u / 2)) = 1 with
 *     u = |x − μ| / s (set d/ds of −u − log s − 2 log(1 + e^−u) to zero), solved by the fixed point
 *     s ← mean(|r| · tanh(|r| / 2s)) from the moment estimate s₀ = mean|r| / (2 ln 2) (E|r| = 2 s ln 2);
 *     three iterations are within 1 % of the root on VAE residuals. The 1/255 binning is ignored:
 *     it matters only near the floor, which still applies.
 */
export function fitScaleToResiduals(
  model: VaeModel,
  outputs: tf.Tensor2D,
  x: tf.Tensor2D,
  likelihood: Likelihood,
): tf.Tensor | undefined {
  if (likelihood === 'gaussian-learned' && model.logSigma) {
    return tf.tidy(() => {
      const meanSquare = tf.mean(tf.square(tf.sub(x, tf.sigmoid(outputs))));
      return rawForFloored(tf.mul(0.5, tf.log(tf.maximum(meanSquare, 1e-12))), GAUSSIAN_LOG_SIGMA_FLOOR);
    });
  }
  if (likelihood === 'discretized-logistic' && model.logScale) {
    const channels = model.logScale.shape[0];
    return tf.tidy(() => {
      const residual = tf.abs(tf.reshape(tf.sub(x, tf.sigmoid(outputs)), [-1, channels]));
      let scale = tf.maximum(tf.div(tf.mean(residual, 0), 2 * Math.LN2), 1e-6);
      for (let i = 0; i < 3; i++) {
        const next = tf.mean(tf.mul(residual, tf.tanh(tf.div(residual, tf.mul(2, scale)))), 0);
        scale = tf.maximum(next, 1e-6);
      }
      return rawForFloored(tf.log(scale), LOGISTIC_LOG_SCALE_FLOOR);
    });
  }
  return undefined;
}

/**
 * Moves the model's scale variable to `fitted` (from `fitScaleToResiduals`), by `weight` of the way
 * in log space: an exponential average over the last few batches, so the scale kept for evaluation
 * and sampling is not one batch's. A channel whose fit is not finite keeps its value (the step's
 * loss then says the run diverged). Returns false where the model has no such variable.
 */
export function applyFittedScale(model: VaeModel, fitted: tf.Tensor, weight = 0.5): boolean {
  const variable: tf.Variable | undefined = model.logScale ?? model.logSigma;
  if (!variable || fitted.size !== variable.size) return false;
  tf.tidy(() => {
    const target = tf.reshape(fitted, variable.shape);
    const averaged = tf.add(variable, tf.mul(weight, tf.sub(target, variable)));
    variable.assign(tf.where(tf.isFinite(target), averaged, variable));
  });
  return true;
}

/** The raw value whose `flooredLogScale` is `target` (kept a hair above the floor, where it is finite). */
function rawForFloored(target: tf.Tensor, floor: number): tf.Tensor {
  return tf.tidy(() => {
    const above = tf.maximum(tf.sub(target, floor), 1e-4);
    // softplus⁻¹(y) = y + log(1 − e^−y), exact for large y as well.
    return tf.add(floor, tf.add(above, log1mExp(above)));
  });
}
