/**
 * `--run <dir or run id>`: a run folder's config and the model of its newest checkpoint that loads. An
 * older checkpoint is used (with a note) when the newest is damaged, as the app does; when none
 * loads, the checkpoint's own error ends the command with exit code 4.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BUILTIN_DATASETS } from '../shared/builtin-datasets';
import { RUN_ID_PATTERN } from '../shared/run-types';
import { defaultDataDirectory, runsDirectoryOf } from '../main/engine/data-directory';
import { formatOfWeights } from '../main/engine/model-io/weights-format';
import type { TrainSettings } from '../shared/train-settings';
import { createModel } from '../main/engine/model/create-model';
import type { VaeModel } from '../main/engine/model/vae-model';
import {
  CheckpointCorruptError,
  listCheckpoints,
  readCheckpoint,
  restoreModel,
  type LoadedCheckpoint,
} from '../main/engine/train/checkpoint';
import { RunStore, type RunConfig } from '../main/engine/train/run-store';
import { CliError, EXIT, notFoundError } from './exit-codes';
import { log } from './log';

export interface ImageFormat {
  size: number;
  channels: 1 | 3;
}

export interface OpenedRun {
  store: RunStore;
  config: RunConfig;
  checkpoint: LoadedCheckpoint;
  model: VaeModel;
  format: ImageFormat;
}

/**
 * The folder `--run` names: a path, or a bare run id (as `latent-studio runs` lists them) of a run
 * in the runs folder when no folder of that name is here.
 */
async function runDirectory(named: string): Promise<string> {
  if (!RUN_ID_PATTERN.test(named) || (await stat(named).catch(() => null))) return named;
  return path.join(runsDirectoryOf(defaultDataDirectory()), named);
}

export async function openRunConfig(named: string): Promise<{ store: RunStore; config: RunConfig }> {
  const directory = await runDirectory(named);
  const info = await stat(path.join(directory, 'config.json')).catch(() => null);
  if (!info?.isFile())
    throw notFoundError(`--run: no run in ${path.resolve(directory)} (it has no config.json)`);
  const store = RunStore.openAt(directory);
  try {
    return { store, config: await store.readConfig() };
  } catch (error) {
    throw new CliError(`--run: ${(error as Error).message.split('\n')[0]}`, EXIT.corrupt);
  }
}

/** The image format the run's model reads: recorded by `train`, or the built-in dataset's. */
export function runFormat(config: RunConfig): ImageFormat | null {
  if (config.preprocessing) {
    const { size, channels } = config.preprocessing;
    return { size, channels: channels === 'rgb' ? 3 : 1 };
  }
  const builtin = BUILTIN_DATASETS.find((d) => d.id === config.datasetId);
  return builtin ? { size: builtin.imageSize, channels: builtin.channels } : null;
}

async function newestReadableCheckpoint(store: RunStore): Promise<LoadedCheckpoint> {
  const checkpoints = (await listCheckpoints(store.checkpointsDir)).reverse();
  if (!checkpoints.length) throw notFoundError(`--run: ${store.directory} has no checkpoint yet`);
  let failure: CheckpointCorruptError | null = null;
  for (const { directory, epoch } of checkpoints) {
    try {
      const checkpoint = await readCheckpoint(directory);
      if (failure)
        log(`note: using the checkpoint of epoch ${epoch}; a newer one is damaged (${failure.message})`);
      return checkpoint;
    } catch (error) {
      if (!(error instanceof CheckpointCorruptError)) throw error;
      failure ??= error;
    }
  }
  throw failure!;
}

/** A model of the run's settings for images of `format`, with the checkpoint's weights. */
export function modelFromCheckpoint(
  settings: TrainSettings,
  format: ImageFormat,
  checkpoint: LoadedCheckpoint,
): VaeModel {
  const model = createModel(settings, format.size, format.channels);
  try {
    restoreModel(model, checkpoint);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** The run's model with its newest readable checkpoint's weights. The backend must be started. */
export async function openRunModel(directory: string, format?: ImageFormat): Promise<OpenedRun> {
  const { store, config } = await openRunConfig(directory);
  const checkpoint = await newestReadableCheckpoint(store);
  // Runs the app trained on a folder do not record the format; their weights still tell it.
  const imageFormat =
    format ?? runFormat(config) ?? formatOfWeights(config.settings.model, checkpoint.values);
  if (!imageFormat) throw new CheckpointCorruptError('the checkpoint’s image format cannot be worked out');
  const model = modelFromCheckpoint(config.settings, imageFormat, checkpoint);
  log(`run: ${config.runId} (${config.datasetName}), checkpoint of epoch ${checkpoint.manifest.epoch}`);
  return { store, config, checkpoint, model, format: imageFormat };
}
