/** Wires the engine client, settings, handlers and events together for one host. */
import type { AppInfo } from '../../shared/contract';
import type { EngineLauncher } from './engine-child';
import { EngineClient } from './engine-client';
import { EventHub } from './event-hub';
import { createHandlers } from './handlers';
import { createDispatch, type Dispatch } from './router';
import { FolderRoots } from './folder-roots';
import { HealthMonitor } from './health';
import { SettingsStore } from './settings-store';
import { cacheDirectoryOf, runsDirectoryOf } from '../engine/data-directory';
import { parseBackendPreference } from '../engine/backend-preference';
import { resolveMedia, type MediaResponse } from './media';

export interface AppCore {
  dispatch: Dispatch;
  events: EventHub;
  engine: EngineClient;
  roots: FolderRoots;
  /** Settings, caches (`cache/`) and runs (`runs/`) live here. */
  dataDirectory: string;
  /** A media path (see `mediaPaths`): point images, reconstructions, exported files. */
  media(mediaPath: string): Promise<MediaResponse>;
  /** Quitting: stops a run within one batch (left resumable), then ends the engine. */
  shutdown(): Promise<{ interruptedRunId: string | null }>;
  dispose(): void;
}

export interface AppCoreOptions {
  launcher: EngineLauncher;
  dataDirectory: string;
  info: AppInfo;
  /** LATENT_STUDIO_BACKEND wins over the saved setting. */
  backendOverride?: string | undefined;
  /** Folders datasets may be opened from before the user picks any (`serve --data-root`). */
  dataRoots?: string[];
  /** The desktop's native folder dialog. */
  chooseFolder?: () => Promise<string | null>;
  /** The desktop's system trash, where deleted runs go. */
  trashItem?: (folder: string) => Promise<void>;
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { launcher, dataDirectory, info, backendOverride } = options;
  const settings = new SettingsStore(dataDirectory);
  const saved = await settings.load();
  const preference = backendOverride ? parseBackendPreference(backendOverride) : saved.backend;
  const events = new EventHub();
  const roots = new FolderRoots();
  for (const root of options.dataRoots ?? []) await roots.add(root);
  const cacheDirectory = cacheDirectoryOf(dataDirectory);
  const runsDirectory = runsDirectoryOf(dataDirectory);
  const engine = new EngineClient({ launcher, preference, cacheDirectory, runsDirectory, emit: events.emit });
  engine.start();
  const health = new HealthMonitor();
  const handlers = createHandlers({
    engine,
    settings,
    info,
    roots,
    health,
    chooseFolder: options.chooseFolder,
    trashItem: options.trashItem,
  });
  return {
    dispatch: createDispatch(handlers),
    events,
    engine,
    roots,
    dataDirectory,
    media: (mediaPath) => resolveMedia(engine, runsDirectory, mediaPath),
    shutdown: () => {
      health.dispose();
      return engine.shutdown();
    },
    dispose: () => {
      health.dispose();
      engine.dispose();
    },
  };
}
