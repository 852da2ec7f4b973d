/**
 * End to end through the engine's TrainingJob on real MNIST images: a short seeded run trains to
 * the same per-epoch losses on wasm (with our kernels) as on the JavaScript cpu backend, and a run
 * stopped after epoch 2 and continued from its checkpoint to epoch 4 matches a run of 4 epochs
 * straight. Only agreement is asserted, never particular values: seeds, splits and noise may
 * change, the two sides of each comparison change together.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { wholeSet } from '../../src/main/engine/data/image-set';
import { loadMnist } from '../../src/main/engine/data/mnist';
import { checkpointDirName, readCheckpoint } from '../../src/main/engine/train/checkpoint';
import {
  TrainingJob,
  type TrainingData,
  type TrainingJobOptions,
} from '../../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings } from '../../src/shared/types';
import { makeTempDir } from '../support/image-fixtures';
import { createMnistRun } from '../support/mnist-run';

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'mnist',
  trainLimit: 384,
  testLimit: 128,
  displayCount: 32,
  epochs: 2,
  batchSize: 64,
  latentDim: 8,
  width: 128,
  seed: 21,
};

/** The per-epoch figures compared; every one the job reports as a loss. */
const FIGURES = ['trainLoss', 'testLoss', 'testReconstruction', 'testKl'] as const;

/** wasm against cpu: float32 sums in another order, over 12 Adam steps. */
const BACKEND_TOLERANCE = 1e-3;
/** The same backend, resumed against straight: only the checkpoint's float32 round trip differs. */
const RESUME_TOLERANCE = 1e-5;

let data: TrainingData;

beforeAll(async () => {
  // Both backends registered (ours with its wasm kernels); each test picks one with setBackend.
  expect((await selectBackend('wasm')).name).toBe('wasm');
  expect((await selectBackend('cpu')).name).toBe('cpu');
  const mnist = await loadMnist();
  data = { train: wholeSet(mnist.train), test: wholeSet(mnist.test) };
}, 60_000);

interface Trained {
  job: TrainingJob;
  metrics: EpochMetrics[];
}

/** Runs a job to its end on `backend`; `stopAfter` interrupts it once that epoch is done. */
async function train(
  backend: 'wasm' | 'cpu',
  settings: TrainSettings,
  options: TrainingJobOptions = {},
  stopAfter?: number,
): Promise<Trained> {
  expect(await tf.setBackend(backend)).toBe(true);
  const metrics: EpochMetrics[] = [];
  const job: TrainingJob = new TrainingJob(
    `${backend}-job`,
    settings,
    {
      onState: () => undefined,
      onProgress: () => undefined,
      onEpochEnd: (snapshot) => {
        metrics.push(snapshot.metrics);
        if (snapshot.epoch === stopAfter) job.interrupt();
      },
    },
    options,
  );
  await job.run(async () => data);
  job.model?.dispose();
  return { job, metrics };
}

/** Worst relative difference over every compared figure of every epoch, both lists epoch-aligned. */
function worstRelative(a: EpochMetrics[], b: EpochMetrics[]): number {
  expect(a.map((m) => m.epoch)).toEqual(b.map((m) => m.epoch));
  let worst = 0;
  a.forEach((m, i) => {
    for (const figure of FIGURES) {
      const [x, y] = [m[figure], b[i]![figure]];
      expect(Number.isFinite(x) && Number.isFinite(y), `${figure} of epoch ${m.epoch}`).toBe(true);
      worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), 1e-9));
    }
  });
  return worst;
}

describe('backends agree and resume is seamless', () => {
  it('trains to the same per-epoch losses on wasm as on cpu', async () => {
    const wasm = await train('wasm', SETTINGS);
    const cpu = await train('cpu', SETTINGS);
    expect(wasm.job.currentState).toBe('completed');
    expect(cpu.job.currentState).toBe('completed');
    expect(cpu.metrics).toHaveLength(2);
    // It learned something, so agreement is not two untrained models agreeing.
    expect(cpu.metrics[1]!.testLoss).toBeLessThan(cpu.metrics[0]!.testLoss);
    expect(worstRelative(wasm.metrics, cpu.metrics)).toBeLessThanOrEqual(BACKEND_TOLERANCE);
  }, 240_000);

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: stopped after epoch 2 and continued to 4 equals 4 epochs straight`, async () => {
      const four = { ...SETTINGS, epochs: 4 };
      const runsRoot = await makeTempDir('latent-studio-resume-');
      const create = () => createMnistRun(runsRoot, four);

      const straight = await train(backend, four, { run: await create() });
      expect(straight.job.currentState).toBe('completed');

      const run = await create();
      const first = await train(backend, four, { run }, 2);
      expect(first.job.currentState).toBe('cancelled');
      expect(first.job.lastCheckpointEpoch).toBe(2);
      const checkpoint = await readCheckpoint(`${run.checkpointsDir}/${checkpointDirName(2)}`);
      const rest = await train(backend, four, {
        run,
        resumeFrom: checkpoint,
        previousMetrics: await run.readMetrics(),
      });
      expect(rest.job.currentState).toBe('completed');
      expect(rest.metrics.map((m) => m.epoch)).toEqual([3, 4]);

      const resumed = [...first.metrics.slice(0, 2), ...rest.metrics];
      expect(worstRelative(resumed, straight.metrics)).toBeLessThanOrEqual(RESUME_TOLERANCE);
    }, 240_000);
  }
});
