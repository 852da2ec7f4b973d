/**
 * The only place that touches ipcMain. Every request channel of the contract is bound through one
 * guard that checks the sender frame and hands the raw payload to the router, which validates it.
 */
import { ipcMain, type WebContents } from 'electron';
import { REQUEST_NAMES } from '../shared/channels';
import type { AppCore } from './core/app-core';
import { guardRequest } from './ipc-guard';

export function bindIpc(core: AppCore, isTrustedFrameUrl: (url: string) => boolean): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(name, guardRequest(name, core.dispatch, isTrustedFrameUrl));
  }
  return () => REQUEST_NAMES.forEach((name) => ipcMain.removeHandler(name));
}

/** Sends every app event to a window while it exists. */
export function forwardEvents(core: AppCore, contents: WebContents): () => void {
  return core.events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(name, payload);
  });
}
