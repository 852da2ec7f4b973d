/** The settings that are choices (model, likelihood, flip, start, schedule): their options and labels. */
import type { LearningRateSchedule, Likelihood, ModelKind } from '../../../shared/types';

/** One entry of a settings select. */
export interface ChoiceOption<T extends string> {
  value: T;
  label: string;
  hint: string;
}

export const MODEL_OPTIONS: readonly ChoiceOption<ModelKind>[] = [
  { value: 'mlp', label: 'MLP', hint: 'Fully connected layers; quick on small grayscale images' },
  { value: 'conv', label: 'Convolutional', hint: 'Stride-2 convolutions; suits larger or colour images' },
];

export const LIKELIHOOD_OPTIONS: readonly ChoiceOption<Likelihood>[] = [
  {
    value: 'bernoulli',
    label: 'Bernoulli',
    hint: 'Binary cross-entropy; a likelihood for black-and-white images such as digits and sprites',
  },
  {
    value: 'discretized-logistic',
    label: 'Discretized logistic',
    hint: 'Probability of each 8-bit level (PixelCNN++); for photos, grey or colour. Its bits/dim compares with published results',
  },
  {
    value: 'gaussian-fixed',
    label: 'Gaussian, fixed σ (loss only)',
    hint: 'Squared error with σ = 0.1; a density, so no bits/dim',
  },
  {
    value: 'gaussian-learned',
    label: 'Gaussian, learned σ (loss only)',
    hint: 'Learns one noise level (σ ≥ 1/512); a density, so no bits/dim',
  },
];

/** `augmentFlip` as a two-way choice: the form has selects, not checkboxes. */
export type FlipChoice = 'off' | 'mirror';

export const FLIP_OPTIONS: readonly ChoiceOption<FlipChoice>[] = [
  {
    value: 'off',
    label: 'Off',
    hint: 'Trains on the images as they are; right for digits and text, whose mirror image is another glyph',
  },
  {
    value: 'mirror',
    label: 'Mirror left–right',
    hint: 'Half the training images, chosen afresh each epoch, are mirrored; held-out images never are. Suits photos',
  },
];

/** `pcaStart` as a two-way choice; conv only (an MLP always starts at random). */
export type StartChoice = 'pca' | 'random';

export const START_OPTIONS: readonly ChoiceOption<StartChoice>[] = [
  {
    value: 'pca',
    label: 'PCA of the images',
    hint: 'Starts the model at PCA of up to 1,000 training images, so a short run refines a good start instead of climbing from grey',
  },
  {
    value: 'random',
    label: 'Random',
    hint: 'Starts from random weights (the classic recipe); right for digits and other black-and-white images',
  },
];

export const SCHEDULE_OPTIONS: readonly ChoiceOption<LearningRateSchedule>[] = [
  {
    value: 'constant',
    label: 'Constant',
    hint: 'The learning rate throughout (the classic recipe)',
  },
  {
    value: 'warmup-cosine',
    label: 'Warm-up + cosine',
    hint: 'Rises from 0 over the first 5% of the steps, then eases down to 10% of the learning rate by the last epoch',
  },
];

/**
 * The form's selects, as `ChoiceField` takes them: the id (also the test hook), the label and the
 * options. The labels of the numeric settings are in settings-fields.ts.
 */
export const CHOICE_FIELDS = {
  flip: { id: 'setting-flip', label: 'Flip augmentation', options: FLIP_OPTIONS },
  start: { id: 'setting-start', label: 'Start', options: START_OPTIONS },
  model: { id: 'setting-model', label: 'Architecture', options: MODEL_OPTIONS },
  likelihood: { id: 'setting-likelihood', label: 'Likelihood p(x | z)', options: LIKELIHOOD_OPTIONS },
  schedule: { id: 'setting-schedule', label: 'Learning-rate schedule', options: SCHEDULE_OPTIONS },
} as const;

export function flipChoice(augmentFlip: boolean | undefined): FlipChoice {
  return augmentFlip ? 'mirror' : 'off';
}

export function flipLabel(augmentFlip: boolean | undefined): string {
  return FLIP_OPTIONS.find((o) => o.value === flipChoice(augmentFlip))?.label ?? 'Off';
}

export function startChoice(pcaStart: boolean | undefined): StartChoice {
  return pcaStart ? 'pca' : 'random';
}

export function startLabel(pcaStart: boolean | undefined): string {
  return START_OPTIONS.find((o) => o.value === startChoice(pcaStart))?.label ?? 'Random';
}

export function scheduleLabel(schedule: LearningRateSchedule | undefined): string {
  return SCHEDULE_OPTIONS.find((o) => o.value === schedule)?.label ?? 'Constant';
}

export function isModelKind(value: string): value is ModelKind {
  return MODEL_OPTIONS.some((o) => o.value === value);
}

export function isLikelihood(value: string): value is Likelihood {
  return LIKELIHOOD_OPTIONS.some((o) => o.value === value);
}

export function modelLabel(model: ModelKind | undefined): string {
  return MODEL_OPTIONS.find((o) => o.value === model)?.label ?? 'MLP';
}

export function likelihoodLabel(likelihood: Likelihood | undefined): string {
  return LIKELIHOOD_OPTIONS.find((o) => o.value === likelihood)?.label ?? 'Bernoulli';
}
