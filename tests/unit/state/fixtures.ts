/**
 * Small, valid payloads for the state tests: what the host and the engine would send, with only
 * the fields a test cares about given. Every builder takes overrides for the rest.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { DatasetSummary } from '../../../src/shared/dataset-types';
import {
  DEFAULT_PROJECTION_SETTINGS,
  type EpochLatents,
  type LatentLayout,
  type LatentPoints,
  type ProjectionMethod,
  type ProjectionSettings,
} from '../../../src/shared/projection-types';
import type { RunDetails, RunSummary } from '../../../src/shared/run-types';
import { DEFAULT_TRAIN_SETTINGS } from '../../../src/shared/train-defaults';
import type { LatentSnapshot, TrainProgress } from '../../../src/shared/types';
import { metrics } from '../../support/epoch-metrics';

export { metrics };

/** Display points of every map in these tests unless one says otherwise. */
export const COUNT = 4;

export function latentPoints(
  runId: string,
  epochs: number[],
  {
    count = COUNT,
    projection = DEFAULT_PROJECTION_SETTINGS,
  }: { count?: number; projection?: ProjectionSettings } = {},
): LatentPoints {
  return {
    runId,
    count,
    latentDim: 2,
    labels: new Uint8Array(count),
    classNames: ['a'],
    metadata: [],
    names: Array.from({ length: count }, (_, i) => `p${i}.png`),
    heldOut: new Uint8Array(count),
    epochs,
    projection,
  };
}

export function layout(
  runId: string,
  epoch: number,
  {
    jobId = null,
    method = DEFAULT_PROJECTION_SETTINGS.method,
    final = true,
    count = COUNT,
  }: { jobId?: string | null; method?: ProjectionMethod; final?: boolean; count?: number } = {},
): LatentLayout {
  return { runId, jobId, epoch, method, count, positions: new Float32Array(count * 2), final };
}

/** An epoch's codes, with its stored layout by `method` (or none: null). */
export function epochLatents(
  runId: string,
  epoch: number,
  method: ProjectionMethod | null,
  count = COUNT,
): EpochLatents {
  return {
    runId,
    epoch,
    latentDim: 2,
    means: new Float32Array(count * 2),
    layout: method === null ? null : layout(runId, epoch, { method, count }),
  };
}

export function snapshot(jobId: string, runId: string | null, epoch: number, count = COUNT): LatentSnapshot {
  return {
    jobId,
    runId,
    epoch,
    metrics: metrics(epoch),
    count,
    latentDim: 2,
    means: new Float32Array(count * 2),
    labels: new Uint8Array(count),
    classNames: ['a'],
    metadata: [],
  };
}

export function progress(jobId: string, epoch: number, batch: number, loss = 100): TrainProgress {
  return {
    jobId,
    epoch,
    epochs: 5,
    batch,
    batchesPerEpoch: 10,
    loss,
    imagesPerSecond: 1000,
    etaSeconds: 10,
    elapsedSeconds: 1,
  };
}

export function runSummary(runId: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId,
    createdAt: '2026-01-01T00:00:00.000Z',
    name: null,
    note: '',
    tags: [],
    datasetId: 'mnist',
    datasetName: 'MNIST handwritten digits',
    settings: DEFAULT_TRAIN_SETTINGS,
    state: 'completed',
    error: null,
    epochsDone: 2,
    lastMetrics: metrics(2),
    bestTestLoss: 99,
    bestValidationLoss: null,
    checkpointEpochs: [1, 2],
    ...overrides,
  };
}

export function runDetails(summary: RunSummary, epochs = summary.epochsDone): RunDetails {
  return { summary, metrics: Array.from({ length: epochs }, (_, i) => metrics(i + 1)), likelihoods: [] };
}

/** MNIST as the engine reports it once opened. */
export function mnistSummary(datasetId: string): DatasetSummary {
  return {
    datasetId,
    name: 'MNIST handwritten digits',
    source: { kind: 'builtin', id: 'mnist' },
    preprocessing: { size: 28, channels: 'grayscale', fit: 'crop', background: '#000000' },
    count: 70_000,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    countsPerLabel: Array.from({ length: 10 }, () => 7000),
    split: {
      train: 54_000,
      validation: 6000,
      test: 10_000,
      testFraction: 1 / 7,
      validationFraction: 6 / 70,
      seed: 1,
    },
    skipped: [],
    metadataFields: [],
    samples: [],
    cacheBytes: 0,
    decoded: 0,
    fromCache: true,
  };
}

/**
 * Animation frames each test of the file runs by hand (`flush`): progress events are batched per
 * frame, and Node has no requestAnimationFrame. Call at the top of a test file.
 */
export function useManualFrames(): { flush(): void } {
  let frames: { flush(): void } | null = null;
  beforeEach(() => {
    frames = manualFrames();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  return { flush: () => frames?.flush() };
}

function manualFrames(): { flush(): void } {
  const queued = new Map<number, FrameRequestCallback>();
  let next = 1;
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
    queued.set(next, callback);
    return next++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => queued.delete(id));
  return {
    flush() {
      const callbacks = [...queued.values()];
      queued.clear();
      for (const callback of callbacks) callback(0);
    },
  };
}
