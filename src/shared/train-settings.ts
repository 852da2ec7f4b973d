/** Training settings as the user chooses them: the model, its likelihood, the schedule and the data limits. */

export type ModelKind = 'mlp' | 'conv';
export const LIKELIHOODS = [
  'bernoulli',
  'discretized-logistic',
  'gaussian-fixed',
  'gaussian-learned',
] as const;
/**
 * p(x | z):
 * - 'bernoulli': binary cross-entropy; a likelihood for binary images (digits, sprites). On grey
 *   levels it is a cross-entropy, not the probability of the 8-bit pixels.
 * - 'discretized-logistic': a logistic per pixel integrated over its 8-bit bin, with a learned
 *   log-scale per channel (Salimans et al. 2017, PixelCNN++): a probability mass over the 256
 *   levels, so −ELBO bounds the NLL of the 8-bit images and bits/dim is comparable with the literature.
 * - 'gaussian-fixed' / 'gaussian-learned': continuous densities on [0, 1] (σ = 0.1, a scaled MSE,
 *   or one learned σ with a floor). Loss only: a density is not a probability, so no bits/dim.
 */
export type Likelihood = (typeof LIKELIHOODS)[number];

export const LEARNING_RATE_SCHEDULES = ['constant', 'warmup-cosine'] as const;
/**
 * How the learning rate moves over a run's planned steps (epochs × batches per epoch):
 * - 'constant': the base rate throughout (the classic MNIST recipe).
 * - 'warmup-cosine': a linear warm-up over the first 5 % of the steps, then a cosine decay to 10 %
 *   of the base rate at the last planned step (`lr-schedule.ts` has the formula).
 */
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];

/** Training settings as the user chose them; defaults live in `train-defaults.ts`. */
export interface TrainSettings {
  /** MLP (fully connected) or convolutional (stride-2 conv encoder, transposed-conv decoder). */
  model: ModelKind;
  likelihood: Likelihood;
  /** Weight of the KL term (β-VAE); 1 is the plain VAE. */
  beta: number;
  /** Epochs over which β ramps linearly from 0 to its value (0: no warm-up). */
  klWarmupEpochs: number;
  /**
   * Stop when the validation −ELBO has not improved for this many epochs (0: never). The best
   * checkpoint is kept either way.
   */
  earlyStopPatience: number;
  /**
   * Wall-clock budget for one training session, in minutes (0: none): training ends at the epoch
   * after which another would not fit, so it stops at a checkpoint within one epoch of the budget.
   * `epochs` stays the most it trains. Evaluation and map time count.
   */
  timeBudgetMinutes: number;
  /** MLP: hidden units per layer. Conv: channels of the first conv layer (doubling per layer). */
  width: number;
  /** MLP: hidden layers in encoder and decoder. Conv: stride-2 downsamplings. */
  depth: number;
  /**
   * Mirror each training image left–right with probability ½, drawn per (seed, epoch, batch,
   * position) by a hash, so a resumed run draws the flips an uninterrupted one would. Never applied
   * to validation, test, evaluation or display images. On for photo-like folders, off for digits and
   * text, whose mirror image is another glyph.
   */
  augmentFlip: boolean;
  /**
   * The learning-rate schedule; `learningRate` is the base rate it scales (and what "set learning
   * rate" during training changes). Files from before the setting read as 'constant'.
   */
  learningRateSchedule: LearningRateSchedule;
  /**
   * Conv only: start from probabilistic PCA of the training images (a linear path beside the
   * convolutions, set from up to 1,000 training images before the first step; the convolutions learn
   * what PCA misses). On for photo folders, where a conv VAE alone needs far more steps than a few
   * minutes give; files from before the setting read as false.
   */
  pcaStart: boolean;
  /** A built-in dataset id, or the `datasetId` of a dataset opened with `dataset:open`. */
  datasetId: string;
  /** Train on at most N images of the dataset's training split. */
  trainLimit: number;
  /** Evaluate on at most N images of its held-out split. */
  testLimit: number;
  /** How many images the latent map shows, stratified by label over the whole dataset. */
  displayCount: number;
  /** Also re-draws the latent map every N batches within an epoch (0: only after each epoch). */
  mapEveryBatches: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  latentDim: number;
  seed: number;
}
