/** One epoch's metrics as the engine reports them, for tests; overrides set the fields a test cares about. */
import type { EpochMetrics } from '../../src/shared/types';

export function metrics(epoch: number, overrides: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch,
    beta: 1,
    learningRate: 1e-3,
    trainBitsPerDim: null,
    testBitsPerDim: null,
    klPerDimension: [1, 1],
    activeUnits: 2,
    trainLoss: 100 - epoch,
    testLoss: 101 - epoch,
    testReconstruction: 90,
    testKl: 10,
    imagesPerSecond: 1000,
    wallSeconds: epoch,
    ...overrides,
  };
}
