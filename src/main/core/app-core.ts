/** Wires the engine client, settings, handlers and events together for one host. */
import type { AppInfo } from '../../shared/contract';
import type { EngineLauncher } from './engine-child';
import { EngineClient } from './engine-client';
import { EventHub } from './event-hub';
import { createHandlers } from './handlers';
import { createDispatch, type Dispatch } from './router';
import { SettingsStore } from './settings-store';
import { parseBackendPreference } from '../engine/backend-preference';

export interface AppCore {
  dispatch: Dispatch;
  events: EventHub;
  engine: EngineClient;
  dispose(): void;
}

export interface AppCoreOptions {
  launcher: EngineLauncher;
  dataDirectory: string;
  info: AppInfo;
  /** LATENT_STUDIO_BACKEND wins over the saved setting. */
  backendOverride?: string | undefined;
}

export async function createAppCore({
  launcher,
  dataDirectory,
  info,
  backendOverride,
}: AppCoreOptions): Promise<AppCore> {
  const settings = new SettingsStore(dataDirectory);
  const saved = await settings.load();
  const preference = backendOverride ? parseBackendPreference(backendOverride) : saved.backend;
  const events = new EventHub();
  const engine = new EngineClient({ launcher, preference, emit: events.emit });
  engine.start();
  const dispatch = createDispatch(createHandlers({ engine, settings, info }));
  return { dispatch, events, engine, dispose: () => engine.dispose() };
}
