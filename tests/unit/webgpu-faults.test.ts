/**
 * A GPU that fails mid-run (device lost, a buffer over its limits) ends the run with plain words,
 * keeps the checkpoints written before, and the run continues on another backend from them.
 * Runs on whatever webgpu adapter exists (SwiftShader on CI); skipped with the reason elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { listCheckpoints, readCheckpoint } from '../../src/main/engine/train/checkpoint';
import {
  TrainingJob,
  type TrainingData,
  type TrainingListener,
} from '../../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings, TrainState } from '../../src/shared/types';
import { makeTempDir } from '../support/image-fixtures';
import { tryWebGpu, warnWhenSkipped } from '../support/webgpu';
import { createMnistRun, loadMnistParts } from '../support/mnist-run';

const gpu = await tryWebGpu();
warnWhenSkipped(gpu, 'webgpu faults');

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'mnist',
  model: 'mlp',
  width: 32,
  latentDim: 4,
  trainLimit: 128,
  testLimit: 64,
  displayCount: 16,
  epochs: 3,
  batchSize: 64,
  seed: 11,
};

let data: TrainingData;
let runsRoot: string;

beforeAll(async () => {
  const { part } = await loadMnistParts();
  data = { train: part(0, 1_000), validation: part(1_000, 1_200), test: part(1_200, 1_400) };
  runsRoot = await makeTempDir('latent-studio-gpu-faults-');
});

function device(): GPUDevice {
  return (tf.backend() as WebGPUBackend).device;
}

/** Trains on a fresh webgpu device; `fault` runs when the epoch-1 checkpoint is written. */
async function trainWithFault(fault: () => void) {
  await selectBackend('webgpu');
  const run = await createMnistRun(runsRoot, SETTINGS);
  const states: { state: TrainState; error: string | null; checkpoint: number | null }[] = [];
  const listener: TrainingListener = {
    onState: (state, error, checkpoint) => states.push({ state, error, checkpoint }),
    onProgress: () => undefined,
    onEpochEnd: () => undefined,
    onCheckpoint: (epoch) => {
      if (epoch === 1) fault();
    },
  };
  const job = new TrainingJob('gpu-fault', SETTINGS, listener, { run });
  await job.run(async () => data);
  job.model?.dispose();
  return { run, final: states.at(-1)! };
}

describe.skipIf(!gpu.available)('webgpu faults', () => {
  it('ends the run in plain words when the device is lost, and it continues on the cpu backend', async () => {
    const { run, final } = await trainWithFault(() => device().destroy());
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/The GPU device was lost \(destroyed/);
    expect(final.error).toMatch(/checkpoints up to epoch 1 are intact/);
    const checkpoints = await listCheckpoints(run.checkpointsDir);
    expect(checkpoints.map((c) => c.epoch)).toEqual([1]);

    // "Continue on another backend": the same run, resumed from its checkpoint on the cpu backend.
    await selectBackend('cpu');
    const states: TrainState[] = [];
    const resumed = new TrainingJob(
      'gpu-fault-resumed',
      SETTINGS,
      { onState: (state) => states.push(state), onProgress: () => undefined, onEpochEnd: () => undefined },
      {
        run,
        resumeFrom: await readCheckpoint(checkpoints[0]!.directory),
        previousMetrics: await run.readMetrics(),
      },
    );
    await resumed.run(async () => data);
    resumed.model?.dispose();
    expect(states.at(-1)).toBe('completed');
    expect((await run.readMetrics()).map((m) => m.epoch)).toEqual([1, 2, 3]);
  });

  it('ends the run with a smaller-batch hint when the GPU refuses a buffer over its limits', async () => {
    const { run, final } = await trainWithFault(() => {
      device().createBuffer({ size: 2 ** 40, usage: GPUBufferUsage.STORAGE });
    });
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/The GPU reported an error \(.*max buffer size/);
    expect(final.error).toMatch(/Try a smaller batch \(32 instead of 64\)/);
    expect((await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch)).toEqual([1]);
  });
});
