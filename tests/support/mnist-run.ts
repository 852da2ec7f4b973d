/** New, untrained MNIST run folders, and parts of MNIST to train them on, for tests about runs. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ImageSet, ImageSubset } from '../../src/main/engine/data/image-set';
import { loadMnist } from '../../src/main/engine/data/mnist';
import { RunStore } from '../../src/main/engine/train/run-store';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { makeTempDir } from './image-fixtures';

/** A new run folder under `runsRoot` for an MNIST run with these settings. */
export function createMnistRun(runsRoot: string, settings: TrainSettings): Promise<RunStore> {
  return RunStore.create(runsRoot, { datasetId: 'mnist', datasetName: 'MNIST', settings });
}

/**
 * A temporary folder (`dir`, for `removeTempDir`) with a runs folder holding one new default run
 * (its id and folder).
 */
export async function tempFolderWithRun(prefix: string) {
  const dir = await makeTempDir(prefix);
  const runsRoot = path.join(dir, 'runs');
  await mkdir(runsRoot);
  const run = await createMnistRun(runsRoot, DEFAULT_TRAIN_SETTINGS);
  return { dir, runsRoot, runId: run.runId, runDirectory: run.directory };
}

/** Images `from` to `to − 1` of a set, as one part of the training data. */
export function imageRange(set: ImageSet, from: number, to: number): ImageSubset {
  return { set, indices: Uint32Array.from({ length: to - from }, (_, k) => from + k) };
}

/** MNIST, with `part(from, to)`: images `from` to `to − 1` of its training file (which holds the validation split). */
export async function loadMnistParts() {
  const mnist = await loadMnist();
  return { mnist, part: (from: number, to: number) => imageRange(mnist.train, from, to) };
}

/** Settings for an MNIST run: the defaults with these changed. */
export function mnistSettings(settings: Partial<TrainSettings>): TrainSettings {
  return { ...DEFAULT_TRAIN_SETTINGS, datasetId: 'mnist', ...settings };
}
