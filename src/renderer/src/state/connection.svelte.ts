/** Whether the host is reachable, as reactive state for the banner and the status bar. */
import type { ConnectionSource, ConnectionStatus } from '../lib/connection';

export interface ConnectionHooks {
  /** The link came back after a drop. */
  reopened: () => void;
  /** The host was started again with a new token: this page cannot reconnect. */
  stale: () => void;
}

export class ConnectionState {
  status = $state<ConnectionStatus>('connecting');
  /** True once the link has dropped at least once; tells "connecting" apart from "reconnecting". */
  dropped = $state(false);
  readonly missingToken: boolean;
  /** Once `stale`: the host's new address, where it may hand it to this page. */
  newAddress = $state<string | null>(null);
  readonly #unsubscribe: () => void;

  constructor(source: ConnectionSource, hooks: ConnectionHooks) {
    this.status = source.status;
    this.missingToken = source.missingToken;
    this.#unsubscribe = source.subscribe((status) => {
      const reopened = status === 'open' && this.dropped;
      if (status === 'closed') this.dropped = true;
      if (status === 'stale') this.newAddress = source.newAddress;
      this.status = status;
      if (reopened) hooks.reopened();
      if (status === 'stale') hooks.stale();
    });
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
