/**
 * Flip augmentation's pieces: the choice of which images to mirror (a hash of seed, epoch, batch
 * and position: the same every time, about half, no pattern between neighbours), the mirrored batch
 * (exactly the source pixels with each image row reversed, on a real tensor, no tensors left
 * behind), and the presets (on for photos, off for digits and sprites).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flipChoices, flipsImage } from '../../src/main/engine/data/augment';
import { batchTensor } from '../../src/main/engine/data/batches';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import { presetFor } from '../../src/shared/model-presets';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import { useBackendWithoutLeaks } from '../support/tensor-leaks';
import { randomSet } from '../support/toy-images';

useBackendWithoutLeaks('wasm');

/** Pixel (y, x, c) of image `index`, straight from the uint8 set. */
function pixel(set: ImageSet, index: number, y: number, x: number, c: number): number {
  return set.pixels[((index * set.size + y) * set.size + x) * set.channels + c]!;
}

describe('choosing the images to mirror', () => {
  it('gives the same choice for the same (seed, epoch, batch, position), every time', () => {
    const first = flipChoices(7, 3, 11, 128);
    expect(flipChoices(7, 3, 11, 128)).toEqual(first);
    expect(Array.from(first)).toEqual(
      Array.from({ length: 128 }, (_, p) => (flipsImage(7, 3, 11, p) ? 1 : 0)),
    );
    // A shorter last batch draws the same choices for its positions.
    expect(flipChoices(7, 3, 11, 40)).toEqual(first.subarray(0, 40));
    // Another seed, epoch or batch draws afresh.
    expect(flipChoices(8, 3, 11, 128)).not.toEqual(first);
    expect(flipChoices(7, 4, 11, 128)).not.toEqual(first);
    expect(flipChoices(7, 3, 12, 128)).not.toEqual(first);
  });

  it('mirrors about half the images, with no pattern between neighbours (10,000 draws)', () => {
    const draws: number[] = [];
    for (let epoch = 1; epoch <= 10; epoch++) {
      for (let batch = 0; batch < 10; batch++) draws.push(...flipChoices(1, epoch, batch, 100));
    }
    expect(draws).toHaveLength(10_000);
    const flipped = draws.reduce((a, b) => a + b, 0);
    // χ² with one degree of freedom, ((n₁ − 5000)² + (n₀ − 5000)²) / 5000, below 10.83 (p = 0.001).
    const chiSquare = (2 * (flipped - 5_000) ** 2) / 5_000;
    expect(chiSquare, `${flipped} of 10,000 mirrored`).toBeLessThan(10.83);
    // Neighbouring positions: the four (this, next) pairs equally often; χ², 3 df, below 16.27.
    const pairs = [0, 0, 0, 0];
    for (let k = 0; k + 1 < draws.length; k += 2) pairs[draws[k]! * 2 + draws[k + 1]!]! += 1;
    const expected = draws.length / 2 / 4;
    const pairChi = pairs.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(pairChi, `pairs ${pairs.join(', ')}`).toBeLessThan(16.27);
  });
});

describe('the mirrored batch', () => {
  it('holds exactly the source pixels with each image row reversed, where chosen', async () => {
    const set = randomSet(6, 8, 3, 5, 'all');
    const order = [4, 0, 5, 2];
    const mirror = Uint8Array.from([1, 0, 1, 0]);
    const x = batchTensor(set, order, 0, order.length, mirror);
    // Reshaped as the conv model reads it (NHWC), then compared with the uint8 source.
    const images = tf.reshape(x, [order.length, set.size, set.size, set.channels]);
    const values = (await images.array()) as number[][][][];
    tf.dispose([x, images]);
    order.forEach((index, r) => {
      for (let y = 0; y < set.size; y++) {
        for (let xx = 0; xx < set.size; xx++) {
          for (let c = 0; c < set.channels; c++) {
            const from = mirror[r] ? set.size - 1 - xx : xx;
            expect(values[r]![y]![xx]![c]).toBe(Math.fround(pixel(set, index, y, from, c) / 255));
          }
        }
      }
    });
  });

  it('agrees with tf.image.flipLeftRight, and mirroring twice gives the image back', async () => {
    const set = randomSet(5, 12, 3, 9, 'all');
    const order = [0, 1, 2, 3, 4];
    const all = Uint8Array.from([1, 1, 1, 1, 1]);
    const [ours, reference, plain] = tf.tidy(() => {
      const shape: [number, number, number, number] = [5, 12, 12, 3];
      const straight = tf.reshape(batchTensor(set, order), shape) as tf.Tensor4D;
      const mirrored = tf.reshape(batchTensor(set, order, 0, 5, all), shape) as tf.Tensor4D;
      return [mirrored, tf.image.flipLeftRight(straight), straight];
    });
    expect(await ours.data()).toEqual(await reference.data());
    // Where the batch is not mirrored it is the source as it was.
    expect(await plain.data()).toEqual(Float32Array.from(set.pixels, (v) => v / 255));
    tf.dispose([ours, reference, plain]);
  });

  it('mirrors grayscale images too, and leaves a batch without choices untouched', async () => {
    const set = randomSet(3, 5, 1, 2, 'all');
    const flipped = batchTensor(set, [1, 2], 0, 2, [0, 1]);
    const straight = batchTensor(set, [1, 2]);
    const a = await flipped.data();
    const b = await straight.data();
    tf.dispose([flipped, straight]);
    expect(a.subarray(0, 25)).toEqual(b.subarray(0, 25));
    for (let y = 0; y < 5; y++) {
      expect(Array.from(a.subarray(25 + y * 5, 25 + y * 5 + 5))).toEqual(
        Array.from(b.subarray(25 + y * 5, 25 + y * 5 + 5)).reverse(),
      );
    }
  });
});

/** Image formats that read as photos (not near-binary): colour, or grey above 32 px. */
const PHOTO_FORMATS = [
  [64, 3],
  [32, 3],
  [64, 1],
  [128, 3],
] as const;

describe('flip and schedule presets', () => {
  it('mirror and warm up photos, and leave digits, text and sprites as the literature trains them', () => {
    for (const [size, channels] of PHOTO_FORMATS) {
      expect(presetFor(size, channels)).toMatchObject({
        augmentFlip: true,
        learningRateSchedule: 'warmup-cosine',
      });
    }
    // 28 px grayscale (MNIST-like folders) and the built-ins, which are near-binary.
    expect(presetFor(28, 1)).toMatchObject({ augmentFlip: false, learningRateSchedule: 'constant' });
    expect(presetFor(64, 1, { nearBinary: true })).toMatchObject({
      augmentFlip: false,
      learningRateSchedule: 'constant',
    });
    expect(presetFor(28, 1, { nearBinary: false })).toMatchObject({
      augmentFlip: true,
      learningRateSchedule: 'warmup-cosine',
    });
    // The MNIST recipe the defaults hold.
    expect(DEFAULT_TRAIN_SETTINGS).toMatchObject({ augmentFlip: false, learningRateSchedule: 'constant' });
  });

  it('start conv photo models at PCA, and MLPs and near-binary images at random', () => {
    for (const [size, channels] of PHOTO_FORMATS) {
      expect(presetFor(size, channels)).toMatchObject({ model: 'conv', pcaStart: true });
    }
    expect(presetFor(28, 1)).toMatchObject({ model: 'mlp', pcaStart: false });
    expect(presetFor(64, 1, { nearBinary: true })).toMatchObject({ model: 'conv', pcaStart: false });
    expect(DEFAULT_TRAIN_SETTINGS.pcaStart).toBe(false);
  });
});
