import { describe, expect, it } from 'vitest';
import { REQUEST_NAMES } from '../../src/shared/channels';
import type { AppCore } from '../../src/main/core/app-core';
import type { TrainProgress } from '../../src/shared/types';
import { invalidVariants, NULLABLE_KEYS, trainArgs, VALID_ARGS } from '../support/valid-requests';
import { jobReaches, nextEvent } from '../support/engine-core';
import { readyCoreForFile } from '../support/core-for-file';

let core: AppCore;

readyCoreForFile('auto', (started) => (core = started));

const small = trainArgs({
  trainLimit: 4_096,
  testLimit: 512,
  displayCount: 256,
  epochs: 3,
  batchSize: 64,
});

/** Starts a 50-epoch run; resolves with its job id once its first progress event is in. */
async function startLongRun(): Promise<string> {
  const progressing = nextEvent(core, 'train:did-progress');
  const started = await core.dispatch('train:start', { ...small, epochs: 50 });
  const jobId = (started as { value: { jobId: string } }).value.jobId;
  expect((await progressing).jobId).toBe(jobId);
  return jobId;
}

describe('engine process', () => {
  it('starts on the best backend that loads and says why better ones were skipped', () => {
    const { backend } = core.engine.status;
    expect(backend).not.toBeNull();
    // No libtensorflow on this machine; wasm is the best that loads (a native install would change this).
    expect(['wasm', 'tensorflow', 'tensorflow-gpu', 'webgpu']).toContain(backend!.name);
    if (backend!.name === 'wasm') {
      expect(backend!.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow']);
      expect(backend!.skipped[0]!.reason).toMatch(/not installed|failed to load/);
      // No hardware GPU here: no adapter at all, or only a software one that is not worth using.
      expect(backend!.skipped[1]!.reason).toMatch(/no usable WebGPU adapter|only a software adapter/);
      expect(backend!.label).toMatch(/WebAssembly/);
    }
    expect(core.engine.pid).not.toBe(process.pid);
  });

  it('refuses invalid payloads on every channel and keeps working', async () => {
    const statusBefore = JSON.stringify(core.engine.status);
    for (const name of REQUEST_NAMES) {
      for (const bad of invalidVariants(VALID_ARGS[name], NULLABLE_KEYS[name]).slice(0, 12)) {
        expect(await core.dispatch(name, bad)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
      }
    }
    expect(JSON.stringify(core.engine.status)).toBe(statusBefore);
    expect(core.engine.runningJob).toBeNull();
    expect(await core.dispatch('app:ping', {})).toMatchObject({ ok: true });
  });

  it('trains without blocking main: pings answer fast, progress streams, snapshots cross as typed arrays', async () => {
    const progress: { at: number; event: TrainProgress }[] = [];
    const stop = core.events.subscribe((name, payload) => {
      if (name === 'train:did-progress')
        progress.push({ at: performance.now(), event: payload as TrainProgress });
    });
    // Subscribe first: the run may start before the reply to train:start arrives.
    const running = nextEvent(core, 'train:did-change-state', (s) => s.state === 'running');
    const started = await core.dispatch('train:start', { ...small, epochs: 2 });
    expect(started.ok).toBe(true);
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    expect((await running).jobId).toBe(jobId);
    const busy = await core.dispatch('train:start', small);
    expect(busy).toMatchObject({ ok: false, code: 'BUSY' });

    const pingTimes: number[] = [];
    const epoch = nextEvent(core, 'train:did-end-epoch', (s) => s.jobId === jobId && s.epoch === 1);
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      expect(await core.dispatch('app:ping', {})).toMatchObject({ ok: true });
      pingTimes.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Math.max(...pingTimes)).toBeLessThan(100);

    const layout = nextEvent(core, 'latent:did-update-layout', (l) => l.epoch === 1 && l.final);
    const snapshot = await epoch;
    expect(snapshot.means).toBeInstanceOf(Float32Array);
    expect(snapshot.labels).toBeInstanceOf(Uint8Array);
    expect(snapshot.count).toBe(256);
    expect(snapshot.means.length).toBe(256 * small.latentDim);
    expect(snapshot.runId).toMatch(/^\d{8}-\d{6}-[a-z0-9]{4}$/);
    const positions = (await layout).positions;
    expect(positions).toBeInstanceOf(Float32Array);
    expect(positions.length).toBe(512);
    await nextEvent(core, 'train:did-change-state', (s) => s.jobId === jobId && s.state === 'completed');
    stop();

    const epochOne = progress.filter((p) => p.event.epoch === 1);
    expect(epochOne.length).toBeGreaterThan(2);
    const gaps = epochOne.slice(1).map((p, i) => p.at - epochOne[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(1_000);
  });

  it('pauses, resumes and cancels within one batch', async () => {
    const jobId = await startLongRun();
    const paused = jobReaches(core, jobId, 'paused');
    expect(await core.dispatch('train:pause', { jobId })).toMatchObject({ ok: true });
    await paused;
    const resumed = jobReaches(core, jobId, 'running');
    expect(await core.dispatch('train:resume', { jobId })).toMatchObject({ ok: true });
    await resumed;
    await nextEvent(core, 'train:did-progress', (p) => p.jobId === jobId);
    const cancelled = jobReaches(core, jobId, 'cancelled', 5_000);
    const t0 = performance.now();
    expect(await core.dispatch('job:cancel', { jobId })).toMatchObject({ ok: true });
    await cancelled;
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(core.engine.runningJob).toBeNull();
    expect(await core.dispatch('job:cancel', { jobId: 'no-such-job' })).toMatchObject({
      ok: false,
      code: 'JOB_NOT_FOUND',
    });
  });

  it('survives the engine being killed mid-training: says so, restarts, trains again', async () => {
    const jobId = await startLongRun();
    const failed = jobReaches(core, jobId, 'failed');
    const restarting = nextEvent(core, 'engine:did-change-status', (s) => s.state === 'restarting');
    const oldPid = core.engine.pid!;
    process.kill(oldPid, 'SIGKILL');
    expect((await restarting).message).toMatch(/stopped by signal SIGKILL.*restarted/);
    expect((await failed).error).toMatch(/engine process/);
    await nextEvent(core, 'engine:did-change-status', (s) => s.state === 'ready');
    expect(core.engine.pid).not.toBe(oldPid);
    expect(core.engine.status.restarts).toBe(1);
    const completed = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed');
    const again = await core.dispatch('train:start', { ...small, epochs: 1 });
    expect(again.ok).toBe(true);
    await completed;
  });

  it('restarts on a forced backend when the user picks one', async () => {
    const result = await core.dispatch('engine:restart', { backend: 'cpu' });
    expect(result).toMatchObject({ ok: true, value: { state: 'ready', preference: 'cpu' } });
    expect(core.engine.status.backend).toMatchObject({ name: 'cpu', forced: true });
  });
});
