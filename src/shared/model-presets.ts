/**
 * Sensible model settings for an image format, so a user who opens a folder gets a model that
 * suits it: small grayscale images train well with the classic MLP VAE and a Bernoulli
 * likelihood; larger or colour images with a convolutional VAE and a learned Gaussian variance.
 */
import type { TrainSettings } from './types';

export type ModelPreset = Pick<
  TrainSettings,
  'model' | 'likelihood' | 'latentDim' | 'width' | 'depth' | 'batchSize'
>;

export function presetFor(imageSize: number, channels: 1 | 3): ModelPreset {
  if (imageSize <= 32 && channels === 1) {
    return { model: 'mlp', likelihood: 'bernoulli', latentDim: 20, width: 400, depth: 1, batchSize: 128 };
  }
  const depth = imageSize >= 96 ? 4 : imageSize >= 64 ? 3 : 2;
  return {
    model: 'conv',
    likelihood: channels === 1 ? 'bernoulli' : 'gaussian-learned',
    latentDim: imageSize >= 64 ? 32 : 20,
    width: 32,
    depth,
    batchSize: imageSize >= 96 ? 32 : 64,
  };
}
