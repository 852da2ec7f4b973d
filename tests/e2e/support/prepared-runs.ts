/**
 * Run folders written straight into a data directory, as a finished run leaves them (config.json,
 * status.json, metrics.jsonl; no checkpoints): for journeys about what the Runs tab reads, without
 * the minutes training them through the page would cost.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS } from '../../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings } from '../../../src/shared/types';

export interface PreparedRun {
  runId: string;
  settings: Partial<TrainSettings>;
  /** Held-out −ELBO per epoch; the other figures follow from it. */
  losses: number[];
  /** Seconds each epoch took. */
  secondsPerEpoch: number;
  /** The dataset's name as listed. Default 'MNIST'. */
  datasetName?: string;
  /** What the user said of the run (run-meta.json), when anything. */
  meta?: { name: string | null; note: string; tags: string[] };
}

function epochLine(epoch: number, loss: number, wallSeconds: number, latentDim: number): EpochMetrics {
  return {
    epoch,
    beta: 1,
    learningRate: 1e-3,
    trainBitsPerDim: (loss - 2) / (784 * Math.LN2),
    testBitsPerDim: loss / (784 * Math.LN2),
    likelihood: 'bernoulli',
    klPerDimension: Array.from({ length: latentDim }, () => 1),
    activeUnits: latentDim,
    trainLoss: loss - 2,
    testLoss: loss,
    testReconstruction: loss - 20,
    testKl: 20,
    validationLoss: loss + 1,
    imagesPerSecond: 2000,
    wallSeconds,
  };
}

export async function writePreparedRun(dataDirectory: string, run: PreparedRun): Promise<void> {
  const directory = path.join(dataDirectory, 'runs', run.runId);
  await mkdir(path.join(directory, 'checkpoints'), { recursive: true });
  const settings = { ...DEFAULT_TRAIN_SETTINGS, datasetId: 'mnist', ...run.settings };
  const [date = '', time = ''] = run.runId.split('-');
  const createdAt = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}.000Z`;
  await writeFile(
    path.join(directory, 'config.json'),
    JSON.stringify({
      runId: run.runId,
      createdAt,
      datasetId: 'mnist',
      datasetName: run.datasetName ?? 'MNIST',
      settings,
    }),
  );
  if (run.meta) {
    await writeFile(path.join(directory, 'run-meta.json'), JSON.stringify({ version: 1, ...run.meta }));
  }
  await writeFile(
    path.join(directory, 'status.json'),
    JSON.stringify({ state: 'completed', error: null, updatedAt: createdAt }),
  );
  const lines = run.losses.map((loss, i) =>
    JSON.stringify(epochLine(i + 1, loss, (i + 1) * run.secondsPerEpoch, settings.latentDim)),
  );
  await writeFile(path.join(directory, 'metrics.jsonl'), lines.join('\n') + '\n');
}
