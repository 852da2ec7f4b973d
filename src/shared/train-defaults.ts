import type { TrainSettings } from './train-settings';

/** The classic MLP VAE recipe (PyTorch examples/vae): Adam 1e-3, batch 128, 20 latent dimensions. */
export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  datasetId: 'mnist',
  model: 'mlp',
  likelihood: 'bernoulli',
  beta: 1,
  klWarmupEpochs: 0,
  earlyStopPatience: 0,
  timeBudgetMinutes: 0,
  // Digits mirrored are other glyphs, and the recipe trains at one rate throughout.
  augmentFlip: false,
  learningRateSchedule: 'constant',
  pcaStart: false,
  width: 400,
  depth: 1,
  trainLimit: 60_000,
  testLimit: 10_000,
  displayCount: 10_000,
  mapEveryBatches: 0,
  epochs: 10,
  batchSize: 128,
  learningRate: 1e-3,
  latentDim: 20,
  seed: 1,
};
