/**
 * The sender check every IPC request passes before its handler, kept free of `electron` so tests
 * can drive it in plain Node with the frames a hostile page could send from.
 */
import type { RequestName } from '../shared/contract';
import { fail, type Result } from '../shared/result';

/** The parts of Electron's WebFrameMain the check reads. */
export interface SenderFrame {
  readonly url: string;
  /** Set for sub-frames (iframes): only the window's top frame may call. */
  readonly parent: unknown;
}

/** What `ipcMain.handle` passes: the frame is null once it navigated away or was destroyed. */
export interface SenderEvent {
  readonly senderFrame: SenderFrame | null | undefined;
}

export function isTrustedSender(
  frame: SenderFrame | null | undefined,
  isAppUrl: (url: string) => boolean,
): boolean {
  return frame != null && !frame.parent && isAppUrl(frame.url);
}

/** Wraps the dispatcher: a request from any frame but the app's own top frame is refused unseen. */
export function guardRequest(
  name: RequestName,
  dispatch: (name: RequestName, args: unknown) => Promise<Result<unknown>>,
  isAppUrl: (url: string) => boolean,
): (event: SenderEvent, args: unknown) => Promise<Result<unknown>> {
  return async (event, args) => {
    if (!isTrustedSender(event.senderFrame, isAppUrl)) {
      return fail('FORBIDDEN_SENDER', 'Request refused: it did not come from the Latent Studio window.');
    }
    return dispatch(name, args);
  };
}
