/**
 * Early stopping on the validation split with the real training job: a wide MLP on 16 MNIST
 * digits at a high learning rate overfits within a few epochs, so its validation −ELBO turns up
 * and the run ends 'completed' well before its last epoch, with the notice, the best checkpoint
 * kept and the record in status.json and the run's listing. Also: run folders from before the
 * setting (config.json without it, status.json without the record) still open.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { listCheckpoints, readCheckpoint } from '../../src/main/engine/train/checkpoint';
import { listRuns, RunStore } from '../../src/main/engine/train/run-store';
import { bestEpoch } from '../../src/main/engine/train/run-stops';
import {
  TrainingJob,
  type TrainingData,
  type TrainingJobOptions,
  type TrainingListener,
} from '../../src/main/engine/train/training-job';
import type { EpochMetrics, TrainSettings, TrainState } from '../../src/shared/types';
import { tempFolder } from '../support/temp-folder';
import { createMnistRun, loadMnistParts, mnistSettings } from '../support/mnist-run';

const OVERFITTING = mnistSettings({
  trainLimit: 16,
  testLimit: 64,
  displayCount: 16,
  epochs: 40,
  batchSize: 16,
  learningRate: 1e-2,
  width: 256,
  latentDim: 8,
  seed: 3,
  earlyStopPatience: 2,
});

let data: TrainingData;
const runsRoot = tempFolder('early-stop');

beforeAll(async () => {
  // WebAssembly: the same figures as the cpu backend here, ten times faster.
  await selectBackend('wasm');
  const { part } = await loadMnistParts();
  data = { train: part(0, 16), validation: part(50_000, 50_064), test: part(59_000, 59_064) };
});

interface StateChange {
  state: TrainState;
  notice: string | undefined;
}

async function train(settings: TrainSettings, trainingData: TrainingData, options: TrainingJobOptions = {}) {
  const states: StateChange[] = [];
  const metrics: EpochMetrics[] = [];
  const listener: TrainingListener = {
    onState: (state, _error, _checkpoint, notice) => states.push({ state, notice }),
    onProgress: () => undefined,
    onEpochEnd: (snapshot) => metrics.push(snapshot.metrics),
  };
  const job = new TrainingJob('early-stop', settings, listener, { keepCheckpoints: 1, ...options });
  await job.run(async () => trainingData);
  job.model?.dispose();
  return { job, states, metrics };
}

describe('early stopping', () => {
  it('ends an overfitting run early, completed, keeping the best checkpoint', async () => {
    const run = await createMnistRun(runsRoot(), OVERFITTING);
    const { job, states, metrics } = await train(OVERFITTING, data, { run });

    expect(job.currentState).toBe('completed');
    const last = metrics.at(-1)!.epoch;
    expect(last).toBeLessThan(OVERFITTING.epochs);
    const best = bestEpoch(metrics)!;
    expect(last - best).toBe(OVERFITTING.earlyStopPatience);
    expect(job.stoppedEarly).toEqual({ epoch: last, bestEpoch: best, patience: 2 });

    const final = states.at(-1)!;
    expect(final.state).toBe('completed');
    expect(final.notice).toBe(
      `Stopped early after epoch ${last}: the validation −ELBO has not improved for 2 epochs since ` +
        `epoch ${best}, whose checkpoint is kept as the best.`,
    );
    // Only the final state carries it.
    expect(states.slice(0, -1).every((s) => s.notice === undefined)).toBe(true);

    // Pruned to the newest one, plus the best.
    const kept = (await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch);
    expect(kept).toEqual([best, last]);
    expect((await run.readMetrics()).map((m) => m.epoch)).toEqual(metrics.map((m) => m.epoch));

    const status = JSON.parse(await readFile(path.join(run.directory, 'status.json'), 'utf8')) as unknown;
    expect(status).toMatchObject({
      state: 'completed',
      stoppedEarly: { epoch: last, bestEpoch: best, patience: 2 },
    });
    const summary = (await listRuns(runsRoot(), null)).find((r) => r.runId === run.runId)!;
    expect(summary).toMatchObject({
      state: 'completed',
      epochsDone: last,
      stoppedEarly: { epoch: last, bestEpoch: best, patience: 2 },
    });

    // Continued from its newest checkpoint, the run counts the epochs before it: the validation
    // −ELBO is still above the best, so it stops again after one more epoch.
    const newest = (await listCheckpoints(run.checkpointsDir)).at(-1)!;
    const continued = await train(OVERFITTING, data, {
      run,
      resumeFrom: await readCheckpoint(newest.directory),
      previousMetrics: await run.readMetrics(),
    });
    expect(continued.metrics.map((m) => m.epoch)).toEqual([last + 1]);
    expect(continued.job.stoppedEarly).toEqual({ epoch: last + 1, bestEpoch: best, patience: 2 });
    expect(continued.states.at(-1)?.notice).toContain(`not improved for 3 epochs since epoch ${best}`);
    expect((await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch)).toEqual([best, last + 1]);
  });

  it('does nothing without a validation split, or with patience 0', async () => {
    const epochs = 8;
    const withoutValidation = await train({ ...OVERFITTING, epochs }, { train: data.train, test: data.test });
    expect(withoutValidation.metrics).toHaveLength(epochs);
    expect(withoutValidation.states.at(-1)).toEqual({ state: 'completed', notice: undefined });
    expect(withoutValidation.job.stoppedEarly).toBeNull();

    const patient = await train({ ...OVERFITTING, epochs, earlyStopPatience: 0 }, data);
    expect(patient.metrics).toHaveLength(epochs);
    expect(patient.job.stoppedEarly).toBeNull();
  });

  it('ends a run at its time budget, completed at a checkpoint, with the record', async () => {
    // A budget shorter than one epoch: the first epoch finishes (at a checkpoint), then it stops.
    const settings = { ...OVERFITTING, earlyStopPatience: 0, epochs: 6, timeBudgetMinutes: 1e-4 };
    const run = await createMnistRun(runsRoot(), settings);
    const { job, states, metrics } = await train(settings, data, { run });
    expect(job.currentState).toBe('completed');
    expect(metrics.map((m) => m.epoch)).toEqual([1]);
    expect(job.stoppedAtBudget).toMatchObject({ epoch: 1, budgetSeconds: 0.006 });
    expect(job.stoppedAtBudget!.elapsedSeconds).toBeGreaterThan(0.006);
    expect(states.at(-1)?.notice).toMatch(/^Stopped at the time budget after epoch 1: /);
    expect((await listCheckpoints(run.checkpointsDir)).map((c) => c.epoch)).toEqual([1]);
    const summary = (await listRuns(runsRoot(), null)).find((r) => r.runId === run.runId)!;
    expect(summary.stoppedAtBudget).toMatchObject({ epoch: 1, budgetSeconds: 0.006 });
    expect(summary.stoppedEarly).toBeUndefined();

    // A budget it never comes near changes nothing.
    const roomy = await train({ ...settings, epochs: 3, timeBudgetMinutes: 60 }, data);
    expect(roomy.metrics).toHaveLength(3);
    expect(roomy.job.stoppedAtBudget).toBeNull();
  });

  it('opens a run folder written before the setting and the record existed', async () => {
    const run = await createMnistRun(runsRoot(), OVERFITTING);
    const configFile = path.join(run.directory, 'config.json');
    const { settings, ...config } = JSON.parse(await readFile(configFile, 'utf8')) as {
      settings: Record<string, unknown>;
    };
    const { earlyStopPatience, timeBudgetMinutes, ...olderSettings } = settings;
    expect(earlyStopPatience).toBe(2);
    expect(timeBudgetMinutes).toBe(0);
    await writeFile(configFile, JSON.stringify({ ...config, settings: olderSettings }));
    await writeFile(
      path.join(run.directory, 'status.json'),
      JSON.stringify({ state: 'completed', error: null, updatedAt: new Date().toISOString() }),
    );

    const read = await RunStore.open(runsRoot(), run.runId).readConfig();
    expect(read.settings.earlyStopPatience).toBe(0);
    const summary = (await listRuns(runsRoot(), null)).find((r) => r.runId === run.runId)!;
    expect(summary.unreadable).toBeUndefined();
    expect(summary.state).toBe('completed');
    expect(summary.settings.earlyStopPatience).toBe(0);
    expect(summary.settings.timeBudgetMinutes).toBe(0);
    expect(summary.stoppedEarly).toBeUndefined();
  });

  it('keeps the state of a status file whose early-stop record is damaged, without the record', async () => {
    const run = await createMnistRun(runsRoot(), OVERFITTING);
    await writeFile(
      path.join(run.directory, 'status.json'),
      JSON.stringify({
        state: 'completed',
        error: null,
        updatedAt: new Date().toISOString(),
        stoppedEarly: { epoch: 3, bestEpoch: 'five', patience: 2 },
      }),
    );
    const summary = (await listRuns(runsRoot(), null)).find((r) => r.runId === run.runId)!;
    expect(summary.state).toBe('completed');
    expect(summary.stoppedEarly).toBeUndefined();
  });
});
