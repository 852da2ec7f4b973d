/** A checkpoint round trip's test: the restored model encodes as the trained one did. */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { batchTensor } from '../../src/main/engine/data/batches';
import type { ImageSubset } from '../../src/main/engine/data/image-set';
import type { VaeModel } from '../../src/main/engine/model/vae-model';

/** Encodes the first `count` images of `images` with both models and expects identical means. */
export async function expectSameEncoding(
  trained: VaeModel,
  restored: VaeModel,
  images: ImageSubset,
  count: number,
): Promise<void> {
  const x = batchTensor(images.set, images.indices, 0, count);
  const a = trained.encode(x);
  const b = restored.encode(x);
  expect(Array.from(await b.mean.data())).toEqual(Array.from(await a.mean.data()));
  tf.dispose([x, a.mean, a.logVariance, b.mean, b.logVariance]);
}
