/**
 * The training settings form: draft values as typed, their problems, and the payload to send.
 * The image counts follow the open dataset: their limits are its split, and their defaults move
 * with it unless the user has typed their own.
 */
import type { DatasetSummary } from '../../../shared/dataset-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/train-defaults';
import type { TrainSettings } from '../../../shared/types';
import { formatInt } from '../lib/format';
import {
  FIELD_SPECS,
  settingsFromQuery,
  validateField,
  type FieldSpec,
  type SettingField,
} from '../lib/settings-fields';

/** `null` is what a number input holds while it is empty or unparsable. */
export type SettingsDraft = Record<SettingField, number | null>;

type DataField = 'trainLimit' | 'testLimit' | 'displayCount';
const DATA_FIELDS: readonly DataField[] = ['trainLimit', 'testLimit', 'displayCount'];

function isDataField(field: SettingField): field is DataField {
  return (DATA_FIELDS as readonly SettingField[]).includes(field);
}

/** How many images the dataset has for a field: the map's points are test images too. */
function splitLimit(field: DataField, split: DatasetSummary['split']): number {
  return field === 'trainLimit' ? split.train : split.test;
}

function datasetDefault(field: DataField, split: DatasetSummary['split']): number {
  return field === 'displayCount'
    ? Math.min(DEFAULT_TRAIN_SETTINGS.displayCount, split.test)
    : splitLimit(field, split);
}

function defaultDraft(dataset: DatasetSummary | null): SettingsDraft {
  const draft = {} as SettingsDraft;
  for (const spec of FIELD_SPECS) {
    draft[spec.field] =
      dataset && isDataField(spec.field)
        ? datasetDefault(spec.field, dataset.split)
        : DEFAULT_TRAIN_SETTINGS[spec.field];
  }
  return draft;
}

export class SettingsState {
  draft = $state<SettingsDraft>(defaultDraft(null));

  errors = $derived.by(() => {
    const errors: Partial<Record<SettingField, string>> = {};
    for (const spec of FIELD_SPECS) {
      const value = this.draft[spec.field];
      const problem = this.#datasetProblem(spec, value) ?? validateField(spec, value);
      if (problem) errors[spec.field] = problem;
    }
    return errors;
  });

  valid = $derived(Object.keys(this.errors).length === 0);

  readonly #dataset: () => DatasetSummary | null;
  /** The dataset defaults last put in the data fields; a field still holding one was not edited. */
  #applied: Partial<Record<DataField, number>> = {};

  /** `dataset` reads the open dataset, so image counts cannot exceed what it holds. */
  constructor(search: string, dataset: () => DatasetSummary | null) {
    this.#dataset = dataset;
    const preset = settingsFromQuery(search);
    for (const field of DATA_FIELDS) {
      // Values from the address count as typed by the user: a new dataset leaves them alone.
      if (preset[field] === undefined) this.#applied[field] = DEFAULT_TRAIN_SETTINGS[field];
    }
    Object.assign(this.draft, preset);
  }

  /** A dataset was opened: untouched image counts take its defaults. */
  adoptDataset(dataset: DatasetSummary): void {
    for (const field of DATA_FIELDS) {
      const value = datasetDefault(field, dataset.split);
      if (this.draft[field] === this.#applied[field]) this.draft[field] = value;
      this.#applied[field] = value;
    }
  }

  reset(): void {
    const dataset = this.#dataset();
    this.draft = defaultDraft(dataset);
    for (const field of DATA_FIELDS) this.#applied[field] = this.draft[field] ?? undefined;
  }

  /** The input's upper bound: the host's limit, or fewer when the dataset holds fewer images. */
  maxFor(spec: FieldSpec): number {
    const dataset = this.#dataset();
    if (!dataset || !isDataField(spec.field)) return spec.max;
    return Math.max(spec.min, Math.min(spec.max, splitLimit(spec.field, dataset.split)));
  }

  hintFor(spec: FieldSpec): string {
    const dataset = this.#dataset();
    if (!dataset || !isDataField(spec.field)) return spec.hint;
    const n = formatInt(splitLimit(spec.field, dataset.split));
    if (spec.field === 'trainLimit') return `Up to ${n} in the training split`;
    if (spec.field === 'testLimit') return `Up to ${n} held-out images`;
    // The map's points are drawn from the test images the run evaluates on.
    const testLimit = this.draft.testLimit;
    const cap =
      testLimit === null
        ? splitLimit('displayCount', dataset.split)
        : Math.min(testLimit, dataset.split.test);
    return `Held-out images drawn in the map (up to ${formatInt(cap)})`;
  }

  /** The payload for `train:start`, or null while any field is invalid. */
  toSettings(datasetId: string): TrainSettings | null {
    if (!this.valid) return null;
    const values = {} as Record<SettingField, number>;
    for (const spec of FIELD_SPECS) values[spec.field] = this.draft[spec.field] ?? 0;
    return { datasetId, ...values };
  }

  #datasetProblem(spec: FieldSpec, value: number | null): string | null {
    const dataset = this.#dataset();
    if (!dataset || value === null || !isDataField(spec.field)) return null;
    const limit = splitLimit(spec.field, dataset.split);
    const kind = spec.field === 'trainLimit' ? 'training' : 'held-out';
    if (limit < spec.min) {
      return `${dataset.name} has only ${formatInt(limit)} ${kind} images; at least ${formatInt(spec.min)} are needed.`;
    }
    if (value <= limit) return null;
    return `${dataset.name} has ${formatInt(limit)} ${kind} images.`;
  }
}
