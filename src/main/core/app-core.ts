/** Wires the engine client, settings, handlers and events together for one host. */
import type { AppInfo } from '../../shared/contract';
import type { EngineLauncher } from './engine-child';
import { EngineClient } from './engine-client';
import { EventHub } from './event-hub';
import type { DataRootSpec } from './default-data-roots';
import { createHandlers, type HandlerDeps } from './handlers';
import { UploadStore } from './upload-store';
import { createDispatch, type Dispatch } from './router';
import { FolderRoots } from './folder-roots';
import { HealthMonitor } from './health';
import { LastRun } from './last-run';
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
  /**
   * Folders datasets may be opened from before the user picks any (`serve --data-root`, or the
   * browser host's defaults, which say why they are offered).
   */
  dataRoots?: (string | DataRootSpec)[];
  /** Where uploaded folders go (browser host only): offered as the root "Uploads". */
  uploadsDirectory?: string;
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
  for (const root of options.dataRoots ?? []) {
    if (typeof root === 'string') await roots.add(root);
    else await roots.add(root.folder, { origin: root.origin, shownAs: root.shownAs });
  }
  let uploads: HandlerDeps['uploads'];
  if (options.uploadsDirectory) {
    const store = new UploadStore(options.uploadsDirectory);
    const area = await store.open();
    uploads = { store, root: await roots.add(area, { name: 'Uploads', origin: 'uploads' }) };
  }
  const cacheDirectory = cacheDirectoryOf(dataDirectory);
  const runsDirectory = runsDirectoryOf(dataDirectory);
  const engine = new EngineClient({ launcher, preference, cacheDirectory, runsDirectory, emit: events.emit });
  engine.start();
  const health = new HealthMonitor();
  const lastRun = new LastRun(settings);
  const stopFollowing = lastRun.follow(events);
  const handlers = createHandlers({
    engine,
    settings,
    info,
    roots,
    health,
    lastRun,
    chooseFolder: options.chooseFolder,
    uploads,
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
      stopFollowing();
      health.dispose();
      return engine.shutdown();
    },
    dispose: () => {
      stopFollowing();
      health.dispose();
      engine.dispose();
    },
  };
}
