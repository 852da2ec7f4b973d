/** Whether the host is reachable, as reactive state for the banner and the status bar. */
import type { ConnectionSource, ConnectionStatus } from '../lib/connection';

export class ConnectionState {
  status = $state<ConnectionStatus>('connecting');
  /** True once the link has dropped at least once; tells "connecting" apart from "reconnecting". */
  dropped = $state(false);
  readonly missingToken: boolean;
  /** Once `stale`: the host's new address, where it may hand it to this page. */
  newAddress = $state<string | null>(null);
  readonly #unsubscribe: () => void;

  constructor(source: ConnectionSource, onReopen: () => void) {
    this.status = source.status;
    this.missingToken = source.missingToken;
    this.#unsubscribe = source.subscribe((status) => {
      const reopened = status === 'open' && this.dropped;
      if (status === 'closed') this.dropped = true;
      if (status === 'stale') this.newAddress = source.newAddress;
      this.status = status;
      if (reopened) onReopen();
    });
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
