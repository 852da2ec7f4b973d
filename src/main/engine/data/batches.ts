import * as tf from '@tensorflow/tfjs-core';
import { pixelsPerImage, type ImageSet } from './image-set';

/**
 * A [rows, pixels] float32 tensor in [0, 1] for the given image indices. Only one batch is ever
 * converted to float32, so memory stays bounded by the uint8 set.
 *
 * `mirror[r] === 1` mirrors row r left–right (flip augmentation, `data/augment.ts`). It happens in
 * this copy, which touches every pixel anyway: no extra tensors on any backend, and the mirrored
 * image is exactly the source's pixels with each row of the image reversed.
 */
export function batchTensor(
  set: ImageSet,
  indices: ArrayLike<number>,
  start = 0,
  end = indices.length,
  mirror?: ArrayLike<number>,
): tf.Tensor2D {
  const stride = pixelsPerImage(set);
  const rows = end - start;
  const values = new Float32Array(rows * stride);
  for (let r = 0; r < rows; r++) {
    const offset = indices[start + r]! * stride;
    const row = set.pixels.subarray(offset, offset + stride);
    const target = values.subarray(r * stride, (r + 1) * stride);
    if (mirror?.[r] === 1) copyMirrored(row, target, set.size, set.channels);
    else for (let p = 0; p < stride; p++) target[p] = row[p]! / 255;
  }
  return tf.tensor2d(values, [rows, stride]);
}

/** One image (HWC, channels interleaved) into `target` with its columns in reverse order. */
function copyMirrored(source: Uint8Array, target: Float32Array, size: number, channels: number): void {
  const line = size * channels;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = y * line + (size - 1 - x) * channels;
      const to = y * line + x * channels;
      for (let c = 0; c < channels; c++) target[to + c] = source[from + c]! / 255;
    }
  }
}
