/**
 * The training settings' defaults: which fields follow the open dataset (its split for the image
 * counts, the preset for its image format for the model fields) and what they hold for it.
 */
import type { DatasetSummary } from '../../../shared/dataset-types';
import { presetFor, type ModelPreset } from '../../../shared/model-presets';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/train-defaults';
import type { TrainSettings } from '../../../shared/types';
import { FIELD_SPECS, type SettingField } from './settings-fields';

/** `null` is what a number input holds while it is empty or unparsable. */
export type SettingsDraft = Record<SettingField, number | null>;

type DataField = 'trainLimit' | 'testLimit' | 'displayCount';
const DATA_FIELDS: readonly DataField[] = ['trainLimit', 'testLimit', 'displayCount'];

export type PresetField = keyof ModelPreset;
export const PRESET_FIELDS: readonly PresetField[] = [
  'model',
  'likelihood',
  'latentDim',
  'width',
  'depth',
  'batchSize',
  'epochs',
  'earlyStopPatience',
  'augmentFlip',
  'learningRateSchedule',
  'pcaStart',
];

/** The preset fields that are choices, held beside the draft of numbers. */
type ChoiceField = 'model' | 'likelihood' | 'augmentFlip' | 'learningRateSchedule' | 'pcaStart';
const CHOICE_FIELDS: readonly AdoptedField[] = [
  'model',
  'likelihood',
  'augmentFlip',
  'learningRateSchedule',
  'pcaStart',
];

function isChoiceField(field: AdoptedField): field is ChoiceField {
  return CHOICE_FIELDS.includes(field);
}

/** Fields whose default comes from the open dataset. */
export type AdoptedField = DataField | PresetField;
export type AdoptedValues = Pick<TrainSettings, AdoptedField>;
export const ADOPTED_FIELDS: readonly AdoptedField[] = [...DATA_FIELDS, ...PRESET_FIELDS];

export function isDataField(field: SettingField): field is DataField {
  return (DATA_FIELDS as readonly SettingField[]).includes(field);
}

/**
 * How many images the dataset has for a field. The map's points are held-out images first, then
 * training images once those run out, so they may number up to the whole dataset.
 */
export function splitLimit(field: DataField, split: DatasetSummary['split']): number {
  if (field === 'displayCount') return split.train + split.test;
  return field === 'trainLimit' ? split.train : split.test;
}

function datasetDefault(field: DataField, split: DatasetSummary['split']): number {
  return field === 'displayCount'
    ? Math.min(DEFAULT_TRAIN_SETTINGS.displayCount, splitLimit(field, split))
    : splitLimit(field, split);
}

function channelsOf(dataset: DatasetSummary): 1 | 3 {
  return dataset.preprocessing.channels === 'rgb' ? 3 : 1;
}

export function datasetPreset(dataset: DatasetSummary): ModelPreset {
  // The built-ins (MNIST digits, Sprites shapes) are black and white: Bernoulli fits them.
  return presetFor(dataset.preprocessing.size, channelsOf(dataset), {
    nearBinary: dataset.source.kind === 'builtin' ? true : undefined,
    trainImages: dataset.split.train,
  });
}

/** What the adopted fields hold for a dataset (or with none open). */
export function adoptedDefaults(dataset: DatasetSummary | null): AdoptedValues {
  const preset = dataset ? datasetPreset(dataset) : null;
  return {
    model: preset?.model ?? DEFAULT_TRAIN_SETTINGS.model,
    likelihood: preset?.likelihood ?? DEFAULT_TRAIN_SETTINGS.likelihood,
    latentDim: preset?.latentDim ?? DEFAULT_TRAIN_SETTINGS.latentDim,
    width: preset?.width ?? DEFAULT_TRAIN_SETTINGS.width,
    depth: preset?.depth ?? DEFAULT_TRAIN_SETTINGS.depth,
    batchSize: preset?.batchSize ?? DEFAULT_TRAIN_SETTINGS.batchSize,
    epochs: preset?.epochs ?? DEFAULT_TRAIN_SETTINGS.epochs,
    earlyStopPatience: preset?.earlyStopPatience ?? DEFAULT_TRAIN_SETTINGS.earlyStopPatience,
    augmentFlip: preset?.augmentFlip ?? DEFAULT_TRAIN_SETTINGS.augmentFlip,
    learningRateSchedule: preset?.learningRateSchedule ?? DEFAULT_TRAIN_SETTINGS.learningRateSchedule,
    pcaStart: preset?.pcaStart ?? DEFAULT_TRAIN_SETTINGS.pcaStart,
    trainLimit: dataset ? datasetDefault('trainLimit', dataset.split) : DEFAULT_TRAIN_SETTINGS.trainLimit,
    testLimit: dataset ? datasetDefault('testLimit', dataset.split) : DEFAULT_TRAIN_SETTINGS.testLimit,
    displayCount: dataset
      ? datasetDefault('displayCount', dataset.split)
      : DEFAULT_TRAIN_SETTINGS.displayCount,
  };
}

export function defaultDraft(dataset: DatasetSummary | null): SettingsDraft {
  const adopted = adoptedDefaults(dataset);
  const draft = {} as SettingsDraft;
  for (const spec of FIELD_SPECS) draft[spec.field] = DEFAULT_TRAIN_SETTINGS[spec.field];
  for (const field of ADOPTED_FIELDS) {
    if (!isChoiceField(field)) draft[field] = adopted[field];
  }
  return draft;
}

/** "64×64 RGB", "28×28 grayscale". */
export function formatText(dataset: DatasetSummary): string {
  const { size, channels } = dataset.preprocessing;
  return `${size}×${size} ${channels === 'rgb' ? 'RGB' : 'grayscale'}`;
}
