/** Starts a real app core with a real engine process running the TypeScript sources through tsx. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventName, Events } from '../../src/shared/contract';
import type { TrainState } from '../../src/shared/types';
import { createAppCore, type AppCore } from '../../src/main/core/app-core';
import { forkLauncher } from '../../src/main/core/fork-launcher';

export const ENGINE_SOURCE = path.resolve(__dirname, '../../src/main/engine/index.ts');

export async function startTestCore(
  backend = 'auto',
  dataRoots: string[] = [],
  dataDirectory?: string,
): Promise<AppCore> {
  dataDirectory ??= await mkdtemp(path.join(os.tmpdir(), 'latent-studio-test-'));
  return createAppCore({
    launcher: forkLauncher({ entry: ENGINE_SOURCE, execArgv: ['--import', 'tsx'] }),
    dataDirectory,
    info: { name: 'Latent Studio', version: 'test', host: 'browser', platform: process.platform },
    backendOverride: backend,
    dataRoots,
  });
}

/** A test core whose engine has reported ready. */
export async function startReadyCore(...args: Parameters<typeof startTestCore>): Promise<AppCore> {
  const core = await startTestCore(...args);
  await engineReady(core);
  return core;
}

/** Resolves once the engine reports ready. */
export async function engineReady(core: AppCore): Promise<void> {
  if (core.engine.status.state !== 'ready') {
    await nextEvent(core, 'engine:did-change-status', (s) => s.state === 'ready');
  }
}

/** Resolves with the first event of that name matching `accept`; rejects after `timeoutMs`. */
export function nextEvent<E extends EventName>(
  core: AppCore,
  name: E,
  accept: (payload: Events[E]) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Events[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${name} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = core.events.subscribe((eventName: EventName, payload: unknown) => {
      if (eventName === (name as EventName) && accept(payload as Events[E])) {
        clearTimeout(timer);
        stop();
        resolve(payload as Events[E]);
      }
    });
  });
}

/** Resolves when that training job's state becomes `state`; rejects after `timeoutMs`. */
export function jobReaches(core: AppCore, jobId: string, state: TrainState, timeoutMs?: number) {
  return nextEvent(core, 'train:did-change-state', (s) => s.jobId === jobId && s.state === state, timeoutMs);
}
