/**
 * Turning latent codes into images and building the codes the gallery shows: prior samples,
 * interpolations between two codes and traversals of single dimensions. The code builders are pure
 * (plain arrays in, plain arrays out); only decoding and encoding touch the model.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DecodedImages, InterpolationMode } from '../../../shared/gallery-types';
import type { ImageSet } from '../data/image-set';
import type { VaeModel } from '../model/vae-model';
import { encodeMeans } from '../train/evaluate';
import { mulberry32 } from '../random';

/** The pixel format the model reads and writes. */
export interface ImageFormat {
  size: number;
  channels: 1 | 3;
}

/** size² × channels is never the same number for 1 and 3 channels, so the model's input says both. */
export function imageFormatOf(model: Pick<VaeModel, 'inputSize'>): ImageFormat | null {
  for (const channels of [1, 3] as const) {
    const size = Math.sqrt(model.inputSize / channels);
    if (Number.isInteger(size)) return { size, channels };
  }
  return null;
}

/** Bounds the float32 tensors of one decode, whatever the number of codes asked for. */
const DECODE_BATCH = 256;

/**
 * The decoder's mean image for every code (sigmoid of the logits serves both likelihoods), as
 * uint8 pixels. `latents` is row-major count × latentDim.
 */
export async function decodeLatents(
  model: VaeModel,
  latents: Float32Array,
  format: ImageFormat,
): Promise<DecodedImages> {
  const { latentDim, inputSize } = model;
  if (latents.length % latentDim !== 0) {
    throw new Error(`${latents.length} values are not a whole number of ${latentDim}-dimensional codes.`);
  }
  if (format.size * format.size * format.channels !== inputSize) {
    throw new Error(
      `The model writes ${inputSize} values per image, not ${format.size}² × ${format.channels}.`,
    );
  }
  const count = latents.length / latentDim;
  const pixels = new Uint8Array(count * inputSize);
  for (let start = 0; start < count; start += DECODE_BATCH) {
    const end = Math.min(start + DECODE_BATCH, count);
    const batch = tf.tidy(() => {
      const z = tf.tensor2d(latents.subarray(start * latentDim, end * latentDim), [end - start, latentDim]);
      return tf.clipByValue(tf.round(tf.mul(tf.sigmoid(model.decodeLogits(z)), 255)), 0, 255);
    });
    const values = await batch.data();
    batch.dispose();
    pixels.set(values, start * inputSize);
  }
  return {
    count,
    size: format.size,
    channels: format.channels,
    pixels,
    latentDim,
    latents: Float32Array.from(latents),
  };
}

/** Options for drawing from the prior. */
export interface SampleOptions {
  /** How many images. */
  count: number;
  /** Standard deviation of the prior draws: 1 is the prior itself, below 1 keeps to typical codes. */
  temperature: number;
  /** The same seed gives the same codes on every backend (drawn in JS, not by tf). */
  seed: number;
}

/** count × dim draws from N(0, temperature² I), seeded (Box–Muller over mulberry32). */
export function priorLatents(latentDim: number, { count, temperature, seed }: SampleOptions): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(count * latentDim);
  for (let i = 0; i < out.length; i += 2) {
    // 1 − u keeps the logarithm finite (u can be 0, never 1).
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = temperature * radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = temperature * radius * Math.sin(angle);
  }
  return out;
}

export function samplePrior(
  model: VaeModel,
  format: ImageFormat,
  options: SampleOptions,
): Promise<DecodedImages> {
  return decodeLatents(model, priorLatents(model.latentDim, options), format);
}

/** Below this angle (radians) slerp's weights lose precision; the straight line is as good there. */
const NEARLY_PARALLEL = 1e-4;

/**
 * `steps` codes from `from` to `to`, endpoints exactly the inputs. Spherical mode follows the
 * great circle and blends the norms linearly, so the middle images keep the "energy" of typical
 * codes instead of shrinking towards the origin as a straight line through it would.
 */
export function interpolateLatents(
  from: Float32Array,
  to: Float32Array,
  steps: number,
  mode: InterpolationMode,
): Float32Array {
  const dim = from.length;
  if (to.length !== dim) throw new Error('Both codes need the same number of dimensions.');
  if (!Number.isInteger(steps) || steps < 2) throw new Error('An interpolation needs at least two steps.');
  const out = new Float32Array(steps * dim);
  const normFrom = Math.hypot(...from);
  const normTo = Math.hypot(...to);
  let cosine = 0;
  for (let d = 0; d < dim; d++) cosine += from[d]! * to[d]!;
  cosine = normFrom > 0 && normTo > 0 ? cosine / (normFrom * normTo) : 1;
  const angle = Math.acos(Math.min(1, Math.max(-1, cosine)));
  const straight = mode === 'linear' || angle < NEARLY_PARALLEL || Math.PI - angle < NEARLY_PARALLEL;
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    const row = out.subarray(s * dim, (s + 1) * dim);
    if (s === 0) row.set(from);
    else if (s === steps - 1) row.set(to);
    else if (straight) {
      for (let d = 0; d < dim; d++) row[d] = (1 - t) * from[d]! + t * to[d]!;
    } else {
      // Unit directions along the great circle, then the norm blended linearly.
      const a = Math.sin((1 - t) * angle) / Math.sin(angle);
      const b = Math.sin(t * angle) / Math.sin(angle);
      const norm = (1 - t) * normFrom + t * normTo;
      for (let d = 0; d < dim; d++) row[d] = norm * (a * (from[d]! / normFrom) + b * (to[d]! / normTo));
    }
  }
  return out;
}

/**
 * One row per dimension, `steps` codes each: the anchor with that dimension moved by evenly spaced
 * offsets from −range to +range (the other dimensions stay), so each row shows what one unit does.
 */
export function traversalLatents(
  around: Float32Array,
  dimensions: number[],
  steps: number,
  range: number,
): { latents: Float32Array; offsets: number[] } {
  const dim = around.length;
  if (!Number.isInteger(steps) || steps < 2) throw new Error('A traversal needs at least two steps.');
  for (const d of dimensions) {
    if (!Number.isInteger(d) || d < 0 || d >= dim) throw new Error(`Dimension ${d} is outside the code.`);
  }
  const offsets = Array.from({ length: steps }, (_, s) => -range + (2 * range * s) / (steps - 1));
  const latents = new Float32Array(dimensions.length * steps * dim);
  dimensions.forEach((d, row) => {
    offsets.forEach((offset, column) => {
      const start = (row * steps + column) * dim;
      latents.set(around, start);
      latents[start + d] = around[d]! + offset;
    });
  });
  return { latents, offsets };
}

/** Encoder means of some images of a set, row-major indices.length × latentDim. */
export function encodeImages(
  model: VaeModel,
  set: ImageSet,
  indices: ArrayLike<number>,
): Promise<Float32Array> {
  return encodeMeans(model, set, Uint32Array.from(indices));
}
