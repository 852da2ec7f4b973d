/**
 * Messages about a stopped run appear only when a run was stopped: Ctrl-C in the terminal of
 * `npm run serve` (SIGINT to the whole process group) no longer kills the engine behind the host's
 * orderly stop, and an engine that dies while nothing trains says nothing about a run.
 */
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { EngineStatus } from '../../src/shared/types';
import { nextEvent } from '../support/engine-core';
import { readyCoreForFile } from '../support/core-for-file';

let core: AppCore;

readyCoreForFile('cpu', (started) => (core = started));

describe('stopped-run messages', () => {
  it('the engine outlives a Ctrl-C meant for the host, which decides when it stops', async () => {
    const pid = core.engine.pid!;
    const statuses: EngineStatus[] = [];
    const stop = core.events.subscribe((name, payload) => {
      if (name === 'engine:did-change-status') statuses.push(payload as EngineStatus);
    });
    process.kill(pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    stop();
    expect(statuses).toEqual([]);
    expect(core.engine.pid).toBe(pid);
    expect(core.engine.status.state).toBe('ready');
    expect((await core.dispatch('engine:get-status', {})).ok).toBe(true);
  }, 30_000);

  it('an engine that dies while nothing trains says nothing about a stopped run', async () => {
    const restarting = nextEvent(core, 'engine:did-change-status', (s) => s.state === 'restarting');
    const ready = nextEvent(core, 'engine:did-change-status', (s) => s.state === 'ready');
    process.kill(core.engine.pid!, 'SIGKILL');
    const crash = await restarting;
    expect(crash.message).toBe('The engine process was stopped by signal SIGKILL. It is being restarted.');
    const back = await ready;
    expect(back.message).toBe('Restarted after the engine process was stopped by signal SIGKILL.');
  }, 90_000);
});
