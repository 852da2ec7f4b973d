/**
 * Flip augmentation and the warm-up + cosine schedule in the real training job (wasm, a tiny MLP
 * on small random colour images): a run stopped after epoch 1 and resumed from its checkpoint ends
 * exactly where an uninterrupted one does; each epoch records the rate it ended at, as the
 * schedule says, and "set learning rate" moves the base the schedule scales; flips change what the
 * model trains on but never the validation, test or map images; and run folders from before the
 * settings open as they trained (no flips, one rate).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import type { ImageSet, ImageSubset } from '../../src/main/engine/data/image-set';
import type { VaeModel } from '../../src/main/engine/model/vae-model';
import { listCheckpoints, readCheckpoint } from '../../src/main/engine/train/checkpoint';
import { evaluate } from '../../src/main/engine/train/evaluate';
import { learningRateFactor } from '../../src/main/engine/train/lr-schedule';
import { mulberry32 } from '../../src/main/engine/random';
import { listRuns, RunStore } from '../../src/main/engine/train/run-store';
import {
  TrainingJob,
  type TrainingData,
  type TrainingJobOptions,
  type TrainingListener,
} from '../../src/main/engine/train/training-job';
import { recordedTrainSettings, requestSchemas } from '../../src/shared/schemas';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings, TrainState } from '../../src/shared/types';
import { VALID_ARGS } from '../support/valid-requests';
import { tempFolder } from '../support/temp-folder';

const SIZE = 8;
const TRAIN = 64;
const HELD_OUT = 16;
const BATCH = 4;
const BATCHES_PER_EPOCH = TRAIN / BATCH;

/** 16 batches an epoch, 32 planned steps: two steps of warm-up, then the cosine. */
const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'random-colour',
  model: 'mlp',
  width: 32,
  latentDim: 4,
  trainLimit: TRAIN,
  testLimit: HELD_OUT,
  displayCount: HELD_OUT,
  batchSize: BATCH,
  epochs: 2,
  learningRate: 3e-3,
  seed: 5,
  augmentFlip: true,
  learningRateSchedule: 'warmup-cosine',
};

const runsRoot = tempFolder('flip-schedule');

beforeAll(async () => {
  await selectBackend('wasm');
});

/**
 * Random RGB images: the first 64 train, then 16 validation and 16 test. With `symmetricTraining`
 * every training image is its own mirror image (so flipping one changes nothing).
 */
function randomData(symmetricTraining: boolean): TrainingData {
  const count = TRAIN + 2 * HELD_OUT;
  const stride = SIZE * SIZE * 3;
  const random = mulberry32(11);
  const pixels = Uint8Array.from({ length: count * stride }, () => Math.floor(random() * 256));
  if (symmetricTraining) {
    for (let i = 0; i < TRAIN; i++) {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE / 2; x++) {
          for (let c = 0; c < 3; c++) {
            const row = i * stride + y * SIZE * 3;
            pixels[row + (SIZE - 1 - x) * 3 + c] = pixels[row + x * 3 + c]!;
          }
        }
      }
    }
  }
  const set: ImageSet = {
    pixels,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 2),
    count,
    size: SIZE,
    channels: 3,
    classNames: ['a', 'b'],
    metadata: [],
  };
  const part = (from: number, length: number): ImageSubset => ({
    set,
    indices: Uint32Array.from({ length }, (_, k) => from + k),
  });
  return { train: part(0, TRAIN), validation: part(TRAIN, HELD_OUT), test: part(TRAIN + HELD_OUT, HELD_OUT) };
}

/** The same images with every one mirrored left–right. */
function mirroredSubset({ set, indices }: ImageSubset): ImageSubset {
  const pixels = new Uint8Array(set.pixels.length);
  const line = SIZE * 3;
  for (let i = 0; i < set.count; i++) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        for (let c = 0; c < 3; c++) {
          const row = i * SIZE * line + y * line;
          pixels[row + x * 3 + c] = set.pixels[row + (SIZE - 1 - x) * 3 + c]!;
        }
      }
    }
  }
  return { set: { ...set, pixels }, indices };
}

interface Trained {
  job: TrainingJob;
  states: TrainState[];
  metrics: EpochMetrics[];
  means: Float32Array[];
}

