import * as tf from '@tensorflow/tfjs-core';
import { pixelsPerImage, type ImageSet } from './image-set';

/**
 * A [rows, pixels] float32 tensor in [0, 1] for the given image indices. Only one batch is ever
 * converted to float32, so memory stays bounded by the uint8 set.
 */
export function batchTensor(
  set: ImageSet,
  indices: ArrayLike<number>,
  start = 0,
  end = indices.length,
): tf.Tensor2D {
  const stride = pixelsPerImage(set);
  const rows = end - start;
  const values = new Float32Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    const offset = indices[start + r]! * stride;
    const row = set.pixels.subarray(offset, offset + stride);
    for (let p = 0; p < stride; p++) values[r * stride + p] = row[p]! / 255;
  }
  return tf.tensor2d(values, [rows, stride]);
}
