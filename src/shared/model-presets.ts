/**
 * Sensible model settings for an image format, so a user who opens a folder gets a model that
 * suits it: small near-binary grayscale images (MNIST) train well with the classic MLP VAE and a
 * Bernoulli likelihood, the one that is a likelihood for binary pixels; photos, grey or colour,
 * get a convolutional VAE and the discretized logistic likelihood over the 256 levels (Salimans et
 * al. 2017), so their −ELBO bounds the 8-bit NLL and bits/dim compares with published results.
 * Photos also get left–right flips (a mirrored photo is still a photo of the same kind, which
 * doubles what a small folder teaches; a mirrored digit or letter is not) and a warm-up + cosine
 * learning-rate schedule (a gentler start for the wider conv model, a smaller rate at the end).
 */
import type { TrainSettings } from './types';

export type ModelPreset = Pick<
  TrainSettings,
  | 'model'
  | 'likelihood'
  | 'latentDim'
  | 'width'
  | 'depth'
  | 'batchSize'
  | 'augmentFlip'
  | 'learningRateSchedule'
>;

export interface PresetOptions {
  /**
   * The pixels are (nearly) black or white, like the built-in MNIST and Sprites: Bernoulli fits.
   * Default: true only for grayscale images of 32 px or less (MNIST-like).
   */
  nearBinary?: boolean;
}

export function presetFor(imageSize: number, channels: 1 | 3, options: PresetOptions = {}): ModelPreset {
  const nearBinary = options.nearBinary ?? (imageSize <= 32 && channels === 1);
  const likelihood = nearBinary ? 'bernoulli' : 'discretized-logistic';
  // Near-binary images are digits, glyphs and sprites: the literature's recipe, unchanged.
  const training: Pick<ModelPreset, 'augmentFlip' | 'learningRateSchedule'> = nearBinary
    ? { augmentFlip: false, learningRateSchedule: 'constant' }
    : { augmentFlip: true, learningRateSchedule: 'warmup-cosine' };
  if (imageSize <= 32 && channels === 1) {
    return { model: 'mlp', likelihood, latentDim: 20, width: 400, depth: 1, batchSize: 128, ...training };
  }
  const depth = imageSize >= 96 ? 4 : imageSize >= 64 ? 3 : 2;
  return {
    ...training,
    model: 'conv',
    likelihood,
    latentDim: imageSize >= 64 ? 32 : 20,
    width: 32,
    depth,
    batchSize: imageSize >= 96 ? 32 : 64,
  };
}
