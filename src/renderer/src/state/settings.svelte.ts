/**
 * The training settings form: draft values as typed, their problems, and the payload to send.
 * Some fields follow the open dataset unless the user has typed their own: the image counts take
 * its split, and the model fields take the preset for its image format and training split
 * (`presetFor`): flip augmentation, the learning-rate schedule, the PCA start, and the epochs that
 * reach the preset's number of optimizer steps included.
 */
import type { DatasetSummary } from '../../../shared/dataset-types';
import type { ModelPreset } from '../../../shared/model-presets';
import { plannedSteps, type SpeedProbe } from '../../../shared/training-estimate';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/train-defaults';
import type { LearningRateSchedule, Likelihood, ModelKind, TrainSettings } from '../../../shared/types';
import { formatInt } from '../lib/format';
import type { PlannedRun } from '../lib/run-estimate';
import { likelihoodLabel, modelLabel } from '../lib/settings-choices';
import {
  FIELD_SPECS,
  choicesFromQuery,
  settingsFromQuery,
  usableConvDepth,
  validateField,
  type FieldSpec,
  type SettingField,
} from '../lib/settings-fields';
import {
  ADOPTED_FIELDS,
  PRESET_FIELDS,
  adoptedDefaults,
  datasetPreset,
  defaultDraft,
  formatText,
  isDataField,
  splitLimit,
  type AdoptedField,
  type AdoptedValues,
  type PresetField,
  type SettingsDraft,
} from '../lib/settings-defaults';

export type { SettingsDraft };

export class SettingsState {
  draft = $state<SettingsDraft>(defaultDraft(null));
  model = $state<ModelKind>(DEFAULT_TRAIN_SETTINGS.model);
  likelihood = $state<Likelihood>(DEFAULT_TRAIN_SETTINGS.likelihood);
  augmentFlip = $state<boolean>(DEFAULT_TRAIN_SETTINGS.augmentFlip);
  learningRateSchedule = $state<LearningRateSchedule>(DEFAULT_TRAIN_SETTINGS.learningRateSchedule);
  /** The form's choice; it applies to a conv model only (`toSettings` sends false for an MLP). */
  pcaStart = $state<boolean>(DEFAULT_TRAIN_SETTINGS.pcaStart);

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

  /** The model preset for the open dataset's image format, with a name for it. */
  preset = $derived.by((): { label: string; summary: string; values: ModelPreset } | null => {
    const dataset = this.#dataset();
    if (!dataset) return null;
    const values = datasetPreset(dataset);
    const training = [
      values.augmentFlip ? 'left–right flips' : null,
      values.learningRateSchedule === 'warmup-cosine' ? 'warm-up + cosine lr' : null,
      values.pcaStart ? 'PCA start' : null,
      values.earlyStopPatience > 0 ? `early stop after ${values.earlyStopPatience}` : null,
    ].filter((part) => part !== null);
    return {
      label: `Preset for ${formatText(dataset)}`,
      summary: [
        modelLabel(values.model),
        likelihoodLabel(values.likelihood),
        `${values.latentDim}-d latent`,
        `batch ${values.batchSize}`,
        `${formatInt(values.epochs)} ${values.epochs === 1 ? 'epoch' : 'epochs'}`,
        ...training,
      ].join(' · '),
      values,
    };
  });

  /**
   * The fields that differ from the preset, so the form can offer to apply it again. The start
   * counts only for a conv model: an MLP's form hides it.
   */
  presetDifferences = $derived.by((): PresetField[] => {
    const preset = this.preset;
    if (!preset) return [];
    return PRESET_FIELDS.filter(
      (field) =>
        this.#read(field) !== preset.values[field] && (field !== 'pcaStart' || this.model === 'conv'),
    );
  });

