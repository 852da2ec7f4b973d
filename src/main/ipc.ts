/**
 * The only place that touches ipcMain. Every request channel of the contract is bound through one
 * wrapper that checks the sender frame and hands the raw payload to the router, which validates it.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { REQUEST_NAMES } from '../shared/channels';
import { fail } from '../shared/result';
import type { AppCore } from './core/app-core';

export function bindIpc(core: AppCore, isTrustedFrameUrl: (url: string) => boolean): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(name, (event: IpcMainInvokeEvent, args: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isTrustedFrameUrl(frameUrl) || event.senderFrame?.parent) {
        return fail('FORBIDDEN_SENDER', 'Request refused: it did not come from the Latent Studio window.');
      }
      return core.dispatch(name, args);
    });
  }
  return () => REQUEST_NAMES.forEach((name) => ipcMain.removeHandler(name));
}

/** Sends every app event to a window while it exists. */
export function forwardEvents(core: AppCore, contents: WebContents): () => void {
  return core.events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(name, payload);
  });
}
