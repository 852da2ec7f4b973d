/** The training settings form: draft values as typed, their problems, and the payload to send. */
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/train-defaults';
import type { BuiltinDataset, TrainSettings } from '../../../shared/types';
import { FIELD_SPECS, settingsFromQuery, validateField, type SettingField } from '../lib/settings-fields';

/** `null` is what a number input holds while it is empty or unparsable. */
export type SettingsDraft = Record<SettingField, number | null>;

const TEST_FIELDS = new Set<SettingField>(['testLimit', 'displayCount']);
const numberFormat = new Intl.NumberFormat('en-US');

function defaultDraft(): SettingsDraft {
  const draft = {} as SettingsDraft;
  for (const spec of FIELD_SPECS) draft[spec.field] = DEFAULT_TRAIN_SETTINGS[spec.field];
  return draft;
}

export class SettingsState {
  draft = $state<SettingsDraft>(defaultDraft());

  errors = $derived.by(() => {
    const errors: Partial<Record<SettingField, string>> = {};
    for (const spec of FIELD_SPECS) {
      const value = this.draft[spec.field];
      const problem = validateField(spec, value) ?? this.#datasetProblem(spec.field, value);
      if (problem) errors[spec.field] = problem;
    }
    return errors;
  });

  valid = $derived(Object.keys(this.errors).length === 0);

  readonly #dataset: () => BuiltinDataset | null;

  /** `dataset` reads the picked dataset, so image counts cannot exceed what it holds. */
  constructor(search: string, dataset: () => BuiltinDataset | null) {
    this.#dataset = dataset;
    Object.assign(this.draft, settingsFromQuery(search));
  }

  reset(): void {
    this.draft = defaultDraft();
  }

  /** The payload for `train:start`, or null while any field is invalid. */
  toSettings(datasetId: BuiltinDataset['id']): TrainSettings | null {
    if (!this.valid) return null;
    const values = {} as Record<SettingField, number>;
    for (const spec of FIELD_SPECS) values[spec.field] = this.draft[spec.field] ?? 0;
    return { datasetId, ...values };
  }

  #datasetProblem(field: SettingField, value: number | null): string | null {
    const dataset = this.#dataset();
    if (!dataset || value === null) return null;
    // The map's points are test images too.
    const limit =
      field === 'trainLimit' ? dataset.trainCount : TEST_FIELDS.has(field) ? dataset.testCount : null;
    if (limit === null || value <= limit) return null;
    return `${dataset.name} has ${numberFormat.format(limit)} ${field === 'trainLimit' ? 'training' : 'test'} images.`;
  }
}
