/** The one error message on screen. A newer problem replaces an older one: the latest matters. */
import type { ErrorCode, Result } from '../../../shared/result';

export interface Notice {
  id: number;
  title: string;
  message: string;
}

const TITLES: Record<ErrorCode, string> = {
  INVALID_PAYLOAD: 'Settings refused',
  UNKNOWN_CHANNEL: 'Unsupported request',
  FORBIDDEN_SENDER: 'Request refused',
  ENGINE_UNAVAILABLE: 'Engine unavailable',
  JOB_NOT_FOUND: 'Run not found',
  NOT_FOUND: 'Not found',
  PATH_REFUSED: 'Folder refused',
  UNSUPPORTED: 'Not supported here',
  CHECKPOINT_CORRUPT: 'Checkpoint damaged',
  BUSY: 'Engine busy',
  TOO_LARGE: 'Too large',
  EMPTY: 'Nothing to use',
  INTERNAL: 'Something went wrong',
};

export class NoticesState {
  current = $state.raw<Notice | null>(null);
  #nextId = 1;

  show(title: string, message: string): void {
    this.current = { id: this.#nextId++, title, message };
  }

  /** Shows a refused request's message; `context` says what the user was trying to do. */
  showFailure(failure: Extract<Result<unknown>, { ok: false }>, context?: string): void {
    const title = context ? `${context}: ${TITLES[failure.code].toLowerCase()}` : TITLES[failure.code];
    this.show(title, failure.message);
  }

  dismiss(): void {
    this.current = null;
  }
}
