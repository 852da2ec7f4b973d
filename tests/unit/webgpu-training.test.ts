/**
 * Short training runs on the webgpu backend (Dawn; SwiftShader where there is no GPU), through the
 * real TrainingJob: the loss falls, the tensor count and the GPU bytes in use stay flat from epoch
 * to epoch, and everything is freed with the model. The same settings on the cpu backend give the
 * same per-epoch losses, and the conv run's checkpoints restore and resume on webgpu.
 * Images are tiny and built in memory: SwiftShader emulates the GPU on the CPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/main/engine/data/image-set';
import { createModel } from '../../src/main/engine/model/create-model';
import { listCheckpoints, readCheckpoint, restoreModel } from '../../src/main/engine/train/checkpoint';
import { mulberry32 } from '../../src/main/engine/random';
import { RunStore } from '../../src/main/engine/train/run-store';
import {
  TrainingJob,
  type TrainingData,
  type TrainingJobOptions,
} from '../../src/main/engine/train/training-job';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics, TrainSettings } from '../../src/shared/types';
import { makeTempDir, removeTempDir } from '../support/image-fixtures';
import { tryWebGpu, warnWhenSkipped } from '../support/webgpu';
import { expectSameEncoding } from '../support/same-encoding';

const gpu = await tryWebGpu();
warnWhenSkipped(gpu, 'webgpu-training');

const SIZE = 8;
const TRAIN = 64;
const TEST = 32;
/** SwiftShader compiles every shader of the first steps on the CPU. */
const SLOW = 240_000;

/** A bright rectangle (a per-image colour) on a dark, slightly noisy background: easy to learn. */
function rectangles(count: number, channels: 1 | 3, seed: number): ImageSet {
  const random = mulberry32(seed);
  const stride = SIZE * SIZE * channels;
  const pixels = new Uint8Array(count * stride);
  for (let i = 0; i < count; i++) {
    const x0 = Math.floor(random() * 5);
    const y0 = Math.floor(random() * 5);
    const x1 = x0 + 2 + Math.floor(random() * (SIZE - x0 - 2));
    const y1 = y0 + 2 + Math.floor(random() * (SIZE - y0 - 2));
    const colour = Array.from({ length: channels }, () => 128 + Math.floor(random() * 128));
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
        for (let c = 0; c < channels; c++) {
          const noise = Math.floor(random() * 16);
          pixels[i * stride + (y * SIZE + x) * channels + c] = inside ? colour[c]! - noise : noise;
        }
      }
    }
  }
  return {
    pixels,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 4),
    count,
    size: SIZE,
    channels,
    classNames: ['a', 'b', 'c', 'd'],
    metadata: [],
  };
}

function trainingData(channels: 1 | 3): TrainingData {
  const set = rectangles(TRAIN + TEST, channels, 17);
  return {
    train: { set, indices: Uint32Array.from({ length: TRAIN }, (_, i) => i) },
    test: { set, indices: Uint32Array.from({ length: TEST }, (_, i) => TRAIN + i) },
  };
}

const BASE: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'rectangles',
  width: 8,
  depth: 2,
  latentDim: 4,
  trainLimit: TRAIN,
  testLimit: TEST,
  displayCount: 16,
  epochs: 3,
  batchSize: 16,
  learningRate: 3e-3,
  seed: 5,
};

const MLP: TrainSettings = { ...BASE, model: 'mlp', likelihood: 'bernoulli', width: 32, depth: 1 };
/** A photo-folder recipe: colour, discretized logistic with its fitted scale, PCA start. */
const CONV: TrainSettings = { ...BASE, model: 'conv', likelihood: 'discretized-logistic', pcaStart: true };

interface EpochMemory {
  numTensors: number;
  /** The webgpu backend's bytes in live buffers (tf.memory().numBytesInGPU); 0 on cpu. */
  gpuBytes: number;
}

interface Trained {
  job: TrainingJob;
  metrics: EpochMetrics[];
  memory: EpochMemory[];
  error: string | null;
}

function gpuBytesInUse(): number {
  return (tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number }).numBytesInGPU ?? 0;
}

async function train(
  settings: TrainSettings,
  data: TrainingData,
  options: TrainingJobOptions = {},
): Promise<Trained> {
  const metrics: EpochMetrics[] = [];
  const memory: EpochMemory[] = [];
  let error: string | null = null;
  const job = new TrainingJob(
    `webgpu-${settings.model}`,
    settings,
    {
      onState: (state, message) => {
        if (state === 'failed' || state === 'diverged') error = `${state}: ${message}`;
      },
      onProgress: () => undefined,
      onEpochEnd: (snapshot) => {
        metrics.push(snapshot.metrics);
        memory.push({ numTensors: tf.memory().numTensors, gpuBytes: gpuBytesInUse() });
      },
    },
    { progressIntervalMs: 0, ...options },
  );
  await job.run(async () => data);
  return { job, metrics, memory, error };
}

/** Losses of two runs of the same settings, epoch by epoch, relative to their size. */
function worstRelative(a: EpochMetrics[], b: EpochMetrics[]): number {
  let worst = 0;
  a.forEach((m, i) => {
    const other = b[i]!;
    for (const key of ['trainLoss', 'testLoss', 'testKl'] as const) {
      worst = Math.max(worst, Math.abs(m[key] - other[key]) / Math.max(Math.abs(m[key]), 1e-6));
    }
  });
  return worst;
}

