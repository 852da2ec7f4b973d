/**
 * Epochs done / planned after Continue. Continuing records the new total in config.json (the
 * engine test "continues a finished run for more epochs" checks 5 / 5 through a real engine); a run
 * continued by a version before that kept the first session's total and listed as "100 / 10". Its
 * metrics and checkpoints say how far it went: the listing plans at least that far.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { saveCheckpoint } from '../../src/main/engine/train/checkpoint';
import { listRuns, plannedEpochs } from '../../src/main/engine/train/run-store';
import { createModel } from '../../src/main/engine/model/create-model';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { EpochMetrics } from '../../src/shared/types';
import { tempFolder } from '../support/temp-folder';
import { createMnistRun } from '../support/mnist-run';

const dir = tempFolder('planned-epochs', { each: true });
let runsRoot: string;

beforeAll(async () => {
  await selectBackend('cpu');
});

beforeEach(async () => {
  runsRoot = path.join(dir(), 'runs');
  await mkdir(runsRoot);
});

function metricsOf(epoch: number): EpochMetrics {
  return {
    epoch,
    beta: 1,
    learningRate: 1e-3,
    trainBitsPerDim: 0.5,
    testBitsPerDim: 0.5,
    klPerDimension: [1, 2],
    activeUnits: 2,
    trainLoss: 100 - epoch,
    testLoss: 101 - epoch,
    testReconstruction: 90,
    testKl: 10,
    validationLoss: 102 - epoch,
    imagesPerSecond: 1000,
    wallSeconds: epoch,
  };
}

describe('epochs done / planned', () => {
  it('plans at least as far as the run went', () => {
    expect(plannedEpochs(10, 4, [2, 3, 4])).toBe(10);
    expect(plannedEpochs(10, 100, [98, 99, 100])).toBe(100);
    // An imported model: its checkpoint's epoch, no metrics.
    expect(plannedEpochs(10, 0, [40])).toBe(40);
  });

  it('lists a run continued past its recorded total by an older version as done / done', async () => {
    const settings = { ...DEFAULT_TRAIN_SETTINGS, epochs: 10, latentDim: 2, width: 8 };
    const run = await createMnistRun(runsRoot, settings);
    await run.writeMetrics(Array.from({ length: 12 }, (_, i) => metricsOf(i + 1)));
    const model = createModel(settings, 28, 1);
    try {
      await saveCheckpoint(run.checkpointsDir, { epoch: 12, runId: run.runId, testLoss: 89 }, model);
    } finally {
      model.dispose();
    }
    await run.writeStatus('completed', null);
    const [listed] = await listRuns(runsRoot, null);
    expect(listed).toMatchObject({ epochsDone: 12, settings: { epochs: 12 }, checkpointEpochs: [12] });
    // The config is left as it was written: only the listing reads it generously.
    expect((await run.readConfig()).settings.epochs).toBe(10);
  });

  it('keeps a recorded plan that is ahead of the run (stopped, or continued as it should be)', async () => {
    const settings = { ...DEFAULT_TRAIN_SETTINGS, epochs: 10 };
    const run = await createMnistRun(runsRoot, settings);
    await run.writeMetrics([metricsOf(1), metricsOf(2)]);
    const config = await run.readConfig();
    await run.writePlannedEpochs(config, 30);
    const [listed] = await listRuns(runsRoot, null);
    expect(listed).toMatchObject({ epochsDone: 2, settings: { epochs: 30 } });
  });
});