async function train(
  settings: TrainSettings,
  data: TrainingData,
  options: TrainingJobOptions = {},
  onCheckpoint?: (epoch: number, job: TrainingJob) => void,
): Promise<Trained> {
  const trained: Omit<Trained, 'job'> = { states: [], metrics: [], means: [] };
  const holder: { job?: TrainingJob } = {};
  const listener: TrainingListener = {
    onState: (state) => trained.states.push(state),
    onProgress: () => undefined,
    onEpochEnd: (snapshot) => {
      trained.metrics.push(snapshot.metrics);
      trained.means.push(snapshot.means);
    },
    onCheckpoint: (epoch) => onCheckpoint?.(epoch, holder.job!),
  };
  const job = new TrainingJob(`job-${Math.random()}`, settings, listener, options);
  holder.job = job;
  await job.run(async () => data);
  return { job, ...trained };
}

async function weightsOf(model: VaeModel | null): Promise<Float32Array[]> {
  const variables: tf.Variable[] = model!.variables;
  return Promise.all(variables.map(async (v) => (await v.data()) as Float32Array));
}

const newRun = (settings: TrainSettings) =>
  RunStore.create(runsRoot(), { datasetId: settings.datasetId, datasetName: 'Random colour', settings });

describe('flips and the learning-rate schedule in training', () => {
  it('resumes from the epoch-1 checkpoint to exactly the uninterrupted run', async () => {
    const data = randomData(false);
    const straight = await train(SETTINGS, data, { run: await newRun(SETTINGS) });
    expect(straight.states.at(-1)).toBe('completed');

    const stopped = await newRun(SETTINGS);
    const first = await train(SETTINGS, data, { run: stopped }, (epoch, job) => {
      if (epoch === 1) job.cancel();
    });
    expect(first.states.at(-1)).toBe('cancelled');
    expect(first.metrics.map((m) => m.epoch)).toEqual([1]);
    first.job.model?.dispose();
    const [latest] = (await listCheckpoints(stopped.checkpointsDir)).slice(-1);
    expect(latest!.epoch).toBe(1);
    const resumed = await train(SETTINGS, data, {
      run: stopped,
      resumeFrom: await readCheckpoint(latest!.directory),
      previousMetrics: await stopped.readMetrics(),
    });
    expect(resumed.states.at(-1)).toBe('completed');
    expect(resumed.metrics.map((m) => m.epoch)).toEqual([2]);

    const [a, b] = [straight.metrics[1]!, resumed.metrics[0]!];
    expect(first.metrics[0]!.trainLoss).toBe(straight.metrics[0]!.trainLoss);
    expect(b.trainLoss).toBe(a.trainLoss);
    expect(b.validationLoss).toBe(a.validationLoss);
    expect(b.testLoss).toBe(a.testLoss);
    expect(b.learningRate).toBe(a.learningRate);
    expect(await weightsOf(resumed.job.model)).toEqual(await weightsOf(straight.job.model));
    expect((await stopped.readMetrics()).map((m) => m.epoch)).toEqual([1, 2]);
    straight.job.model?.dispose();
    resumed.job.model?.dispose();
  });

  it('records the rate each epoch ended at, and "set learning rate" moves the base it scales', async () => {
    const data = randomData(false);
    const planned = SETTINGS.epochs * BATCHES_PER_EPOCH;
    const { job, metrics } = await train(SETTINGS, data);
    job.model?.dispose();
    expect(metrics[0]!.learningRate).toBeCloseTo(
      SETTINGS.learningRate * learningRateFactor('warmup-cosine', BATCHES_PER_EPOCH - 1, planned),
      15,
    );
    // Past the warm-up and on the way down: below the base rate, above the floor.
    expect(metrics[0]!.learningRate).toBeLessThan(SETTINGS.learningRate);
    expect(metrics[0]!.learningRate).toBeGreaterThan(0.5 * SETTINGS.learningRate);
    expect(metrics[1]!.learningRate).toBeCloseTo(0.1 * SETTINGS.learningRate, 15);
    expect(metrics.map((m) => m.baseLearningRate)).toEqual([SETTINGS.learningRate, SETTINGS.learningRate]);

    // Checkpoints (and so the hook) come with a run folder.
    const changed = await train(SETTINGS, data, { run: await newRun(SETTINGS) }, (epoch, running) => {
      if (epoch === 1) running.setLearningRate(1e-3);
    });
    changed.job.model?.dispose();
    expect(changed.metrics[0]!.learningRate).toBe(metrics[0]!.learningRate);
    expect(changed.metrics[1]!.learningRate).toBeCloseTo(0.1 * 1e-3, 15);
    expect(changed.metrics[1]!.baseLearningRate).toBe(1e-3);

    // A constant schedule records the rate itself, and no base beside it (as runs always have).
    const constant = await train({ ...SETTINGS, learningRateSchedule: 'constant' }, data);
    constant.job.model?.dispose();
    expect(constant.metrics.map((m) => m.learningRate)).toEqual([3e-3, 3e-3]);
    expect(constant.metrics.every((m) => m.baseLearningRate === undefined)).toBe(true);
  });

  it('changes what the model trains on, but never the validation, test or map images', async () => {
    // Asymmetric training images: mirroring half of them trains a different model.
    const asymmetric = randomData(false);
    const flipped = await train(SETTINGS, asymmetric);
    const plain = await train({ ...SETTINGS, augmentFlip: false }, asymmetric);
    expect(flipped.metrics[0]!.trainLoss).not.toBe(plain.metrics[0]!.trainLoss);
    [flipped, plain].forEach((t) => t.job.model?.dispose());

    // Symmetric training images, asymmetric held-out ones: flips change no training step, so the
    // two runs are the same model, and their held-out figures and map agree exactly, which they
    // would not if any held-out image were mirrored (checked below: the model tells them apart).
    const symmetric = randomData(true);
    const on = await train(SETTINGS, symmetric);
    const off = await train({ ...SETTINGS, augmentFlip: false }, symmetric);
    expect(await weightsOf(on.job.model)).toEqual(await weightsOf(off.job.model));
    for (const [a, b] of on.metrics.map((m, k) => [m, off.metrics[k]!] as const)) {
      expect(a.validationLoss).toBe(b.validationLoss);
      expect(a.testLoss).toBe(b.testLoss);
      expect(a.klPerDimension).toEqual(b.klPerDimension);
    }
    expect(on.means).toEqual(off.means);
    const test = symmetric.test;
    const asIs = await evaluate(on.job.model!, test, SETTINGS.seed + 1);
    const mirrored = await evaluate(on.job.model!, mirroredSubset(test), SETTINGS.seed + 1);
    expect(asIs.loss).toBe(on.metrics[1]!.testLoss);
    expect(mirrored.loss).not.toBeCloseTo(asIs.loss, 3);
    [on, off].forEach((t) => t.job.model?.dispose());
  });

  it('opens a run folder written before the settings existed, as it trained', async () => {
    const run = await newRun(SETTINGS);
    const configFile = path.join(run.directory, 'config.json');
    const { settings, ...config } = JSON.parse(await readFile(configFile, 'utf8')) as {
      settings: Record<string, unknown>;
    };
    const { augmentFlip, learningRateSchedule, ...olderSettings } = settings;
    expect([augmentFlip, learningRateSchedule]).toEqual([true, 'warmup-cosine']);
    await writeFile(configFile, JSON.stringify({ ...config, settings: olderSettings }));

    const read = await RunStore.open(runsRoot(), run.runId).readConfig();
    expect(read.settings).toMatchObject({ augmentFlip: false, learningRateSchedule: 'constant' });
    const summary = (await listRuns(runsRoot(), null)).find((r) => r.runId === run.runId)!;
    expect(summary.unreadable).toBeUndefined();
    expect(summary.settings).toMatchObject({ augmentFlip: false, learningRateSchedule: 'constant' });
    // An exported model.json's settings are read by the same rule.
    expect(recordedTrainSettings.parse(olderSettings)).toMatchObject({
      augmentFlip: false,
      learningRateSchedule: 'constant',
    });
  });

  it('is named in every train:start request, with a known schedule', () => {
    const schema = requestSchemas['train:start'];
    const base = VALID_ARGS['train:start'];
    expect(
      schema.safeParse({ ...base, augmentFlip: true, learningRateSchedule: 'warmup-cosine' }).success,
    ).toBe(true);
    expect(schema.safeParse({ ...base, learningRateSchedule: 'one-cycle' }).success).toBe(false);
    expect(schema.safeParse({ ...base, augmentFlip: 'yes' }).success).toBe(false);
    const { augmentFlip: _flip, ...withoutFlip } = base;
    expect(schema.safeParse(withoutFlip).success).toBe(false);
  });
});
