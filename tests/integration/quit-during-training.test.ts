/**
 * Quitting while a run trains, through the real app core and engine process: the run stops between
 * batches, is marked "interrupted" with its newest checkpoint whole, the engine ends, and the next
 * app on the same data directory lists it and continues it from that checkpoint.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../../src/shared/types';
import { trainArgs } from '../support/valid-requests';
import { engineReady, nextEvent, startReadyCore, startTestCore } from '../support/engine-core';

const SETTINGS = trainArgs({
  trainLimit: 2_048,
  testLimit: 512,
  displayCount: 256,
  epochs: 40,
  batchSize: 64,
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('quit during training', () => {
  it('stops within a batch, leaves the run interrupted with a whole checkpoint, and it continues next launch', async () => {
    const first = await startReadyCore();
    const checkpoint = nextEvent(first, 'train:did-save-checkpoint', (c) => c.epoch === 1, 120_000);
    const started = await first.dispatch('train:start', SETTINGS);
    expect(started.ok).toBe(true);
    const { runId } = await checkpoint;
    // Into epoch 2: the stop lands mid-epoch.
    await nextEvent(first, 'train:did-progress', (p) => p.epoch === 2);
    const progress: TrainProgress[] = [];
    first.events.subscribe((name, payload) => {
      if (name === 'train:did-progress') progress.push(payload as TrainProgress);
    });
    const pid = first.engine.pid!;
    const t0 = performance.now();
    const { interruptedRunId } = await first.shutdown();
    const stopMs = performance.now() - t0;
    expect(interruptedRunId).toBe(runId);
    // One batch of 64 images takes tens of milliseconds; the engine answers once its files are
    // written, so this is one batch plus a status write, far from the epoch's several seconds.
    expect(stopMs).toBeLessThan(1_000);
    console.log(`quit: the run stopped and the engine ended in ${stopMs.toFixed(0)} ms`);
    expect(alive(pid)).toBe(false);
    expect(first.engine.status.state).not.toBe('restarting');

    const runDirectory = path.join(first.dataDirectory, 'runs', runId);
    expect(JSON.parse(await readFile(path.join(runDirectory, 'status.json'), 'utf8'))).toMatchObject({
      state: 'interrupted',
    });
    const leftovers = (await readdir(path.join(runDirectory, 'checkpoints'))).filter(
      (n) => !/^epoch-\d+$/.test(n),
    );
    expect(leftovers).toEqual([]);
    expect(progress.every((p) => p.epoch <= 2)).toBe(true);

    const second = await startTestCore('auto', [], first.dataDirectory);
    try {
      await engineReady(second);
      const listed = await second.dispatch('runs:list', {});
      const run = (
        listed as { value: { runId: string; state: string; checkpointEpochs: number[] }[] }
      ).value.find((r) => r.runId === runId);
      expect(run).toMatchObject({ state: 'interrupted' });
      const newest = run!.checkpointEpochs.at(-1)!;
      expect(newest).toBeGreaterThanOrEqual(1);
      const completed = nextEvent(second, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
      const epochs: number[] = [];
      second.events.subscribe((name, payload) => {
        if (name === 'train:did-end-epoch')
          epochs.push((payload as { metrics: { epoch: number } }).metrics.epoch);
      });
      expect(await second.dispatch('train:continue', { runId, epochs: newest + 1 })).toMatchObject({
        ok: true,
      });
      await completed;
      expect(epochs).toEqual([newest + 1]);
    } finally {
      second.dispose();
    }
  }, 180_000);
});
