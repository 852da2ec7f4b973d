/**
 * Sensible model settings for an image format, so a user who opens a folder gets a model that
 * suits it: small near-binary grayscale images (MNIST) train well with the classic MLP VAE and a
 * Bernoulli likelihood, the one that is a likelihood for binary pixels; photos, grey or colour,
 * get a convolutional VAE and the discretized logistic likelihood over the 256 levels (Salimans et
 * al. 2017), so their −ELBO bounds the 8-bit NLL and bits/dim compares with published results.
 * Photos also get left–right flips (a mirrored photo is still a photo of the same kind, which
 * doubles what a small folder teaches; a mirrored digit or letter is not) and a warm-up + cosine
 * learning-rate schedule (a gentler start for the wider conv model, a smaller rate at the end).
 *
 * Training is budgeted in optimizer steps, not epochs (issue 15): an epoch of a 300-image folder
 * is 5 steps, one of MNIST 430, so a fixed epoch count trains the one far too little and the other
 * for ages. Each preset aims at a number of steps and picks the epochs that reach it for the
 * dataset's training split.
 */
import { DEFAULT_TRAIN_SETTINGS } from './train-defaults';
import type { ModelKind, TrainSettings } from './train-settings';

export type ModelPreset = Pick<
  TrainSettings,
  | 'model'
  | 'likelihood'
  | 'latentDim'
  | 'width'
  | 'depth'
  | 'batchSize'
  | 'epochs'
  | 'earlyStopPatience'
  | 'augmentFlip'
  | 'learningRateSchedule'
  | 'pcaStart'
>;

export interface PresetOptions {
  /**
   * The pixels are (nearly) black or white, like the built-in MNIST and Sprites: Bernoulli fits.
   * Default: true only for grayscale images of 32 px or less (MNIST-like).
   */
  nearBinary?: boolean;
  /**
   * Images in the training split, which sets the epochs (and, for a small folder, the batch).
   * Default: unknown, so the format's batch and the classic recipe's 10 epochs.
   */
  trainImages?: number;
}

/**
 * The optimizer steps each preset aims at.
 *
 * `mlp`: the classic MNIST recipe, kept as it was: 10 epochs at batch 128, 3,910 steps over 50,000
 * training images (the engine's MNIST split holds about 55,000, 430 batches an epoch: still 10).
 *
 * `conv`: photos (and the Sprites shapes). 1,500 steps is minutes on a laptop CPU for the 64 px
 * colour preset: the speed probe timed it at 70–110 images/s with WebAssembly on 2 shared vCPUs
 * (batch 32 and 64 alike), so 1,500 steps of 32 images take 7–12 minutes there and less on a
 * laptop's 4 or more cores. That is enough steps for the schedule to mean something (a 75-step
 * warm-up, then the cosine decay) and for the reconstructions of a small folder to take shape;
 * whoever wants more raises the epochs, and the form says what that costs. Sprites (about 8,300
 * training images, batch 64) get 12 epochs, near the 10 they had before.
 */
export const TARGET_STEPS = { mlp: 3_900, conv: 1_500 } as const;

/**
 * The epochs a preset may choose. At least 3, so the loss chart, the map's timeline and early
 * stopping have something to work with on a big folder (which then trains more than its target:
 * the form shows the steps); at most 1,000, where a tiny folder's per-epoch work (evaluation, a
 * checkpoint, the map) would cost more than its few steps.
 */
export const PRESET_EPOCHS = { min: 3, max: 1_000 } as const;

/**
 * Below this many training images the preset trains with batches of `SMALL_FOLDER_BATCH`. On the
 * CPU backends a batch of 32 runs at about the images per second of a batch of 64 (the work per
 * image is the same and both keep the kernels busy: the speed probe found no difference for the
 * 64 px colour preset on WebAssembly), so it takes twice the steps in the same
 * minutes; a minutes-long run on a small folder is early in training, where more, noisier steps
 * go further than fewer, cleaner ones. It also halves the epochs needed for the target, and with
 * epochs of a few batches their evaluation, checkpoint and map update are a real share of the
 * time. Above it an epoch is at least 32 batches of 64 and the format's batch stays.
 */
