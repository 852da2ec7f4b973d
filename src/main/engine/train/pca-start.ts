/**
 * The PCA start of a fresh run (`TrainSettings.pcaStart`): probabilistic PCA of a seeded sample of
 * the training images sets the conv VAE's linear path before the first step (`model/pca-init.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchTensor } from '../data/batches';
import { takeSample, type ImageSubset } from '../data/image-set';
import { principalComponents } from '../model/pca';
import { initializeFromPca } from '../model/pca-init';
import { ConvVae } from '../model/vae-conv';
import type { VaeModel } from '../model/vae-model';

/**
 * At most this many training images go into the PCA: the top 32 components of a thousand images
 * are as good a start as of ten thousand, and the N×N eigendecomposition grows as N³ (about 3 s for
 * 1,000 on one core).
 */
export const PCA_SAMPLE_LIMIT = 1_000;

/**
 * Starts `model` from PCA of `train` and says whether it did: a model without a linear path, or a
 * training set no larger than the latent size (too few images for that many components), keeps its
 * random start.
 */
export async function startFromPca(model: VaeModel, train: ImageSubset, seed: number): Promise<boolean> {
  if (!(model instanceof ConvVae) || !model.encoderLinear) return false;
  const sample = takeSample(train, PCA_SAMPLE_LIMIT, seed);
  if (sample.indices.length <= model.latentDim) return false;
  const pixels = batchTensor(sample.set, sample.indices);
  try {
    initializeFromPca(model, await principalComponents(pixels, model.latentDim));
  } finally {
    tf.dispose(pixels);
  }
  return true;
}
