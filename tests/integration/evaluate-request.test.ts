/**
 * `run:evaluate` through the app core and a real engine process, as the window asks it: a tiny
 * run trained for one epoch, then the IWAE estimate of its held-out images with progress events
 * and a result event, a second request refused while one runs, and `job:cancel` stopping it. And
 * the estimate the engine makes by itself when a run completes: flagged automatic, kept in the
 * run folder (so `runs:open` has it), and cancelled by new training.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { EventName, Events } from '../../src/shared/contract';
import { nextEvent, startReadyCore } from '../support/engine-core';
import type { LikelihoodResult } from '../../src/shared/likelihood-types';
import type { RunDetails } from '../../src/shared/run-types';
import { TINY_SETTINGS, trainTinyRun } from '../support/tiny-run';

let core: AppCore;
let runId: string;
/** The events of the automatic estimate of the run trained first. */
let automaticEvents: { name: EventName; payload: unknown }[];
let automaticResult: Promise<LikelihoodResult>;

beforeAll(async () => {
  core = await startReadyCore('wasm');
  automaticEvents = record(['run:did-evaluate-progress', 'run:did-evaluate']);
  automaticResult = nextEvent(core, 'run:did-evaluate', (r) => r.automatic, 120_000);
  runId = await trainTinyRun(core);
}, 180_000);

afterAll(() => core?.dispose());

/** Every event of these names from now on, in order. */
function record(names: EventName[]): { name: EventName; payload: unknown }[] {
  const seen: { name: EventName; payload: unknown }[] = [];
  core.events.subscribe((name: EventName, payload: unknown) => {
    if (names.includes(name)) seen.push({ name, payload });
  });
  return seen;
}

describe('the estimate at the end of training', () => {
  it('comes with K = 100 on the run’s capped test images, flagged automatic, and runs:open has it', async () => {
    const result = await automaticResult;
    expect(result).toMatchObject({
      runId,
      samples: 100,
      automatic: true,
      epoch: 1,
      checkpoint: 'best',
      outcome: 'completed',
      error: null,
    });
    expect(result.estimate).toMatchObject({ samples: 100, images: TINY_SETTINGS.testLimit, dimensions: 784 });
    expect(result.estimate!.nll).toBeLessThanOrEqual(result.estimate!.negativeElbo);
    const mine = automaticEvents.filter((e) => (e.payload as { jobId: string }).jobId === result.jobId);
    expect(mine[0]).toMatchObject({ name: 'run:did-evaluate-progress', payload: { imagesDone: 0 } });
    expect(mine.every((e) => (e.payload as { automatic: boolean }).automatic)).toBe(true);
    const opened = await core.dispatch('runs:open', { runId });
    expect(opened.ok).toBe(true);
    const details = (opened as { value: RunDetails }).value;
    expect(details.likelihoods).toEqual([result.saved]);
    expect(details.likelihoods[0]).toMatchObject({ automatic: true, epoch: 1, checkpoint: 'best' });
  }, 120_000);
});

