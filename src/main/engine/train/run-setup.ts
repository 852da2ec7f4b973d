/**
 * A run's folder made ready before its training job starts: a new run's, or one continued from
 * its newest checkpoint (checked first, so a refusal changes nothing on disk).
 */
import { fail, ok, type Result } from '../../../shared/result';
import type { EpochMetrics } from '../../../shared/training-events';
import type { TrainSettings } from '../../../shared/train-settings';
import type { DatasetRegistry } from '../data/dataset-registry';
import type { LoadedDataset } from '../data/loaded-dataset';
import {
  continuedSplit,
  describeSplitChange,
  readSplitRecord,
  splitRecordOf,
  writeSplitRecord,
} from '../data/split-record';
import { realignStoredSample } from '../gallery/reconstructions';
import { displayPoints, realignPoints } from '../latent/display-points';
import { LayoutStore } from '../latent/layout-store';
import type { EngineArgs } from '../protocol';
import { CheckpointCorruptError, type LoadedCheckpoint } from './checkpoint';
import { latestCheckpoint, readRun } from './run-reads';
import { RunStore, type RunConfig } from './run-store';
import type { TrainingData } from './training-job';

/** A new run's folder: its config, its split record and the points its map shows. */
export async function createRun(
  runsRoot: string,
  dataset: LoadedDataset,
  settings: TrainSettings,
): Promise<{ run: RunStore; display: Uint32Array }> {
  const run = await RunStore.create(runsRoot, {
    datasetId: settings.datasetId,
    datasetName: dataset.summary.name,
    settings,
    // So an image dropped on the map later is prepared as these were, dataset open or not.
    preprocessing: dataset.summary.preprocessing,
  });
  // The run keeps its split, so continuing on a changed folder never trains on its held-out files.
  await writeSplitRecord(run.directory, splitRecordOf(dataset));
  const points = displayPoints(dataset, settings.displayCount, settings.latentDim);
  await new LayoutStore(run.directory).writePoints(points);
  return { run, display: Uint32Array.from(points.datasetIndices) };
}

/** A run that can continue: everything checked, nothing written yet. */
export interface Continuation {
  run: RunStore;
  config: RunConfig;
  dataset: LoadedDataset;
  checkpoint: LoadedCheckpoint;
  previousMetrics: EpochMetrics[];
  settings: TrainSettings;
}

/** Checks that a run can continue to `epochs`, and with which settings. */
export async function checkContinuation(
  runsRoot: string,
  datasets: DatasetRegistry,
  { runId, epochs, learningRate }: EngineArgs<'train:continue'>,
): Promise<Result<Continuation>> {
  const run = RunStore.open(runsRoot, runId);
  const read = await readRun(() => run.readConfig());
  if (!read.ok) return read;
  const config: RunConfig = read.value;
  const dataset = await datasets.get(config.datasetId);
  if (!dataset)
    return fail('NOT_FOUND', `Open the dataset "${config.datasetName}" again to continue this run.`);
  const checkpoint = await latestCheckpoint(run);
  if (checkpoint === null) return fail('NOT_FOUND', 'This run has no checkpoint to continue from.');
  if (checkpoint instanceof CheckpointCorruptError) return fail('CHECKPOINT_CORRUPT', checkpoint.message);
  if (epochs <= checkpoint.manifest.epoch) {
    return fail(
      'INVALID_PAYLOAD',
      `The run has already trained ${checkpoint.manifest.epoch} epochs; ask for more.`,
    );
  }
  const previousMetrics = await run.readMetrics();
  // Without a new rate, carry on at the last one in effect (it may have been changed mid-run).
  // Under a schedule the recorded rate is the scheduled one; continuing restarts from its base.
  const lastLine = previousMetrics.filter((m) => m.epoch <= checkpoint.manifest.epoch).at(-1);
  const lastRate = lastLine?.baseLearningRate ?? lastLine?.learningRate;
  const settings = {
    ...config.settings,
    epochs,
    learningRate: learningRate ?? lastRate ?? config.settings.learningRate,
  };
  return ok({ run, config, dataset, checkpoint, previousMetrics, settings });
}

/**
 * The continued run's folder brought up to date: its planned epochs, its split applied to the
 * dataset as it is now, its map's points and its stored gallery sample.
 */
export async function prepareContinuation({ run, config, dataset, settings }: Continuation): Promise<{
  split: TrainingData;
  notice: string | null;
  display: Uint32Array;
}> {
  await run.writePlannedEpochs(config, settings.epochs);
  const { split, notice } = await splitToContinue(run, dataset);
  const display = await displayFor(run, dataset, settings);
  await realignStoredSample(run.directory, dataset, settings.seed);
  return { split, notice, display };
}

/**
 * The run's recorded split applied to the dataset as it is now (former test and validation
 * files stay out of training), with what changed in words. A run from before split records
 * continues on today's split, which is recorded from then on.
 */
async function splitToContinue(
  run: RunStore,
  dataset: LoadedDataset,
): Promise<{ split: TrainingData; notice: string | null }> {
  const record = await readSplitRecord(run.directory);
  if (!record) {
    await writeSplitRecord(run.directory, splitRecordOf(dataset));
    return { split: dataset.split, notice: null };
  }
  const continued = continuedSplit(dataset, record);
  if (continued.record !== record) await writeSplitRecord(run.directory, continued.record);
  return {
    split: continued.split,
    notice: continued.change ? describeSplitChange(continued.change) : null,
  };
}

/** A continued run keeps the points its map already shows; older runs get a set of their own. */
async function displayFor(
  run: RunStore,
  dataset: LoadedDataset,
  settings: { displayCount: number; latentDim: number },
): Promise<Uint32Array> {
  const layouts = new LayoutStore(run.directory);
  const stored = await layouts.readPoints();
  // Found again by file name: after an insert the same images sit at other positions.
  const realigned = stored ? realignPoints(stored, dataset) : null;
  if (stored && realigned) {
    if (realigned !== stored) await layouts.writePoints(realigned);
    return Uint32Array.from(realigned.datasetIndices);
  }
  const points = displayPoints(dataset, settings.displayCount, settings.latentDim);
  await layouts.writePoints(points);
  return Uint32Array.from(points.datasetIndices);
}
