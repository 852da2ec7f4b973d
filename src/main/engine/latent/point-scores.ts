/**
 * How well a model explains each image: the per-image negative ELBO (Kingma & Welling 2014, eq. 3)
 * and its two terms, E_q[−log p(x|z)] estimated over a few draws of z ~ q(z|x) and the KL to the
 * N(0, I) prior in closed form. The terms are the training loss's own (`reconstructionNll`,
 * `gaussianKl`), so a score means what the loss curves mean. Images the model explains worst (high
 * negative ELBO) are the odd ones of a dataset: noise, inverted or mislabelled files.
 *
 * The draws are seeded per image (by its position in the list scored), so the same images score
 * the same every time, in whatever batches they are taken.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Likelihood } from '../../../shared/train-settings';
import { batchTensor } from '../data/batches';
import type { ImageSet } from '../data/image-set';
import { priorLatents } from '../gallery/generate';
import { gaussianKl, reconstructionNll } from '../model/loss';
import type { VaeModel } from '../model/vae-model';

/** Draws of z per image: enough to steady the ranking, few enough to score 10,000 points in seconds. */
export const SCORE_SAMPLES = 4;
/** The seed every image's draws derive from (with its position). */
const SCORE_SEED = 0x5c0_7e5;
/** At most this many float32 pixel values in one batch of decoder rows (images × samples). */
const BATCH_VALUES = 1 << 22;
/** At most this many images per batch (so other requests wait for one batch at most). */
const MAX_BATCH_IMAGES = 64;

export interface ImageScores {
  /** Per image, nats: reconstruction + kl. */
  negElbo: Float32Array;
  /** Per image, nats: E_q[−log p(x|z)] over the draws. */
  reconstruction: Float32Array;
  /** Per image, nats: KL(q(z|x) ‖ N(0, I)), analytic. */
  kl: Float32Array;
}

export interface ScoreOptions {
  likelihood: Likelihood;
  /** Draws of z per image. Default SCORE_SAMPLES. */
  samples?: number;
}

/** Lets other engine requests run between batches (a resolved promise alone would not). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** ε for `rows` images × `samples` draws, laid out [sample][image][dimension], seeded by position. */
function noiseFor(first: number, rows: number, samples: number, latentDim: number): Float32Array {
  const noise = new Float32Array(samples * rows * latentDim);
  for (let r = 0; r < rows; r++) {
    const seed = (SCORE_SEED ^ Math.imul(first + r + 1, 0x9e3779b1)) >>> 0;
    const draws = priorLatents(latentDim, { count: samples, temperature: 1, seed });
    for (let s = 0; s < samples; s++) {
      noise.set(draws.subarray(s * latentDim, (s + 1) * latentDim), (s * rows + r) * latentDim);
    }
  }
  return noise;
}

/**
 * Scores `indices` of `set` (in that order) with `model`, in batches, yielding to other work
 * between them. z = μ + σ ⊙ ε exactly as in `vaeLoss`; every tensor is freed before it returns.
 */
export async function scoreImages(
  model: VaeModel,
  set: ImageSet,
  indices: ArrayLike<number>,
  { likelihood, samples = SCORE_SAMPLES }: ScoreOptions,
): Promise<ImageScores> {
  const count = indices.length;
  const { latentDim, inputSize } = model;
  const reconstruction = new Float32Array(count);
  const kl = new Float32Array(count);
  const batch = Math.max(1, Math.min(MAX_BATCH_IMAGES, Math.floor(BATCH_VALUES / (inputSize * samples))));
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(start + batch, count);
    const rows = end - start;
    const noise = noiseFor(start, rows, samples, latentDim);
    const [recon, divergence] = tf.tidy(() => {
      const x = batchTensor(set, indices, start, end);
      const { mean, logVariance } = model.encode(x);
      const sd = tf.exp(tf.mul(0.5, logVariance));
      const epsilon = tf.tensor3d(noise, [samples, rows, latentDim]);
      const z = tf.reshape(tf.add(mean, tf.mul(sd, epsilon)), [samples * rows, latentDim]) as tf.Tensor2D;
      const perDraw = reconstructionNll(model, model.decodeLogits(z), tf.tile(x, [samples, 1]), likelihood);
      return [tf.mean(tf.reshape(perDraw, [samples, rows]), 0), gaussianKl(mean, logVariance)];
    });
    try {
      reconstruction.set(await recon.data(), start);
      kl.set(await divergence.data(), start);
    } finally {
      recon.dispose();
      divergence.dispose();
    }
    if (end < count) await yieldToEvents();
  }
  const negElbo = new Float32Array(count);
  for (let i = 0; i < count; i++) negElbo[i] = reconstruction[i]! + kl[i]!;
  return { negElbo, reconstruction, kl };
}

/** The three arrays as one block (negElbo, reconstruction, kl), as the layout store keeps them. */
export function packScores({ negElbo, reconstruction, kl }: ImageScores): Float32Array {
  const packed = new Float32Array(3 * negElbo.length);
  packed.set(negElbo, 0);
  packed.set(reconstruction, negElbo.length);
  packed.set(kl, 2 * negElbo.length);
  return packed;
}

/**
 * The arrays of a stored block, or null when it cannot be scores: a value that is not finite, a
 * negative KL, or a negative ELBO that is not the sum of its terms (a damaged or foreign file).
 */
export function unpackScores(packed: Float32Array, count: number): ImageScores | null {
  if (packed.length !== 3 * count) return null;
  const negElbo = packed.slice(0, count);
  const reconstruction = packed.slice(count, 2 * count);
  const kl = packed.slice(2 * count);
  for (let i = 0; i < count; i++) {
    const [total, recon, divergence] = [negElbo[i]!, reconstruction[i]!, kl[i]!];
    if (!Number.isFinite(total) || !Number.isFinite(recon) || !Number.isFinite(divergence)) return null;
    if (divergence < -1e-3 || Math.abs(total - (recon + divergence)) > 1e-4 * Math.max(1, Math.abs(total))) {
      return null;
    }
  }
  return { negElbo, reconstruction, kl };
}
