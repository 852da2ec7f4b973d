/** PNG images of display points and their reconstructions, for tooltips and thumbnails. */
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { batchTensor } from '../data/batches';
import { pixelsPerImage, type ImageSet } from '../data/image-set';
import type { VaeModel } from '../model/vae-model';

async function png(pixels: Uint8Array, size: number, channels: 1 | 3): Promise<Uint8Array> {
  const image = sharp(pixels, { raw: { width: size, height: size, channels } });
  // Grayscale stays one channel (sharp would otherwise write sRGB).
  const buffer = await (channels === 1 ? image.toColourspace('b-w') : image)
    .png({ compressionLevel: 3 })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function imagePng(set: ImageSet, index: number): Promise<Uint8Array> {
  const stride = pixelsPerImage(set);
  return png(set.pixels.slice(index * stride, (index + 1) * stride), set.size, set.channels);
}

/** The decoder's mean image for the encoder's mean code (no sampling: the same every time). */
export async function reconstructionPng(model: VaeModel, set: ImageSet, index: number): Promise<Uint8Array> {
  const pixels = tf.tidy(() => {
    const x = batchTensor(set, [index]);
    const z = model.encode(x).mean;
    return tf.clipByValue(tf.round(tf.mul(tf.sigmoid(model.decodeLogits(z)), 255)), 0, 255);
  });
  const values = Uint8Array.from(await pixels.data());
  pixels.dispose();
  return png(values, set.size, set.channels);
}
