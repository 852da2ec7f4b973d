/**
 * The numeric training settings: labels, hints and limits (the choices are in settings-choices.ts).
 * The limits come from the table main's schema is built from, so the form refuses exactly what the host would refuse, with a friendlier message.
 */
import { TRAIN_LIMITS, type TrainSettingField } from '../../../shared/train-limits';
import type { Likelihood, ModelKind } from '../../../shared/types';
import { isLikelihood, isModelKind } from './settings-choices';

export type SettingField = TrainSettingField;

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
