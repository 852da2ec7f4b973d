import * as tf from '@tensorflow/tfjs-core';
import { batchTensor } from '../data/batches';
import type { ImageSet, ImageSubset } from '../data/image-set';
import { vaeLoss } from '../model/loss';
import type { VaeModel } from '../model/vae-model';

export interface Evaluation {
  /** Negative ELBO per image (nats). */
  loss: number;
  reconstruction: number;
  kl: number;
}

const EVAL_BATCH = 1_000;

/** One-sample negative ELBO over a whole set, with fixed noise so epochs are comparable. */
export async function evaluate(
  model: VaeModel,
  { set, indices }: ImageSubset,
  seed: number,
): Promise<Evaluation> {
  const total = indices.length;
  let loss = 0;
  let reconstruction = 0;
  let kl = 0;
  for (let start = 0; start < total; start += EVAL_BATCH) {
    const end = Math.min(start + EVAL_BATCH, total);
    const terms = tf.tidy(() => {
      const x = batchTensor(set, indices, start, end);
      const noise = tf.randomNormal<tf.Rank.R2>(
        [end - start, model.latentDim],
        0,
        1,
        'float32',
        seed + start,
      );
      const t = vaeLoss(model, x, noise);
      return tf.stack([t.loss, t.reconstruction, t.kl]);
    });
    const [l = NaN, r = NaN, k = NaN] = await terms.data();
    terms.dispose();
    const rows = end - start;
    loss += l * rows;
    reconstruction += r * rows;
    kl += k * rows;
  }
  return { loss: loss / total, reconstruction: reconstruction / total, kl: kl / total };
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