  /**
   * What the valid settings plan for the open dataset: the images each epoch trains on and
   * evaluates, and the optimizer steps of the whole run. Null while a field it needs is invalid.
   */
  plan = $derived.by((): PlannedRun | null => {
    const dataset = this.#dataset();
    const { epochs, batchSize, trainLimit, testLimit, displayCount } = this.draft;
    if (!dataset || epochs === null || batchSize === null || trainLimit === null) return null;
    if (testLimit === null || displayCount === null) return null;
    for (const field of ['epochs', 'batchSize', 'trainLimit', 'testLimit', 'displayCount'] as const) {
      if (this.errors[field]) return null;
    }
    const { split } = dataset;
    const trainImages = Math.min(trainLimit, split.train);
    // Validation and test are each evaluated (up to the test limit), and the map's points encoded.
    const evaluatedImages =
      Math.min(testLimit, split.validation) + Math.min(testLimit, split.test) + displayCount;
    return {
      epochs,
      batchSize,
      trainImages,
      evaluatedImages,
      steps: plannedSteps(epochs, trainImages, batchSize),
    };
  });

  /** What the training speed depends on, for the engine to time; null while a field is invalid. */
  speedProbe = $derived.by((): SpeedProbe | null => {
    const dataset = this.#dataset();
    const { latentDim, width, depth, batchSize } = this.draft;
    if (!dataset || latentDim === null || width === null || depth === null || batchSize === null) return null;
    for (const field of ['latentDim', 'width', 'depth', 'batchSize'] as const) {
      if (this.errors[field]) return null;
    }
    const { size, channels } = dataset.preprocessing;
    return {
      model: this.model,
      likelihood: this.likelihood,
      latentDim,
      width,
      depth,
      batchSize,
      size,
      channels,
    };
  });

  readonly #dataset: () => DatasetSummary | null;
  /** The dataset defaults last put in the adopted fields; a field still holding one was not edited. */
  #applied: Partial<AdoptedValues> = {};

  /** `dataset` reads the open dataset, so image counts cannot exceed what it holds. */
  constructor(search: string, dataset: () => DatasetSummary | null) {
    this.#dataset = dataset;
    const typed = { ...settingsFromQuery(search), ...choicesFromQuery(search) };
    const defaults = adoptedDefaults(null);
    for (const field of ADOPTED_FIELDS) {
      // Values from the address count as typed by the user: a new dataset leaves them alone.
      if (!(field in typed)) this.#remember(field, defaults);
    }
    const { model, likelihood, ...numbers } = typed;
    Object.assign(this.draft, numbers);
    if (model) this.model = model;
    if (likelihood) this.likelihood = likelihood;
  }