describe.skipIf(!gpu.available)('training on webgpu', () => {
  let runsRoot = '';
  beforeAll(async () => {
    runsRoot = await makeTempDir('webgpu-training');
    await tf.setBackend('webgpu');
  });
  afterAll(async () => {
    await removeTempDir(runsRoot);
  });

  const runs = [
    { name: 'MLP VAE (bernoulli)', settings: MLP, channels: 1 as const },
    { name: 'conv VAE (discretized logistic, PCA start)', settings: CONV, channels: 3 as const },
  ];
  for (const { name, settings, channels } of runs) {
    it(
      `${name}: the loss falls, memory stays flat across epochs, and a cpu run gives the same losses`,
      async () => {
        const data = trainingData(channels);
        const tensorsBefore = tf.memory().numTensors;
        const bytesBefore = gpuBytesInUse();
        const started = performance.now();
        const run =
          settings.model === 'conv'
            ? await RunStore.create(runsRoot, {
                datasetId: 'rectangles',
                datasetName: 'Rectangles',
                settings,
              })
            : undefined;
        const { job, metrics, memory, error } = await train(settings, data, { run });
        const seconds = (performance.now() - started) / 1000;
        expect(error, `${name}: the run ends without an error`).toBeNull();
        expect(job.currentState).toBe('completed');
        expect(metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
        for (const m of metrics)
          expect(Number.isFinite(m.trainLoss) && Number.isFinite(m.testLoss)).toBe(true);
        const first = metrics[0]!;
        const last = metrics.at(-1)!;
        expect(last.trainLoss, `${name}: last epoch's train loss below the first's`).toBeLessThan(
          first.trainLoss,
        );
        expect(last.testLoss, `${name}: last epoch's test loss below the first's`).toBeLessThan(
          first.testLoss,
        );

        // Epoch 2 against the last: whatever the first epoch set up once (optimizer slots, buffer
        // pool) is there in both, so any growth is a per-epoch leak.
        const [second, final] = [memory[1]!, memory.at(-1)!];
        expect(final.numTensors, `${name}: tensors after epoch 2 and after the last`).toBe(second.numTensors);
        expect(
          final.gpuBytes,
          `${name}: GPU bytes in use after epoch 2 and after the last`,
        ).toBeLessThanOrEqual(second.gpuBytes);
        expect(second.gpuBytes, 'webgpu reports the bytes its live tensors hold').toBeGreaterThan(0);

        if (run) {
          // The newest checkpoint, written from webgpu tensors, restores the same encoder.
          const [latest] = (await listCheckpoints(run.checkpointsDir)).slice(-1);
          expect(latest?.epoch).toBe(3);
          const restored = createModel(settings, SIZE, channels);
          restoreModel(restored, await readCheckpoint(latest!.directory));
          await expectSameEncoding(job.model!, restored, data.test, 8);
          restored.dispose();

          // Resumed from epoch 2 (weights and Adam state read back from disk), epoch 3 repeats.
          const checkpoint = (await listCheckpoints(run.checkpointsDir)).find((c) => c.epoch === 2);
          expect(checkpoint, 'the checkpoint of epoch 2 is kept').toBeDefined();
          const resumed = await train(settings, data, {
            resumeFrom: await readCheckpoint(checkpoint!.directory),
            previousMetrics: metrics.slice(0, 2),
          });
          expect(resumed.error).toBeNull();
          expect(resumed.metrics.map((m) => m.epoch)).toEqual([3]);
          const resumeGap = worstRelative(metrics.slice(2), resumed.metrics);
          console.log(
            `[webgpu training] ${name}: resumed from epoch 2, epoch 3 within ${resumeGap.toExponential(2)}`,
          );
          expect(resumeGap, 'a resumed run trains as the uninterrupted one').toBeLessThan(1e-4);
          resumed.job.model?.dispose();
        }

        job.model?.dispose();
        expect(tf.memory().numTensors, `${name}: every tensor is freed with the model`).toBe(tensorsBefore);
        expect(gpuBytesInUse(), `${name}: every GPU buffer is released with the model`).toBe(bytesBefore);

        // The same run on cpu: per-epoch losses as on webgpu, up to float32 rounding carried through
        // 12 Adam steps.
        await tf.setBackend('cpu');
        let reference: Trained;
        try {
          reference = await train(settings, data);
        } finally {
          await tf.setBackend('webgpu');
        }
        reference.job.model?.dispose();
        expect(reference.error).toBeNull();
        const gap = worstRelative(reference.metrics, metrics);
        const fmt = (v: number) => v.toFixed(3);
        console.log(
          `[webgpu training] ${name}: ${seconds.toFixed(1)} s on webgpu; train loss ${fmt(first.trainLoss)} → ` +
            `${fmt(last.trainLoss)}, test ${fmt(first.testLoss)} → ${fmt(last.testLoss)}; ` +
            `tensors ${second.numTensors} → ${final.numTensors}, GPU bytes ${second.gpuBytes} → ${final.gpuBytes} ` +
            `(epoch 2 → ${metrics.length}); cpu run's losses within ${gap.toExponential(2)} (relative)`,
        );
        expect(gap, `${name}: per-epoch losses on webgpu and on cpu`).toBeLessThan(1e-3);
      },
      SLOW,
    );
  }
});
