/**
 * After an engine kill mid-run, the failed run names the newest checkpoint that exists (not the one
 * it started from); and folder scans are capped across all tabs, so opening many big folders at
 * once cannot exhaust the engine's memory.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { MAX_CONCURRENT_SCANS } from '../../src/main/core/engine-client';
import { jobReaches, nextEvent } from '../support/engine-core';
import { trainArgs, VALID_ARGS } from '../support/valid-requests';
import { readyCoreForFile } from '../support/core-for-file';

let core: AppCore;

readyCoreForFile('cpu', (started) => (core = started));

describe('engine kill and scan limits', () => {
  it('a run stopped by an engine kill names its newest checkpoint on disk', async () => {
    const secondCheckpoint = nextEvent(core, 'train:did-save-checkpoint', (c) => c.epoch === 2, 120_000);
    const started = await core.dispatch(
      'train:start',
      trainArgs({
        trainLimit: 512,
        testLimit: 128,
        displayCount: 64,
        batchSize: 16,
        epochs: 50,
      }),
    );
    expect(started.ok).toBe(true);
    const { jobId, runId } = await secondCheckpoint;
    await nextEvent(core, 'train:did-progress', (p) => p.jobId === jobId && p.epoch === 3);
    const failed = jobReaches(core, jobId, 'failed');
    process.kill(core.engine.pid!, 'SIGKILL');
    const change = await failed;
    const checkpoints = await readdir(path.join(core.dataDirectory, 'runs', runId, 'checkpoints'));
    const newestOnDisk = Math.max(
      ...checkpoints
        .map((name) => /^epoch-(\d+)$/.exec(name)?.[1])
        .filter(Boolean)
        .map(Number),
    );
    expect(change.lastCheckpointEpoch).toBe(newestOnDisk);
    expect(change.lastCheckpointEpoch).toBeGreaterThanOrEqual(2);
    expect(change.runId).toBe(runId);
    expect(change.error).toContain(`newest checkpoint is epoch ${newestOnDisk}`);
    await nextEvent(core, 'engine:did-change-status', (s) => s.state === 'ready');
  }, 180_000);

  it(`opens at most ${MAX_CONCURRENT_SCANS} datasets at once and says so to the rest`, async () => {
    const args = VALID_ARGS['dataset:open'];
    const sizes = [28, 32, 64, 96, 128] as const;
    const results = await Promise.all(
      sizes.map((size) =>
        core.dispatch('dataset:open', { ...args, preprocessing: { ...args.preprocessing, size } }),
      ),
    );
    const busy = results.filter((r) => !r.ok && r.code === 'BUSY');
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_CONCURRENT_SCANS);
    expect(busy).toHaveLength(sizes.length - MAX_CONCURRENT_SCANS);
    expect(busy[0]).toMatchObject({ message: expect.stringMatching(/being opened already/) });
    // Once those finish, the next one is accepted.
    await expect
      .poll(async () => (await core.dispatch('dataset:open', args)).ok, { timeout: 60_000, interval: 500 })
      .toBe(true);
  }, 120_000);
});
