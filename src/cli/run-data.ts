/**
 * A run together with data to run its model on, as `encode` and `reconstruct` need it: the run's
 * config, the backend, the dataset (the run's built-in one when `--data` is not given; a folder
 * prepared as the run was trained unless options say otherwise), a check that the images have
 * the format the model reads, the model, and the split as the run recorded it.
 */
import { DEFAULT_PREPROCESSING } from '../shared/builtin-datasets';
import type { ImageSize } from '../shared/dataset-types';
import type { LoadedDataset } from '../main/engine/data/loaded-dataset';
import { isBuiltinId } from '../main/engine/data/dataset-registry';
import type { Split } from '../main/engine/data/split';
import { continuedSplit, readSplitRecord } from '../main/engine/data/split-record';
import { text, type OptionSpec, type OptionValues } from './args';
import { BACKEND_OPTION, startBackend } from './backend-option';
import { DATA_OPTIONS, openData } from './data-option';
import { usageError } from './exit-codes';
import type { RunConfig, RunStore } from '../main/engine/train/run-store';
import { openRunConfig, openRunModel, runFormat, type OpenedRun } from './run-model';
import { RUN_OPTION } from './run-option';

/** The options `openRunData` reads: the run, the data and the backend. */
export const RUN_DATA_OPTIONS: Record<string, OptionSpec> = {
  ...RUN_OPTION,
  ...DATA_OPTIONS,
  ...BACKEND_OPTION,
};

/** A run's config and the data to run its model on, before any model is loaded. */
export interface RunData {
  store: RunStore;
  config: RunConfig;
  dataset: LoadedDataset;
  /** True when the data is the dataset the run trained on, so its test split means something. */
  ownDataset: boolean;
  /**
   * The run's recorded split applied to the data as it is now (a file added since takes the part
   * its hash gives it), or the data's own split for a run without a record.
   */
  split: Split;
}

export type RunWithData = RunData & OpenedRun;

/** The run's config and its data, format-checked; the backend is started, no model is loaded. */
export async function openRunData(runDirectory: string, values: OptionValues): Promise<RunData> {
  const { store, config } = await openRunConfig(runDirectory);
  if (text(values, 'data') === undefined) {
    if (!isBuiltinId(config.datasetId)) {
      throw usageError(`--data is required: the run was trained on the folder "${config.datasetName}"`);
    }
    values.data = config.datasetId;
  }
  await startBackend(values);
  // A folder is prepared as the run's images were: its recorded preprocessing, or a built-in's format.
  const trained = runFormat(config);
  const base =
    config.preprocessing ??
    (trained
      ? {
          ...DEFAULT_PREPROCESSING,
          size: trained.size as ImageSize,
          channels: trained.channels === 3 ? ('rgb' as const) : ('grayscale' as const),
        }
      : undefined);
  const { dataset } = await openData(values, base);
  const { set } = dataset;
  if (trained && (trained.size !== set.size || trained.channels !== set.channels)) {
    throw usageError(
      `the run was trained on ${trained.size}×${trained.size} images with ${trained.channels} channel(s); ` +
        `the data is ${set.size}×${set.size} with ${set.channels}`,
    );
  }
  const record = await readSplitRecord(store.directory);
  return {
    store,
    config,
    dataset,
    ownDataset: dataset.summary.datasetId === config.datasetId,
    split: record ? continuedSplit(dataset, record).split : dataset.split,
  };
}

/** The run's data, then its newest readable checkpoint's model for images of that format. */
export async function openRunWithData(runDirectory: string, values: OptionValues): Promise<RunWithData> {
  const data = await openRunData(runDirectory, values);
  const { set } = data.dataset;
  return { ...data, ...(await openRunModel(runDirectory, { size: set.size, channels: set.channels })) };
}
