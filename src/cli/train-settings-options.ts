/**
 * The `train` options that choose the run's settings: the app's preset for the image format, then
 * whatever the command line says instead, each checked against the app's own limits.
 */
import { parseDuration } from '../shared/duration';
import { architectureFor, presetFor } from '../shared/model-presets';
import { DEFAULT_TRAIN_SETTINGS } from '../shared/train-defaults';
import { TRAIN_LIMITS, type TrainSettingField } from '../shared/train-limits';
import { LIKELIHOODS, type LearningRateSchedule, type TrainSettings } from '../shared/train-settings';
import { BUILTIN_DATASETS } from '../shared/builtin-datasets';
import { choiceOption, numberOption, stringOptions, text, type OptionSpec, type OptionValues } from './args';
import { usageError } from './exit-codes';

/** Numeric options and the setting each one sets (ranges from TRAIN_LIMITS, as in the app). */
const NUMERIC_OPTIONS: [option: string, field: TrainSettingField][] = [
  ['epochs', 'epochs'],
  ['latent', 'latentDim'],
  ['batch', 'batchSize'],
  ['lr', 'learningRate'],
  ['beta', 'beta'],
  ['kl-warmup', 'klWarmupEpochs'],
  ['early-stop', 'earlyStopPatience'],
  ['width', 'width'],
  ['depth', 'depth'],
  ['seed', 'seed'],
  ['display', 'displayCount'],
  ['train-limit', 'trainLimit'],
  ['test-limit', 'testLimit'],
];

/** Every option that sets a training setting. */
export const SETTINGS_OPTIONS: Record<string, OptionSpec> = stringOptions(
  'model',
  'likelihood',
  'budget',
  'flip',
  'start',
  'schedule',
  ...NUMERIC_OPTIONS.map(([option]) => option),
);

/** `trainImages`: the training split, which the preset's epochs (and a small folder's batch) follow. */
export function settingsFrom(
  values: OptionValues,
  datasetId: string,
  size: number,
  channels: 1 | 3,
  trainImages?: number,
): TrainSettings {
  // The built-ins (MNIST digits, Sprites shapes) are black and white: Bernoulli fits them.
  const nearBinary = BUILTIN_DATASETS.some((d) => d.id === datasetId) ? true : undefined;
  const base: TrainSettings = {
    ...DEFAULT_TRAIN_SETTINGS,
    ...presetFor(size, channels, { nearBinary, trainImages }),
    datasetId,
  };
  const model = choiceOption(values, 'model', ['mlp', 'conv'], base.model);
  const settings: TrainSettings = {
    ...base,
    // Another model than the format's preset gets its own layer sizes (flags below still win).
    ...(model === base.model ? {} : architectureFor(model, size)),
    model,
    likelihood: choiceOption(values, 'likelihood', LIKELIHOODS, base.likelihood),
    learningRateSchedule: scheduleOption(values, base.learningRateSchedule),
    augmentFlip: choiceOption(values, 'flip', ['on', 'off'], base.augmentFlip ? 'on' : 'off') === 'on',
    pcaStart: startOption(values, model, base, size),
  };
  for (const [option, field] of NUMERIC_OPTIONS) {
    settings[field] = numberOption(values, option, TRAIN_LIMITS[field], settings[field]);
  }
  settings.timeBudgetMinutes = budgetMinutes(values);
  return settings;
}

/** `--schedule cosine` (the setting's own name, warmup-cosine, is accepted too). */
function scheduleOption(values: OptionValues, fallback: LearningRateSchedule): LearningRateSchedule {
  const current = fallback === 'warmup-cosine' ? 'cosine' : 'constant';
  const chosen = choiceOption(values, 'schedule', ['constant', 'cosine'], current, {
    'warmup-cosine': 'cosine',
  });
  return chosen === 'cosine' ? 'warmup-cosine' : 'constant';
}

/**
 * `--start pca|random`: the preset's start for a conv model, random for an MLP (which has no linear
 * path to start from PCA, so `--start pca` with one is refused).
 */
function startOption(
  values: OptionValues,
  model: TrainSettings['model'],
  base: TrainSettings,
  size: number,
): boolean {
  const chosen = choiceOption(values, 'start', ['pca', 'random'], base.pcaStart ? 'pca' : 'random');
  if (model === 'conv') return chosen === 'pca';
  if (text(values, 'start') === 'pca') {
    throw usageError(
      text(values, 'model') === undefined
        ? `--start pca applies only to a conv model, and the preset for ${size}×${size} images is mlp: add --model conv`
        : '--start pca applies only to --model conv (an MLP starts at random)',
    );
  }
  return false;
}

/** `--budget 5m` in minutes (0 without it), within the setting's range. */
function budgetMinutes(values: OptionValues): number {
  const raw = text(values, 'budget');
  if (raw === undefined) return 0;
  const seconds = parseDuration(raw);
  const { max } = TRAIN_LIMITS.timeBudgetMinutes;
  if (seconds === null || seconds <= 0 || seconds > max * 60) {
    throw usageError(
      `--budget must be a time like 5m, 90s or 1h30m, up to ${max / 60 / 24} days (got "${raw}")`,
    );
  }
  return seconds / 60;
}
