/**
 * The narrow bridge: `window.api` offers exactly the contract's requests and events, nothing else.
 * Channel names are checked here too, so the page cannot reach other ipc channels through it.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventName } from '../shared/event-names';
import type { Api, RequestName } from '../shared/contract';
import { fail } from '../shared/result';

/** `REQUEST_NAMES` (shared/channels.ts), put in by electron.vite.config.ts when it builds this. */
declare const __REQUEST_NAMES__: readonly RequestName[];
const requestNames: ReadonlySet<string> = new Set(__REQUEST_NAMES__);

function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && requestNames.has(value);
}

const api = {
  invoke: (name, args) => {
    if (!isRequestName(name)) return Promise.resolve(fail('UNKNOWN_CHANNEL', 'Unknown request.'));
    return ipcRenderer.invoke(name, args);
  },
  on: (name, listener) => {
    if (!isEventName(name)) return () => undefined;
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(name, handler);
    return () => void ipcRenderer.removeListener(name, handler);
  },
  // Served by main's latent-media protocol (src/main/media-protocol.ts).
  mediaUrl: (path) => `latent-media://app/${path}`,
} satisfies Api;

contextBridge.exposeInMainWorld('api', api);
