/** Small synthetic image sets for engine tests and benches that need no dataset on disk. */
import type { ImageSet } from '../../src/main/engine/data/image-set';
import { mulberry32 } from '../../src/main/engine/random';

/** An image set of one class (every label 0) around these pixels. */
export function oneClassSet(
  pixels: Uint8Array,
  count: number,
  size: number,
  channels: 1 | 3,
  className: string,
): ImageSet {
  return {
    pixels,
    labels: new Uint8Array(count),
    count,
    size,
    channels,
    classNames: [className],
    metadata: [],
  };
}

/** Random 8-bit pixels, uniform over the 256 levels (as the app's speed probe uses), one class. */
export function randomSet(count: number, size: number, channels: 1 | 3, seed: number, className: string) {
  const random = mulberry32(seed);
  const pixels = Uint8Array.from({ length: count * size * size * channels }, () =>
    Math.floor(random() * 256),
  );
  return oneClassSet(pixels, count, size, channels, className);
}

/** The side of a `halfLitSet` image. */
export const HALF_LIT_SIZE = 6;

/** Binary 6×6 images of two kinds (left or right half lit) with a little noise. */
export function halfLitSet(count: number): ImageSet {
  const [size, pixelCount] = [HALF_LIT_SIZE, HALF_LIT_SIZE * HALF_LIT_SIZE];
  const random = mulberry32(5);
  const pixels = new Uint8Array(count * pixelCount);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    for (let p = 0; p < pixelCount; p++) {
      const lit = p % size < size / 2 === (i % 2 === 0);
      pixels[i * pixelCount + p] = (random() < 0.1 ? !lit : lit) ? 255 : 0;
    }
  }
  return { pixels, labels, count, size, channels: 1, classNames: ['left', 'right'], metadata: [] };
}
