/** How the renderer is linked to its host. The Electron bridge is always `open`. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface ConnectionSource {
  readonly status: ConnectionStatus;
  /** The page was opened without the host's start token, so it can never connect. */
  readonly missingToken: boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
}

export const ALWAYS_OPEN: ConnectionSource = {
  status: 'open',
  missingToken: false,
  subscribe: () => () => {},
};