describe('run:evaluate', () => {
  it('answers with a job id, then progress and the estimate of the held-out images', async () => {
    const seen = record(['run:did-evaluate-progress', 'run:did-evaluate']);
    const done = nextEvent(core, 'run:did-evaluate', (r) => r.runId === runId && !r.automatic, 60_000);
    const reply = await core.dispatch('run:evaluate', { runId, samples: 20 });
    expect(reply.ok).toBe(true);
    const { jobId } = (reply as { value: { jobId: string } }).value;
    const result = await done;
    expect(result).toMatchObject({
      jobId,
      runId,
      samples: 20,
      automatic: false,
      epoch: 1,
      checkpoint: 'best',
      outcome: 'completed',
      error: null,
    });
    expect(result.saved).toMatchObject({ automatic: false, epoch: 1, estimate: result.estimate! });
    const estimate = result.estimate!;
    expect(estimate).toMatchObject({ samples: 20, images: TINY_SETTINGS.testLimit, dimensions: 784 });
    expect(estimate.nll).toBeGreaterThan(0);
    expect(estimate.nll).toBeLessThanOrEqual(estimate.negativeElbo);
    expect(estimate.bitsPerDim).toBeCloseTo(estimate.nll / (784 * Math.LN2), 6);
    const progress = seen
      .filter((e) => e.name === 'run:did-evaluate-progress')
      .map((e) => e.payload as Events['run:did-evaluate-progress']);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === jobId && p.images === TINY_SETTINGS.testLimit)).toBe(true);
    expect(progress.at(-1)!.imagesDone).toBe(TINY_SETTINGS.testLimit);
    // The result comes after every progress event.
    expect(seen.at(-1)!.name).toBe('run:did-evaluate');
  }, 90_000);

  it('refuses a second estimate while one runs, and stops on job:cancel', async () => {
    const firstProgress = nextEvent(core, 'run:did-evaluate-progress', (p) => p.runId === runId, 60_000);
    const ended = nextEvent(core, 'run:did-evaluate', (r) => r.runId === runId, 60_000);
    const reply = await core.dispatch('run:evaluate', { runId, samples: 5000 });
    expect(reply.ok).toBe(true);
    const { jobId } = (reply as { value: { jobId: string } }).value;
    await firstProgress;
    expect(await core.dispatch('run:evaluate', { runId, samples: 100 })).toMatchObject({
      ok: false,
      code: 'BUSY',
    });
    const cancelledAt = performance.now();
    expect(await core.dispatch('job:cancel', { jobId })).toEqual({ ok: true, value: { state: 'cancelled' } });
    const result = await ended;
    expect(result).toMatchObject({ jobId, outcome: 'cancelled', estimate: null, error: null });
    expect(performance.now() - cancelledAt).toBeLessThan(10_000);
    // The engine is free again.
    const again = nextEvent(core, 'run:did-evaluate', (r) => r.runId === runId, 60_000);
    expect((await core.dispatch('run:evaluate', { runId, samples: 1 })).ok).toBe(true);
    expect((await again).outcome).toBe('completed');
  }, 90_000);

  it('says so for a run that does not exist, and refuses K outside 1…5000', async () => {
    expect(await core.dispatch('run:evaluate', { runId: '20990101-000000-none', samples: 10 })).toMatchObject(
      {
        ok: false,
        code: 'NOT_FOUND',
      },
    );
    for (const samples of [0, 5001, 2.5]) {
      expect(await core.dispatch('run:evaluate', { runId, samples })).toMatchObject({
        ok: false,
        code: 'INVALID_PAYLOAD',
      });
    }
  }, 30_000);
});

describe('new training', () => {
  it('cancels a running automatic estimate, which would compete with it for the CPU', async () => {
    // A test cap of 1,000 MNIST images keeps the automatic estimate busy for seconds.
    const started = nextEvent(
      core,
      'run:did-evaluate-progress',
      (p) => p.automatic && p.runId !== runId,
      120_000,
    );
    const firstCompleted = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 120_000);
    expect(await core.dispatch('train:start', { ...TINY_SETTINGS, testLimit: 1000 })).toMatchObject({
      ok: true,
    });
    const longRunId = (await firstCompleted).runId;
    const progress = await started;
    expect(progress).toMatchObject({ runId: longRunId, samples: 100, images: 1000, imagesDone: 0 });
    const ended = nextEvent(core, 'run:did-evaluate', (r) => r.jobId === progress.jobId, 60_000);
    const next = await core.dispatch('train:start', TINY_SETTINGS);
    expect(next.ok).toBe(true);
    const nextJobId = (next as { value: { jobId: string } }).value.jobId;
    const done = nextEvent(
      core,
      'train:did-change-state',
      (s) => s.jobId === nextJobId && s.state === 'completed',
      120_000,
    );
    expect(await ended).toMatchObject({ automatic: true, outcome: 'cancelled', saved: null });
    await done;
  }, 180_000);
});
