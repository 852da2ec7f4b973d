import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { wholeSet } from '../../src/main/engine/data/image-set';
import { MlpVae } from '../../src/main/engine/model/vae-mlp';
import {
  CheckpointCorruptError,
  listCheckpoints,
  pruneCheckpoints,
  readCheckpoint,
  restoreModel,
  restoreOptimizer,
} from '../../src/main/engine/train/checkpoint';
import { listRuns } from '../../src/main/engine/train/run-store';
import {
  TrainingJob,
  type TrainingData,
  type TrainingListener,
} from '../../src/main/engine/train/training-job';
import type { EpochMetrics, TrainSettings, TrainState } from '../../src/shared/types';
import { tempFolder } from '../support/temp-folder';
import { createMnistRun, loadMnistParts, mnistSettings } from '../support/mnist-run';

const SETTINGS = mnistSettings({
  trainLimit: 512,
  testLimit: 128,
  displayCount: 32,
  epochs: 3,
  batchSize: 64,
  learningRate: 1e-3,
  latentDim: 4,
  seed: 7,
});
let data: TrainingData;
const runsRoot = tempFolder('runs');

beforeAll(async () => {
  await selectBackend('cpu');
  // Validation from the training file, as the built-in MNIST split takes it.
  const { mnist, part } = await loadMnistParts();
  data = { train: part(0, 50_000), validation: part(50_000, 60_000), test: wholeSet(mnist.test) };
});

interface Recorded {
  states: { state: TrainState; error: string | null }[];
  metrics: EpochMetrics[];
}

function recorder(extra: Partial<TrainingListener> = {}): TrainingListener & Recorded {
  const recorded: Recorded = { states: [], metrics: [] };
  return {
    ...recorded,
    onState: (state, error) => recorded.states.push({ state, error }),
    onProgress: () => undefined,
    onEpochEnd: (snapshot) => recorded.metrics.push(snapshot.metrics),
    ...extra,
  };
}

async function train(
  settings: TrainSettings,
  options: ConstructorParameters<typeof TrainingJob>[3] = {},
  listener = recorder(),
) {
  const job = new TrainingJob(`job-${Math.random()}`, settings, listener, options);
  await job.run(async () => data);
  return { job, listener };
}

