/**
 * The implementation of every request in the contract, shared by the desktop and browser hosts.
 * Requests main only passes on to the engine are listed in `forwarded-requests.ts`; the handlers
 * here are the ones that do more (answer in main, check a folder, add a job id, refuse while busy).
 */
import { randomUUID } from 'node:crypto';
import { BUILTIN_DATASETS } from '../../shared/builtin-datasets';
import type { DatasetSource, FolderRoot } from '../../shared/dataset-types';
import type { AppInfo, RequestArgs, RequestName, RequestValue } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import { refuseWhileTraining } from '../engine/training-busy';
import type { EngineClient } from './engine-client';
import { createForwardingHandlers, type ForwardedRequest } from './forwarded-requests';
import type { FolderRoots } from './folder-roots';
import type { HealthMonitor } from './health';
import type { LastRun } from './last-run';
import type { SettingsStore } from './settings-store';
import type { UploadStore } from './upload-store';

export type Handlers = {
  [K in RequestName]: (args: RequestArgs<K>) => Promise<Result<RequestValue<K>>>;
};

export interface HandlerDeps {
  engine: EngineClient;
  settings: SettingsStore;
  info: AppInfo;
  roots: FolderRoots;
  health: HealthMonitor;
  lastRun: LastRun;
  /** A native folder dialog (desktop only); resolves to the chosen path or null. */
  chooseFolder?: () => Promise<string | null>;
  /** The uploads area and the root it is offered as (browser host only). */
  uploads?: { store: UploadStore; root: FolderRoot };
  /** Moves a folder to the system trash (desktop only); rejects when the system refuses. */
  trashItem?: (folder: string) => Promise<void>;
}

const NO_UPLOADS = 'Uploading is for the browser host; here, open the folder where it is.';

/** The absolute folder of a source, checked against the allowed roots; null for built-ins. */
async function folderOf(roots: FolderRoots, source: DatasetSource): Promise<Result<string | null>> {
  if (source.kind === 'builtin') return ok(null);
  return roots.resolve(source.rootId, source.relativePath);
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { engine, settings, info, roots, health, lastRun, chooseFolder, uploads, trashItem } = deps;
  // Omit: a request is either forwarded or handled here, never both (a name in both is an error).
  const explicit: Omit<Handlers, ForwardedRequest> = {
    'app:ping': async () => ok({ receivedAt: Date.now() }),
    'app:get-info': async () => ok(info),
    'app:get-health': async () => ok(health.read()),
    'app:get-last-run': async () => ok({ runId: await lastRun.read() }),
    'engine:get-status': async () => ok(engine.status),
    'engine:restart': async ({ backend }) => {
      // Restart first: a full or read-only data folder must not keep the engine down. Remembering
      // the choice for the next launch is best-effort, and a failure only goes to the log.
      const status = await engine.restart(backend);
      await settings.saveBackend(backend).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`[latent-studio] the backend choice could not be saved: ${reason}`);
      });
      return ok(status);
    },
    'dataset:list-builtin': async () => ok(BUILTIN_DATASETS),
    'dataset:list-roots': async () => ok(roots.list()),
    'dataset:choose-folder': async () => {
      if (!chooseFolder) {
        return fail(
          'UNSUPPORTED',
          'The browser host has no folder dialog: pick a folder under its data roots.',
        );
      }
      const chosen = await chooseFolder();
      return ok(chosen === null ? null : await roots.add(chosen));
    },
    'dataset:browse': async ({ rootId, relativePath }) => roots.browse(rootId, relativePath),
    'dataset:preview': async ({ source, preprocessing }) => {
      const folder = await folderOf(roots, source);
      if (!folder.ok) return folder;
      return engine.request('dataset:preview', { source, folder: folder.value, preprocessing });
    },
    'dataset:open': async ({ source, preprocessing }) => {
      const folder = await folderOf(roots, source);
      if (!folder.ok) return folder;
      return engine.request('dataset:open', {
        jobId: randomUUID(),
        source,
        folder: folder.value,
        preprocessing,
      });
    },
    'dataset:upload-begin': async ({ name }) =>
      uploads ? uploads.store.begin(name) : fail('UNSUPPORTED', NO_UPLOADS),
    'dataset:upload-files': async ({ uploadId, files }) =>
      uploads ? uploads.store.addFiles(uploadId, files) : fail('UNSUPPORTED', NO_UPLOADS),
    'dataset:upload-finish': async ({ uploadId }) => {
      if (!uploads) return fail('UNSUPPORTED', NO_UPLOADS);
      const finished = await uploads.store.finish(uploadId);
      return finished.ok ? ok({ root: uploads.root, ...finished.value }) : finished;
    },
    'dataset:upload-cancel': async ({ uploadId }) =>
      uploads ? ok({ removed: await uploads.store.cancel(uploadId) }) : fail('UNSUPPORTED', NO_UPLOADS),
    'train:start': async (trainSettings) =>
      refuseWhileTraining(engine.runningJob !== null, 'train') ??
      engine.request('train:start', { jobId: randomUUID(), settings: trainSettings }),
    'train:estimate-speed': async (probe) =>
      refuseWhileTraining(engine.runningJob !== null, 'speed') ??
      engine.request('train:estimate-speed', probe),
    'train:continue': async (args) =>
      refuseWhileTraining(engine.runningJob !== null, 'train') ??
      engine.request('train:continue', { ...args, jobId: randomUUID() }),
    'runs:open': async ({ runId }) => {
      const opened = await engine.request('runs:open', { runId });
      if (opened.ok) await lastRun.record(runId);
      return opened;
    },
    'runs:delete': async ({ runId }) => {
      if (trashItem) {
        const released = await engine.request('runs:delete', { runId, mode: 'release' });
        if (!released.ok) return released;
        try {
          await trashItem(released.value.directory);
          return ok({ runId, trashed: 'system' as const });
        } catch (error) {
          // No trash on that volume (or none at all): the runs folder's own keeps the run instead.
          const reason = error instanceof Error ? error.message : String(error);
          console.error(`[latent-studio] the system trash refused run ${runId}: ${reason}`);
        }
      }
      const moved = await engine.request('runs:delete', { runId, mode: 'host-trash' });
      return moved.ok ? ok({ runId, trashed: 'host-trash' as const }) : moved;
    },
    'run:evaluate': async (args) => engine.request('run:evaluate', { ...args, jobId: randomUUID() }),
    'model:import': async ({ rootId, relativePath }) => {
      const folder = await roots.resolve(rootId, relativePath);
      if (!folder.ok) return folder;
      return engine.request('model:import', { folder: folder.value });
    },
  };
  return { ...createForwardingHandlers(engine), ...explicit };
}
