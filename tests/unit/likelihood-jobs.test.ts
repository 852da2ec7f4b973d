/**
 * `LikelihoodJobs` with real tfjs and real run folders: a tiny run trained three epochs, whose
 * metrics then name its middle epoch the best by validation. An estimate is for that checkpoint
 * (the same figures as estimating it by hand), is kept in likelihood.json, and says which it was;
 * without the best checkpoint it is for the newest. The automatic estimate uses at most the run's
 * test cap, and gives way to one asked for and to `cancelAutomatic`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import type { LoadedDataset } from '../../src/main/engine/data/loaded-dataset';
import { hashSplit, DEFAULT_FRACTIONS } from '../../src/main/engine/data/split';
import { createModel } from '../../src/main/engine/model/create-model';
import {
  checkpointDirName,
  listCheckpoints,
  readCheckpoint,
  restoreModel,
} from '../../src/main/engine/train/checkpoint';
import { estimateLogLikelihood } from '../../src/main/engine/train/iwae';
import { LikelihoodJobs } from '../../src/main/engine/train/likelihood-jobs';
import { readLikelihoods } from '../../src/main/engine/train/likelihood-store';
import { RunStore } from '../../src/main/engine/train/run-store';
import { TrainingJob } from '../../src/main/engine/train/training-job';
import type { Events } from '../../src/shared/contract';
import type { LikelihoodResult } from '../../src/shared/likelihood-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { tempFolder } from '../support/temp-folder';
import { HALF_LIT_SIZE, halfLitSet } from '../support/toy-images';

const SIZE = HALF_LIT_SIZE;

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'toy',
  width: 16,
  latentDim: 2,
  trainLimit: 1000,
  testLimit: 1000,
  displayCount: 8,
  epochs: 3,
  batchSize: 16,
  learningRate: 3e-3,
};

const RULE = { method: 'fnv1a32', seed: 1, ...DEFAULT_FRACTIONS, key: 'index' } as const;

const dir = tempFolder('likelihood-jobs');
let dataset: LoadedDataset;
let runId: string;
let run: RunStore;
const events: { name: keyof Events; payload: Events[keyof Events] }[] = [];

const jobs = () =>
  new LikelihoodJobs({
    runsRoot: dir(),
    dataset: async (id) => (id === 'toy' ? dataset : null),
    emit: (name, payload) => events.push({ name, payload }),
    errorMessage: (error) => String(error),
  });

/** Resolves with the result event of that job. */
async function resultOf(jobId: string): Promise<LikelihoodResult> {
  for (;;) {
    const found = events.find(
      (e) => e.name === 'run:did-evaluate' && (e.payload as LikelihoodResult).jobId === jobId,
    );
    if (found) return found.payload as LikelihoodResult;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  await selectBackend('cpu');
  const set = halfLitSet(200);
  // The test part is what is estimated; the summary is not read by the jobs.
  dataset = { set, split: hashSplit(set, RULE), summary: { datasetId: 'toy' } } as unknown as LoadedDataset;
  run = await RunStore.create(dir(), { datasetId: 'toy', datasetName: 'toy', settings: SETTINGS });
  runId = run.runId;
  const job = new TrainingJob(
    'train',
    SETTINGS,
    {
      onState: () => undefined,
      onProgress: () => undefined,
      onEpochEnd: () => undefined,
    },
    { run },
  );
  await job.run(async () => dataset.split);
  job.model?.dispose();
  // The middle epoch becomes the best by validation, so best and newest differ.
  const metrics = await run.readMetrics();
  expect(metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
  await run.writeMetrics(metrics.map((m) => ({ ...m, validationLoss: m.epoch === 2 ? 10 : 20 })));
}, 60_000);

describe('LikelihoodJobs', () => {
  it('estimates the best checkpoint by validation, says so, and keeps the result', async () => {
    const likelihoods = jobs();
    const started = await likelihoods.start({ jobId: 'asked', runId, samples: 8 });
    expect(started).toEqual({ ok: true, value: { jobId: 'asked' } });
    const result = await resultOf('asked');
    expect(result).toMatchObject({
      runId,
      samples: 8,
      automatic: false,
      epoch: 2,
      checkpoint: 'best',
      outcome: 'completed',
      error: null,
    });
    // The very figures of the epoch-2 checkpoint, estimated by hand on the run's test images.
    const model = createModel(SETTINGS, SIZE, 1);
    restoreModel(model, await readCheckpoint(path.join(run.checkpointsDir, checkpointDirName(2))));
    const byHand = await estimateLogLikelihood(model, dataset.split.test, {
      samples: 8,
      likelihood: SETTINGS.likelihood,
      seed: 1,
    });
    model.dispose();
    expect(result.estimate).toEqual(byHand);
    const { estimates } = await readLikelihoods(run.directory);
    expect(estimates).toEqual([result.saved]);
    expect(result.saved).toMatchObject({ epoch: 2, checkpoint: 'best', automatic: false, split: 'test' });
    // Progress from 0 to every image, then the result.
    const progress = events.filter(
      (e) => e.name === 'run:did-evaluate-progress' && (e.payload as { jobId: string }).jobId === 'asked',
    );
    expect(progress[0]!.payload).toMatchObject({ imagesDone: 0, automatic: false });
    expect(progress.at(-1)!.payload).toMatchObject({ imagesDone: dataset.split.test.indices.length });
  });

  it('an automatic estimate gives way to one asked for, never the other way round', async () => {
    const likelihoods = jobs();
    const tensorsBefore = tf.memory().numTensors;
    expect(await likelihoods.startAutomatic({ jobId: 'auto-1', runId })).toMatchObject({ ok: true });
    // Asked for at once: the automatic one is cancelled before its first chunk.
    expect(await likelihoods.start({ jobId: 'asked-2', runId, samples: 2 })).toMatchObject({ ok: true });
    expect(await resultOf('auto-1')).toMatchObject({ automatic: true, outcome: 'cancelled', saved: null });
    expect((await resultOf('asked-2')).outcome).toBe('completed');
    // One asked for is not cancelled for an automatic one: that one is skipped instead.
    expect(await likelihoods.start({ jobId: 'asked-3', runId, samples: 2 })).toMatchObject({ ok: true });
    expect(await likelihoods.startAutomatic({ jobId: 'auto-2', runId })).toMatchObject({ code: 'BUSY' });
    expect(await likelihoods.start({ jobId: 'asked-4', runId, samples: 2 })).toMatchObject({ code: 'BUSY' });
    await resultOf('asked-3');
    await likelihoods.stopAll();
    expect(tf.memory().numTensors, 'the jobs leave no tensors behind').toBe(tensorsBefore);
  });

  it('stops an automatic estimate for new training, and caps its images', async () => {
    const capped = { ...SETTINGS, testLimit: 5 };
    const small = await RunStore.create(dir(), { datasetId: 'toy', datasetName: 'toy', settings: capped });
    const job = new TrainingJob(
      'train-2',
      { ...capped, epochs: 1 },
      {
        onState: () => undefined,
        onProgress: () => undefined,
        onEpochEnd: () => undefined,
      },
      { run: small },
    );
    await job.run(async () => dataset.split);
    job.model?.dispose();
    const likelihoods = jobs();
    await likelihoods.startAutomatic({ jobId: 'auto-3', runId: small.runId });
    likelihoods.cancelAutomatic();
    expect(await resultOf('auto-3')).toMatchObject({ outcome: 'cancelled', automatic: true });
    // Cancelled while it still reads its checkpoint: it never starts at all.
    const preparing = likelihoods.startAutomatic({ jobId: 'auto-dropped', runId: small.runId });
    likelihoods.cancelAutomatic();
    expect(await preparing).toMatchObject({ ok: false, code: 'BUSY' });
    expect(events.some((e) => (e.payload as { jobId?: string }).jobId === 'auto-dropped')).toBe(false);
    await likelihoods.startAutomatic({ jobId: 'auto-4', runId: small.runId });
    const result = await resultOf('auto-4');
    // Its one epoch is the best by validation.
    expect(result).toMatchObject({ outcome: 'completed', samples: 100, epoch: 1, checkpoint: 'best' });
    expect(result.estimate!.images).toBe(5);
    expect((await readLikelihoods(small.directory)).estimates).toEqual([result.saved]);
  });

  it('falls back to the newest checkpoint when the best is no longer kept', async () => {
    await rm(path.join(run.checkpointsDir, checkpointDirName(2)), { recursive: true });
    expect((await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch)).toEqual([1, 3]);
    const likelihoods = jobs();
    await likelihoods.start({ jobId: 'newest', runId, samples: 2 });
    expect(await resultOf('newest')).toMatchObject({ outcome: 'completed', epoch: 3, checkpoint: 'newest' });
    const { estimates } = await readLikelihoods(run.directory);
    expect(estimates.at(-1)).toMatchObject({ epoch: 3, checkpoint: 'newest' });
  });
});