describe('runs and checkpoints', () => {
  it('writes config, metrics and one checkpoint per epoch, keeping the last few and the best', async () => {
    const run = await createMnistRun(runsRoot(), SETTINGS);
    const { job } = await train({ ...SETTINGS, epochs: 5 }, { run, keepCheckpoints: 2 });
    expect(job.currentState).toBe('completed');
    const metrics = await run.readMetrics();
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5]);
    const kept = (await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch);
    // The best checkpoint is chosen on validation, never on test (issue 14).
    const best = metrics.reduce((a, b) => (b.validationLoss! < a.validationLoss! ? b : a)).epoch;
    expect(kept).toEqual([...new Set([best, 4, 5])].sort());
    const manifest = (await readCheckpoint((await listCheckpoints(run.checkpointsDir)).at(-1)!.directory))
      .manifest;
    expect(manifest.validationLoss).toBeCloseTo(metrics.at(-1)!.validationLoss!, 5);
    const summary = (await listRuns(runsRoot(), null)).find((r) => r.runId === run.runId)!;
    expect(summary).toMatchObject({ state: 'completed', epochsDone: 5, datasetName: 'MNIST' });
    expect(summary.bestTestLoss).toBeCloseTo(Math.min(...metrics.map((m) => m.testLoss)), 5);
    expect(summary.bestValidationLoss).toBeCloseTo(Math.min(...metrics.map((m) => m.validationLoss!)), 5);
    job.model?.dispose();
  });

  it('round-trips weights and optimizer state bit for bit', async () => {
    const run = await createMnistRun(runsRoot(), SETTINGS);
    const { job } = await train({ ...SETTINGS, epochs: 1 }, { run });
    const [latest] = (await listCheckpoints(run.checkpointsDir)).slice(-1);
    const checkpoint = await readCheckpoint(latest!.directory);
    const model = new MlpVae({ inputSize: 784, latentDim: 4, seed: 99 });
    restoreModel(model, checkpoint);
    for (const [i, { variable }] of model.namedVariables.entries()) {
      const original = job.model!.namedVariables[i]!.variable;
      const bytes = (a: Float32Array | Int32Array | Uint8Array) =>
        Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(bytes(await variable.data()).equals(bytes(await original.data()))).toBe(true);
    }
    const optimizer = tf.train.adam(1e-3);
    await restoreOptimizer(optimizer, model, checkpoint);
    const weights = await optimizer.getWeights();
    expect(weights.length).toBe(1 + 2 * model.namedVariables.length);
    expect((await weights[0]!.tensor.data())[0]).toBe(8); // 512 images / 64 per batch
    const firstMoment = checkpoint.values.get('optimizer/encoder/hidden/kernel/m')!;
    expect(Array.from(await weights[1]!.tensor.data())).toEqual(Array.from(firstMoment.data));
    optimizer.dispose();
    model.dispose();
    job.model?.dispose();
  });

  it('refuses truncated and mismatched checkpoints and leaves the model as it was', async () => {
    const run = await createMnistRun(runsRoot(), SETTINGS);
    const { job } = await train({ ...SETTINGS, epochs: 1 }, { run });
    job.model?.dispose();
    const [latest] = await listCheckpoints(run.checkpointsDir);
    const model = new MlpVae({ inputSize: 784, latentDim: 4, seed: 1 });
    const before = await model.variables[0]!.data();

    const other = new MlpVae({ inputSize: 784, latentDim: 8, seed: 1 });
    const checkpoint = await readCheckpoint(latest!.directory);
    expect(() => restoreModel(other, checkpoint)).toThrow(CheckpointCorruptError);
    expect(() => restoreModel(other, checkpoint)).toThrow(
      /encoder\/mean\/kernel is 400×4, the model's is 400×8/,
    );
    other.dispose();

    await truncate(path.join(latest!.directory, 'tensors.bin'), 1000);
    await expect(readCheckpoint(latest!.directory)).rejects.toThrow(/truncated/);
    await writeFile(
      path.join(latest!.directory, 'manifest.json'),
      '{"format": "latent-studio-checkpoint", "vers',
    );
    await expect(readCheckpoint(latest!.directory)).rejects.toBeInstanceOf(CheckpointCorruptError);
    expect(Array.from(await model.variables[0]!.data())).toEqual(Array.from(before));
    model.dispose();
  });

  it('ignores and cleans up a half-written checkpoint folder', async () => {
    const run = await createMnistRun(runsRoot(), SETTINGS);
    const { job } = await train({ ...SETTINGS, epochs: 1 }, { run });
    job.model?.dispose();
    const partial = path.join(run.checkpointsDir, '.partial-epoch-0002-123-456');
    await mkdir(partial);
    await writeFile(path.join(partial, 'tensors.bin'), 'half');
    expect((await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch)).toEqual([1]);
    await pruneCheckpoints(run.checkpointsDir, 3);
    expect(await readdir(run.checkpointsDir)).toEqual(['epoch-0001']);
  });

  it('resumes a seeded run at epoch k to the same result as an uninterrupted one', async () => {
    const straight = await createMnistRun(runsRoot(), SETTINGS);
    const uninterrupted = await train(SETTINGS, { run: straight });
    uninterrupted.job.model?.dispose();

    const split = await createMnistRun(runsRoot(), SETTINGS);
    const firstPart = await train({ ...SETTINGS, epochs: 2 }, { run: split });
    firstPart.job.model?.dispose();
    const [latest] = (await listCheckpoints(split.checkpointsDir)).slice(-1);
    const resumed = await train(SETTINGS, {
      run: split,
      resumeFrom: await readCheckpoint(latest!.directory),
      previousMetrics: await split.readMetrics(),
    });
    resumed.job.model?.dispose();
    const a = uninterrupted.listener.metrics[2]!;
    const b = resumed.listener.metrics[0]!;
    expect(b.epoch).toBe(3);
    expect(b.trainLoss).toBeCloseTo(a.trainLoss, 3);
    expect(b.testLoss).toBeCloseTo(a.testLoss, 3);
    expect((await split.readMetrics()).map((m) => m.epoch)).toEqual([1, 2, 3]);
  });

  it('stops within one batch when the loss turns NaN, and saves nothing from the bad weights', async () => {
    const run = await createMnistRun(runsRoot(), SETTINGS);
    const poisoned: { job?: TrainingJob } = {};
    const listener = recorder({
      // Poison a weight right after the first checkpoint: the next batch's loss is NaN.
      onCheckpoint: () => poisoned.job?.model?.variables[0]!.assign(tf.fill([784, 400], Number.NaN)),
    });
    const job = new TrainingJob('nan-job', SETTINGS, listener, { run });
    poisoned.job = job;
    const progress: number[] = [];
    const original = listener.onProgress;
    listener.onProgress = (p) => {
      if (p.epoch === 2) progress.push(p.batch);
      original(p);
    };
    await job.run(async () => data);
    const last = listener.states.at(-1)!;
    expect(last.state).toBe('diverged');
    expect(last.error).toMatch(/epoch 2, batch 1.*last good checkpoint is epoch 1/);
    expect(progress).toEqual([]);
    expect((await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch)).toEqual([1]);
    expect(JSON.parse(await readFile(path.join(run.directory, 'status.json'), 'utf8'))).toMatchObject({
      state: 'diverged',
    });
    job.model?.dispose();
  });
});
