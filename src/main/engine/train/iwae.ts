/**
 * Importance-weighted estimate of log p(x) (the IWAE bound, Burda, Grosse & Salakhutdinov 2016):
 * with K samples z_k ~ q(z | x),
 *
 *   log p(x) ≈ logsumexp_k [log p(x | z_k) + log p(z_k) − log q(z_k | x)] − log K,
 *
 * a lower bound that tightens as K grows (K = 1 is the one-sample ELBO). The mean of the same K
 * log-weights is the ELBO estimate, so on the same samples the IWAE NLL never exceeds the −ELBO.
 * Rows (images × samples) go through the decoder in memory-bounded chunks; the log-weights come
 * back to JavaScript and are summed in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LikelihoodEstimate } from '../../../shared/likelihood-types';
import type { Likelihood } from '../../../shared/train-settings';
import { batchTensor } from '../data/batches';
import type { ImageSubset } from '../data/image-set';
import { reconstructionNll } from '../model/loss';
import type { VaeModel } from '../model/vae-model';

export type { LikelihoodEstimate };

export interface IwaeProgress {
  /** Images whose K samples are all done. */
  imagesDone: number;
  images: number;
}

export interface IwaeOptions {
  /** Importance samples per image (K ≥ 1). */
  samples: number;
  likelihood: Likelihood;
  /** Seed of the noise ε; each chunk uses seed + its index. Default 1. */
  seed?: number;
  /** At most this many float32 values per input-sized tensor in one pass. Default 1,000,000 (4 MB), so the engine answers between chunks. */
  maxChunkValues?: number;
  /** Stops between chunks with an AbortError. */
  signal?: AbortSignal;
  /** After every chunk. */
  onProgress?: (progress: IwaeProgress) => void;
  /** ε ~ N(0, I) for one chunk, [rows, latentDim]; replaces the seeded default (tests). */
  noise?: (rows: number, latentDim: number, chunk: number) => tf.Tensor2D;
}

const DEFAULT_MAX_CHUNK_VALUES = 1_000_000;

/** Whether bits/dim means something: a discrete (probability mass) likelihood, not a density. */
export function hasBitsPerDim(likelihood: string): boolean {
  return !likelihood.startsWith('gaussian');
}

function abortError(): Error {
  const error = new Error('The likelihood estimate was cancelled.');
  error.name = 'AbortError';
  return error;
}

/** Lets a cancel (or any other message) in between chunks. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * log w for `sampleCount` samples of each of the images `x` ([images, D]), rows ordered
 * sample-major (row s·images + b is sample s of image b).
 */
function logWeights(
  model: VaeModel,
  x: tf.Tensor2D,
  mean: tf.Tensor2D,
  logVariance: tf.Tensor2D,
  epsilon: tf.Tensor2D,
  sampleCount: number,
  likelihood: Likelihood,
): tf.Tensor1D {
  return tf.tidy(() => {
    const reps = [sampleCount, 1];
    const z: tf.Tensor2D = tf.add(
      tf.tile(mean, reps),
      tf.mul(tf.tile(tf.exp(tf.mul(0.5, logVariance)), reps), epsilon),
    );
    const nll = reconstructionNll(model, model.decodeLogits(z), tf.tile(x, reps), likelihood);
    // log p(z) − log q(z | x) = −½Σz² + ½Σε² + ½Σ log σ² (the ½ log 2π terms cancel).
    const logPrior = tf.mul(-0.5, tf.sum(tf.square(z), 1));
    const logPosterior = tf.mul(
      -0.5,
      tf.add(tf.sum(tf.square(epsilon), 1), tf.tile(tf.sum(logVariance, 1), [sampleCount])),
    );
    return tf.sub(tf.sub(logPrior, logPosterior), nll);
  });
}

/** The IWAE NLL, the −ELBO and bits/dim of a model on some images. */
export async function estimateLogLikelihood(
  model: VaeModel,
  { set, indices }: ImageSubset,
  options: IwaeOptions,
): Promise<LikelihoodEstimate> {
  const K = options.samples;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`samples must be a whole number ≥ 1 (got ${K})`);
  const total = indices.length;
  if (total === 0) throw new RangeError('there are no images to evaluate');
  const seed = options.seed ?? 1;
  const latentDim = model.latentDim;
  // A chunk's rows (images × samples) are bounded so its tiled input stays under the budget.
  const rowBudget = Math.max(
    1,
    Math.floor((options.maxChunkValues ?? DEFAULT_MAX_CHUNK_VALUES) / model.inputSize),
  );
  const imagesPerBlock = Math.max(1, Math.floor(rowBudget / K));
  const samplesPerChunk = Math.min(K, rowBudget);
  const noise =
    options.noise ??
    ((rows: number, dim: number, chunk: number) =>
      tf.randomNormal<tf.Rank.R2>([rows, dim], 0, 1, 'float32', seed + chunk));
  let chunk = 0;
  let nllSum = 0;
  let elboSum = 0;
  const logK = Math.log(K);
  for (let start = 0; start < total; start += imagesPerBlock) {
    const end = Math.min(start + imagesPerBlock, total);
    const images = end - start;
    const weights = new Float64Array(images * K);
    const x = batchTensor(set, indices, start, end);
    const { mean, logVariance } = tf.tidy(() => ({ ...model.encode(x) }));
    try {
      for (let s0 = 0; s0 < K; s0 += samplesPerChunk) {
        if (options.signal?.aborted) throw abortError();
        const count = Math.min(samplesPerChunk, K - s0);
        const logW = tf.tidy(() => {
          const epsilon = noise(count * images, latentDim, chunk);
          return logWeights(model, x, mean, logVariance, epsilon, count, options.likelihood);
        });
        chunk++;
        const values = await logW.data();
        logW.dispose();
        for (let s = 0; s < count; s++) {
          for (let b = 0; b < images; b++) weights[b * K + s0 + s] = values[s * images + b]!;
        }
        if (s0 + count < K) {
          options.onProgress?.({ imagesDone: start, images: total });
          await nextTurn();
        }
      }
    } finally {
      tf.dispose([x, mean, logVariance]);
    }
    for (let b = 0; b < images; b++) {
      const row = weights.subarray(b * K, (b + 1) * K);
      let max = -Infinity;
      let sum = 0;
      for (const w of row) {
        if (w > max) max = w;
        sum += w;
      }
      let exps = 0;
      for (const w of row) exps += Math.exp(w - max);
      nllSum -= max + Math.log(exps) - logK;
      elboSum -= sum / K;
    }
    options.onProgress?.({ imagesDone: end, images: total });
    if (end < total) {
      await nextTurn();
      if (options.signal?.aborted) throw abortError();
    }
  }
  const nll = nllSum / total;
  return {
    samples: K,
    images: total,
    dimensions: model.inputSize,
    negativeElbo: elboSum / total,
    nll,
    bitsPerDim: hasBitsPerDim(options.likelihood) ? nll / (model.inputSize * Math.LN2) : null,
  };
}
