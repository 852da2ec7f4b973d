/**
 * How the renderer is linked to its host. The Electron bridge is always `open`. `stale`: the host
 * was started again since this page got its address (a new token), so retrying cannot help.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'stale';

export interface ConnectionSource {
  readonly status: ConnectionStatus;
  /** The page was opened without the host's start token, so it can never connect. */
  readonly missingToken: boolean;
  /** Once `stale`: the host's new address, where the host may hand it to this page; else null. */
  readonly newAddress: string | null;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
}

export const ALWAYS_OPEN: ConnectionSource = {
  status: 'open',
  missingToken: false,
  newAddress: null,
  subscribe: () => () => {},
};
