/** `train:estimate-speed` through the app core and a real engine process: measured when idle, refused while a run trains. */
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { SpeedEstimate, SpeedProbe } from '../../src/shared/training-estimate';
import { trainArgs } from '../support/valid-requests';
import { jobReaches, nextEvent } from '../support/engine-core';
import { readyCoreForFile } from '../support/core-for-file';

let core: AppCore;

readyCoreForFile('auto', (started) => (core = started));

const TINY: SpeedProbe = {
  model: 'conv',
  likelihood: 'discretized-logistic',
  latentDim: 4,
  width: 8,
  depth: 2,
  batchSize: 16,
  size: 32,
  channels: 'rgb',
};

describe('train:estimate-speed', () => {
  it('answers with images per second on the engine’s backend', async () => {
    const result = await core.dispatch('train:estimate-speed', TINY);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const estimate = (result as { value: SpeedEstimate }).value;
    expect(estimate.backend).toBe(core.engine.status.backend?.name);
    expect(Number.isFinite(estimate.imagesPerSecond)).toBe(true);
    expect(estimate.imagesPerSecond).toBeGreaterThan(0);
  });

  it('is refused while a run trains', async () => {
    const running = nextEvent(core, 'train:did-change-state', (s) => s.state === 'running');
    const started = await core.dispatch(
      'train:start',
      trainArgs({
        trainLimit: 50_000,
        epochs: 1,
      }),
    );
    expect(started.ok).toBe(true);
    const { jobId } = (await running) as { jobId: string };
    expect(await core.dispatch('train:estimate-speed', TINY)).toMatchObject({ ok: false, code: 'BUSY' });
    const cancelled = jobReaches(core, jobId, 'cancelled');
    await core.dispatch('job:cancel', { jobId });
    await cancelled;
  });
});