  /** A dataset was opened: untouched image counts and model fields take its defaults. */
  adoptDataset(dataset: DatasetSummary): void {
    const values = adoptedDefaults(dataset);
    for (const field of ADOPTED_FIELDS) {
      if (this.#read(field) === this.#applied[field]) this.#write(field, values);
      this.#remember(field, values);
    }
  }

  /**
   * A past run's settings for a new run ("Duplicate settings"): every field as that run trained,
   * counted as typed, so the dataset opened next keeps them rather than its own defaults.
   */
  adoptRun(settings: TrainSettings): void {
    for (const spec of FIELD_SPECS) this.draft[spec.field] = settings[spec.field];
    this.model = settings.model;
    this.likelihood = settings.likelihood;
    this.augmentFlip = settings.augmentFlip;
    this.learningRateSchedule = settings.learningRateSchedule;
    this.pcaStart = settings.pcaStart;
    this.#applied = {};
  }

  /** Puts the whole preset back, edits included. */
  applyPreset(): void {
    const dataset = this.#dataset();
    if (!dataset) return;
    const values = adoptedDefaults(dataset);
    for (const field of PRESET_FIELDS) {
      this.#write(field, values);
      this.#remember(field, values);
    }
  }

  reset(): void {
    const dataset = this.#dataset();
    const values = adoptedDefaults(dataset);
    this.draft = defaultDraft(dataset);
    this.model = values.model;
    this.likelihood = values.likelihood;
    this.augmentFlip = values.augmentFlip;
    this.learningRateSchedule = values.learningRateSchedule;
    this.pcaStart = values.pcaStart;
    for (const field of ADOPTED_FIELDS) this.#remember(field, values);
  }

  /** The input's upper bound: the host's limit, or fewer when the dataset holds fewer images. */
  maxFor(spec: FieldSpec): number {
    const dataset = this.#dataset();
    if (!dataset || !isDataField(spec.field)) return spec.max;
    return Math.max(spec.min, Math.min(spec.max, splitLimit(spec.field, dataset.split)));
  }

  hintFor(spec: FieldSpec): string {
    const dataset = this.#dataset();
    const conv = this.model === 'conv';
    if (spec.field === 'width') {
      return conv ? 'Channels of the first convolution; each further one doubles' : spec.hint;
    }
    if (spec.field === 'depth') {
      if (!conv) return spec.hint;
      const size = dataset?.preprocessing.size;
      const depth = this.draft.depth;
      if (size && depth !== null && Number.isInteger(depth)) {
        const usable = usableConvDepth(size, depth);
        if (usable < depth) return `Stride-2 downsamplings; ${size}×${size} images allow ${usable}`;
      }
      return 'Stride-2 downsamplings in the encoder (mirrored in the decoder)';
    }
    if (!dataset || !isDataField(spec.field)) return spec.hint;
    const n = formatInt(splitLimit(spec.field, dataset.split));
    if (spec.field === 'trainLimit') return `Up to ${n} in the training split`;
    if (spec.field === 'testLimit') return `Up to ${n} held-out images`;
    const cap = Math.min(spec.max, splitLimit('displayCount', dataset.split));
    return `Images drawn in the map, held-out first (up to ${formatInt(cap)})`;
  }

  /** The payload for `train:start`, or null while any field is invalid. */
  toSettings(datasetId: string): TrainSettings | null {
    if (!this.valid) return null;
    const values = {} as Record<SettingField, number>;
    for (const spec of FIELD_SPECS) values[spec.field] = this.draft[spec.field] ?? 0;
    return {
      datasetId,
      model: this.model,
      likelihood: this.likelihood,
      augmentFlip: this.augmentFlip,
      learningRateSchedule: this.learningRateSchedule,
      // Conv only: an MLP has no linear path to start from PCA.
      pcaStart: this.model === 'conv' && this.pcaStart,
      ...values,
    };
  }

  #read(field: AdoptedField): AdoptedValues[AdoptedField] | null {
    if (field === 'model') return this.model;
    if (field === 'likelihood') return this.likelihood;
    if (field === 'augmentFlip') return this.augmentFlip;
    if (field === 'learningRateSchedule') return this.learningRateSchedule;
    if (field === 'pcaStart') return this.pcaStart;
    return this.draft[field];
  }

  #write(field: AdoptedField, values: AdoptedValues): void {
    if (field === 'model') this.model = values.model;
    else if (field === 'likelihood') this.likelihood = values.likelihood;
    else if (field === 'augmentFlip') this.augmentFlip = values.augmentFlip;
    else if (field === 'learningRateSchedule') this.learningRateSchedule = values.learningRateSchedule;
    else if (field === 'pcaStart') this.pcaStart = values.pcaStart;
    else this.draft[field] = values[field];
  }

  #remember(field: AdoptedField, values: AdoptedValues): void {
    // One field at a time keeps each key's type paired with its value.
    this.#applied = { ...this.#applied, [field]: values[field] };
  }

  #datasetProblem(spec: FieldSpec, value: number | null): string | null {
    const dataset = this.#dataset();
    if (!dataset || value === null || !isDataField(spec.field)) return null;
    const limit = splitLimit(spec.field, dataset.split);
    const kind = { trainLimit: 'training', testLimit: 'held-out', displayCount: '' }[spec.field];
    if (limit < spec.min) {
      return `${dataset.name} has only ${formatInt(limit)} ${kind ? `${kind} ` : ''}images; at least ${formatInt(spec.min)} are needed.`;
    }
    if (value <= limit) return null;
    return `${dataset.name} has ${formatInt(limit)} ${kind ? `${kind} ` : ''}images.`;
  }
}
