import { truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { listCheckpoints, readCheckpoint } from '../../src/main/engine/train/checkpoint';
import type { RunSummary } from '../../src/shared/run-types';
import type { TrainSettings } from '../../src/shared/types';
import { nextEvent, startReadyCore } from '../support/engine-core';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';

const SMALL: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  datasetId: 'mnist',
  trainLimit: 256,
  testLimit: 64,
  displayCount: 32,
  epochs: 400,
  batchSize: 64,
  learningRate: 1e-3,
  latentDim: 4,
  seed: 3,
};
let core: AppCore;
let runsRoot: string;

beforeAll(async () => {
  core = await startReadyCore('wasm');
  runsRoot = path.join(core.dataDirectory, 'runs');
});
afterAll(() => core?.dispose());

async function runs(): Promise<RunSummary[]> {
  const listed = await core.dispatch('runs:list', {});
  expect(listed.ok).toBe(true);
  return (listed as { value: RunSummary[] }).value;
}

describe('runs through the engine process', () => {
  it('keeps the latest checkpoint loadable when the engine is killed at random moments while saving', async () => {
    const started = nextEvent(
      core,
      'train:did-change-state',
      (s) => s.state === 'running' && s.runId !== null,
    );
    expect(await core.dispatch('train:start', SMALL)).toMatchObject({ ok: true });
    const { runId } = await started;
    const checkpoints = path.join(runsRoot, runId!, 'checkpoints');
    for (let cycle = 0; cycle < 3; cycle++) {
      await nextEvent(core, 'train:did-save-checkpoint', (e) => e.runId === runId);
      // Epochs here take a few tens of milliseconds, so a random delay lands anywhere in one,
      // often in the middle of writing the next checkpoint.
      await new Promise((r) => setTimeout(r, Math.random() * 60));
      const restarted = nextEvent(core, 'engine:did-change-status', (s) => s.state === 'ready');
      process.kill(core.engine.pid!, 'SIGKILL');
      await restarted;
      const complete = await listCheckpoints(checkpoints);
      expect(complete.length).toBeGreaterThan(0);
      const latest = await readCheckpoint(complete.at(-1)!.directory);
      expect(latest.manifest.runId).toBe(runId);
      expect((await runs()).find((r) => r.runId === runId)!.state).toBe('interrupted');
      // Continue where it stopped; the next kill hits the continued run.
      const continuing = nextEvent(core, 'train:did-change-state', (s) => s.state === 'running');
      expect(await core.dispatch('train:continue', { runId: runId!, epochs: 400 })).toMatchObject({
        ok: true,
      });
      await continuing;
    }
    // A fourth crash within a minute: no more automatic restarts, the user is asked instead.
    await nextEvent(core, 'train:did-save-checkpoint', (e) => e.runId === runId);
    const crashed = nextEvent(core, 'engine:did-change-status', (s) => s.state === 'crashed');
    process.kill(core.engine.pid!, 'SIGKILL');
    expect((await crashed).message).toMatch(/again \(4 times in a minute\).*Restart engine/);
    expect(await core.dispatch('train:start', SMALL)).toMatchObject({
      ok: false,
      code: 'ENGINE_UNAVAILABLE',
    });
    expect(await core.dispatch('engine:restart', { backend: 'wasm' })).toMatchObject({
      ok: true,
      value: { state: 'ready' },
    });
    const complete = await listCheckpoints(checkpoints);
    expect((await readCheckpoint(complete.at(-1)!.directory)).manifest.runId).toBe(runId);
  }, 120_000);

  it('lists runs with their metrics and opens one; a damaged checkpoint is refused clearly', async () => {
    const done = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed');
    await core.dispatch('train:start', { ...SMALL, epochs: 2 });
    const { runId } = await done;
    const summary = (await runs()).find((r) => r.runId === runId)!;
    expect(summary).toMatchObject({ state: 'completed', epochsDone: 2, checkpointEpochs: [1, 2] });
    const opened = await core.dispatch('runs:open', { runId: runId! });
    expect(opened).toMatchObject({ ok: true, value: { summary: { runId } } });
    expect((opened as { value: { metrics: unknown[] } }).value.metrics).toHaveLength(2);

    for (const epoch of ['0001', '0002']) {
      await truncate(path.join(runsRoot, runId!, 'checkpoints', `epoch-${epoch}`, 'tensors.bin'), 10);
    }
    expect(await core.dispatch('runs:open', { runId: runId! })).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_CORRUPT',
    });
    expect(await core.dispatch('train:continue', { runId: runId!, epochs: 3 })).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_CORRUPT',
    });
    expect(await core.dispatch('runs:open', { runId: '20990101-000000-zzzz' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await core.dispatch('runs:open', { runId: '../../etc' })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
  });

  it('changes the learning rate of a running job and continues a finished run for more epochs', async () => {
    const running = nextEvent(core, 'train:did-change-state', (s) => s.state === 'running');
    const finished = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed');
    await core.dispatch('train:start', { ...SMALL, epochs: 3 });
    const { jobId, runId } = await running;
    const changed = await core.dispatch('train:set-learning-rate', { jobId, learningRate: 5e-4 });
    // The run may already be over on a fast machine; then there is no job left to change.
    if (changed.ok) expect(changed.value).toEqual({ learningRate: 5e-4 });
    else expect(changed).toMatchObject({ code: 'JOB_NOT_FOUND' });
    await finished;
    const more = nextEvent(core, 'train:did-end-epoch', (s) => s.epoch === 5);
    const finishedAgain = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed');
    const again = await core.dispatch('train:continue', { runId: runId!, epochs: 5 });
    expect(again.ok).toBe(true);
    await more;
    await finishedAgain;
    // The new planned total is recorded, so the Runs table says 5 / 5, not 5 / 3.
    expect((await runs()).find((r) => r.runId === runId)).toMatchObject({
      epochsDone: 5,
      state: 'completed',
      settings: { epochs: 5 },
    });
  });
});