export const SMALL_FOLDER_IMAGES = 2_000;
export const SMALL_FOLDER_BATCH = 32;

/**
 * The layer sizes a model kind gets for an image format when it is not the format's own preset
 * (`--model conv` on 28 px digits): the MLP's 400 hidden units as conv channels would build a
 * 78,400-wide decoder, ~100× the work of the conv preset for no gain.
 */
export function architectureFor(
  model: ModelKind,
  imageSize: number,
): Pick<ModelPreset, 'width' | 'depth' | 'latentDim'> {
  if (model === 'mlp') return { width: 400, depth: 1, latentDim: 20 };
  return {
    width: 32,
    depth: imageSize >= 96 ? 4 : imageSize >= 64 ? 3 : 2,
    latentDim: imageSize >= 64 ? 32 : 20,
  };
}

/** Optimizer steps in one epoch: a last, partial batch is a step too. */
export function batchesPerEpoch(trainImages: number, batchSize: number): number {
  return Math.max(1, Math.ceil(Math.max(0, trainImages) / Math.max(1, batchSize)));
}

/** The epochs that reach at least `targetSteps`, within `PRESET_EPOCHS`. */
export function epochsForSteps(trainImages: number, batchSize: number, targetSteps: number): number {
  const epochs = Math.ceil(targetSteps / batchesPerEpoch(trainImages, batchSize));
  return Math.min(PRESET_EPOCHS.max, Math.max(PRESET_EPOCHS.min, epochs));
}

export function presetFor(imageSize: number, channels: 1 | 3, options: PresetOptions = {}): ModelPreset {
  const nearBinary = options.nearBinary ?? (imageSize <= 32 && channels === 1);
  const { trainImages } = options;
  const likelihood = nearBinary ? 'bernoulli' : 'discretized-logistic';
  // Near-binary images are digits, glyphs and sprites: the literature's recipe, unchanged.
  const training: Pick<ModelPreset, 'augmentFlip' | 'learningRateSchedule'> = nearBinary
    ? { augmentFlip: false, learningRateSchedule: 'constant' }
    : { augmentFlip: true, learningRateSchedule: 'warmup-cosine' };
  const budget = (formatBatch: number, targetSteps: number): Pick<ModelPreset, 'batchSize' | 'epochs'> => {
    if (trainImages === undefined) return { batchSize: formatBatch, epochs: DEFAULT_TRAIN_SETTINGS.epochs };
    const batchSize =
      trainImages < SMALL_FOLDER_IMAGES ? Math.min(formatBatch, SMALL_FOLDER_BATCH) : formatBatch;
    return { batchSize, epochs: epochsForSteps(trainImages, batchSize, targetSteps) };
  };
  if (imageSize <= 32 && channels === 1) {
    return {
      model: 'mlp',
      likelihood,
      ...architectureFor('mlp', imageSize),
      pcaStart: false,
      earlyStopPatience: 0,
      ...budget(128, TARGET_STEPS.mlp),
      ...training,
    };
  }
  const conv = budget(imageSize >= 96 ? 32 : 64, TARGET_STEPS.conv);
  return {
    ...training,
    model: 'conv',
    likelihood,
    ...architectureFor('conv', imageSize),
    // Photos start from PCA (`pca-init.ts`): minutes of training then refine a good start rather
    // than climb from grey. Near-binary sprites keep the classic recipe.
    pcaStart: !nearBinary,
    ...conv,
    earlyStopPatience: nearBinary ? 0 : photoPatience(conv.epochs),
  };
}

/**
 * Early-stopping patience for photo presets: a tenth of the planned epochs, at least 5. A small
 * folder over-fits long before its step target: 238 training shapes (64 px RGB, PCA start) reached
 * their best validation −ELBO at epoch 13 of 188 and were still training at epoch 54 when a
 * 3-minute budget ended them, held-out bits/dim worse by 0.9 and PSNR by 0.3 dB from their best
 * (tests/e2e/journeys/own-colour-folder.spec.ts, out/diag). The best checkpoint is kept either way;
 * stopping saves the minutes. Digits keep the classic recipe, which trains every epoch.
 */
export function photoPatience(epochs: number): number {
  return Math.max(5, Math.round(epochs / 10));
}
