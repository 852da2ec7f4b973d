/**
 * The editable training settings and their labels. The limits come from the table main's schema
 * is built from, so the form refuses exactly what the host would refuse, with a friendlier message.
 */
import { TRAIN_LIMITS, type TrainSettingField } from '../../../shared/train-limits';
import type { LearningRateSchedule, Likelihood, ModelKind } from '../../../shared/types';

export type SettingField = TrainSettingField;

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

export interface FieldSpec {
  field: SettingField;
  label: string;
  hint: string;
  min: number;
  max: number;
  /** When false the value may be any real number in (min, max]. */
  integer: boolean;
  /** True when `min` itself is refused (learning rate must be > 0). */
  minExclusive?: boolean;
  step: number | 'any';
}

export const FIELD_SPECS: readonly FieldSpec[] = [
  {
    field: 'trainLimit',
    label: 'Train images',
    hint: 'Images of the training split to use',
    ...TRAIN_LIMITS.trainLimit,
    step: 1,
  },
  {
    field: 'testLimit',
    label: 'Test images',
    hint: 'Held-out images to evaluate on',
    ...TRAIN_LIMITS.testLimit,
    step: 1,
  },
  {
    field: 'displayCount',
    label: 'Points on the map',
    hint: 'Test images drawn in the latent map',
    ...TRAIN_LIMITS.displayCount,
    step: 1,
  },
  {
    field: 'mapEveryBatches',
    label: 'Map every N batches',
    hint: 'Also lays out the map part-way through each epoch (0: after each epoch only)',
    ...TRAIN_LIMITS.mapEveryBatches,
    step: 1,
  },
  {
    field: 'epochs',
    label: 'Epochs',
    hint: 'Passes over the training images',
    ...TRAIN_LIMITS.epochs,
    step: 1,
  },
  {
    field: 'batchSize',
    label: 'Batch size',
    hint: 'Images per gradient step',
    ...TRAIN_LIMITS.batchSize,
    step: 1,
  },
  {
    field: 'learningRate',
    label: 'Learning rate',
    hint: 'Adam step size',
    ...TRAIN_LIMITS.learningRate,
    step: 'any',
  },
  {
    field: 'latentDim',
    label: 'Latent dimension',
    hint: 'Size of the code z',
    ...TRAIN_LIMITS.latentDim,
    step: 1,
  },
  {
    field: 'beta',
    label: 'β (KL weight)',
    hint: '1 is the plain VAE; above 1 trades detail for a tidier latent space',
    ...TRAIN_LIMITS.beta,
    step: 'any',
  },
  {
    field: 'klWarmupEpochs',
    label: 'KL warm-up epochs',
    hint: 'β ramps up from 0 over these epochs (0: off)',
    ...TRAIN_LIMITS.klWarmupEpochs,
    step: 1,
  },
  {
    field: 'earlyStopPatience',
    label: 'Early stop patience',
    hint: 'Epochs without a better validation −ELBO before stopping (0: train all epochs)',
    ...TRAIN_LIMITS.earlyStopPatience,
    step: 1,
  },
  {
    field: 'timeBudgetMinutes',
    label: 'Time budget (min)',
    hint: 'Stops after the epoch once another would not fit; evaluation time counts (0: no budget)',
    ...TRAIN_LIMITS.timeBudgetMinutes,
    step: 1,
  },
  {
    field: 'width',
    label: 'Width',
    hint: 'Hidden units per layer',
    ...TRAIN_LIMITS.width,
    step: 1,
  },
  {
    field: 'depth',
    label: 'Depth',
    hint: 'Hidden layers in the encoder and in the decoder',
    ...TRAIN_LIMITS.depth,
    step: 1,
  },
  {
    field: 'seed',
    label: 'Seed',
    hint: 'Same seed, same run',
    ...TRAIN_LIMITS.seed,
    step: 1,
  },
];

const numberFormat = new Intl.NumberFormat('en-US');

/** Returns a plain-words problem with `value`, or null when the host will accept it. */
export function validateField(spec: FieldSpec, value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'Enter a number.';
  if (spec.integer && !Number.isInteger(value)) return 'Enter a whole number.';
  const low = numberFormat.format(spec.min);
  const high = numberFormat.format(spec.max);
  if (spec.minExclusive ? value <= spec.min : value < spec.min) {
    return spec.minExclusive
      ? `Must be above ${low} and at most ${high}.`
      : `Must be between ${low} and ${high}.`;
  }
  if (value > spec.max)
    return spec.minExclusive ? `Must be at most ${high}.` : `Must be between ${low} and ${high}.`;
  return null;
}

export function fieldSpec(field: SettingField): FieldSpec {
  const spec = FIELD_SPECS.find((s) => s.field === field);
  if (!spec) throw new Error(`No field spec for ${field}`);
  return spec;
}

/**
 * The stride-2 downsamplings a convolutional model really gets for `size`: the engine lowers the
 * depth until every halving is exact (the decoder must mirror the encoder).
 */
export function usableConvDepth(size: number, wanted: number): number {
  let depth = 0;
  while (depth < wanted && size % 2 ** (depth + 1) === 0 && size / 2 ** (depth + 1) >= 2) depth++;
  return Math.max(1, depth);
}

/** The model and likelihood preset by the page address, e.g. `?model=conv&likelihood=bernoulli`. */
export function choicesFromQuery(search: string): { model?: ModelKind; likelihood?: Likelihood } {
  const params = new URLSearchParams(search);
  const model = params.get('model') ?? '';
  const likelihood = params.get('likelihood') ?? '';
  return {
    ...(isModelKind(model) ? { model } : {}),
    ...(isLikelihood(likelihood) ? { likelihood } : {}),
  };
}

/**
 * Settings preset by the page address, e.g. `?epochs=2&trainLimit=2000`, for demos and tests.
 * Unknown names and values the form would refuse are ignored.
 */
export function settingsFromQuery(search: string): Partial<Record<SettingField, number>> {
  const params = new URLSearchParams(search);
  const preset: Partial<Record<SettingField, number>> = {};
  for (const spec of FIELD_SPECS) {
    const raw = params.get(spec.field);
    if (raw === null || raw.trim() === '') continue;
    const value = Number(raw);
    if (validateField(spec, value) === null) preset[spec.field] = value;
  }
  return preset;
}
