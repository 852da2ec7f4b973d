/** The implementation of every request in the contract, shared by the desktop and browser hosts. */
import { randomUUID } from 'node:crypto';
import { BUILTIN_DATASETS } from '../../shared/builtin-datasets';
import type { AppInfo, RequestArgs, RequestName, RequestValue } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { EngineClient } from './engine-client';
import type { SettingsStore } from './settings-store';

export type Handlers = {
  [K in RequestName]: (args: RequestArgs<K>) => Promise<Result<RequestValue<K>>>;
};

export interface HandlerDeps {
  engine: EngineClient;
  settings: SettingsStore;
  info: AppInfo;
}

export function createHandlers({ engine, settings, info }: HandlerDeps): Handlers {
  return {
    'app:ping': async () => ok({ receivedAt: Date.now() }),
    'app:get-info': async () => ok(info),
    'engine:get-status': async () => ok(engine.status),
    'engine:restart': async ({ backend }) => {
      await settings.saveBackend(backend);
      return ok(await engine.restart(backend));
    },
    'dataset:list-builtin': async () => ok(BUILTIN_DATASETS),
    'train:start': async (trainSettings) => {
      if (engine.runningJob) return fail('BUSY', 'A training run is already in progress; cancel it first.');
      return engine.request('train:start', { jobId: randomUUID(), settings: trainSettings });
    },
    'train:pause': async ({ jobId }) => engine.request('train:pause', { jobId }),
    'train:resume': async ({ jobId }) => engine.request('train:resume', { jobId }),
    'job:cancel': async ({ jobId }) => engine.request('train:cancel', { jobId }),
  };
}
