/** The training engine's health and backend, plus what the host told us about itself. */
import type { Api, AppInfo } from '../../../shared/contract';
import type { BackendPreference, EngineStatus } from '../../../shared/types';
import type { NoticesState } from './notices.svelte';

export class EngineState {
  status = $state.raw<EngineStatus | null>(null);
  info = $state.raw<AppInfo | null>(null);
  restarting = $state(false);
  readonly #api: Api;
  readonly #notices: NoticesState;
  readonly #unsubscribe: () => void;
  #seenReady = false;

  /** `onRestarted` runs when the engine is ready again after a crash or a restart. */
  constructor(api: Api, notices: NoticesState, onRestarted: () => void = () => undefined) {
    this.#api = api;
    this.#notices = notices;
    this.#unsubscribe = api.on('engine:did-change-status', (status) => {
      // Only a comeback counts: the first start is what `load` handles.
      const restarted = this.#seenReady && this.status?.state !== 'ready' && status.state === 'ready';
      if (status.state === 'ready') this.#seenReady = true;
      this.status = status;
      if (restarted) onRestarted();
    });
  }

  async load(): Promise<void> {
    const [status, info] = await Promise.all([
      this.#api.invoke('engine:get-status', {}),
      this.#api.invoke('app:get-info', {}),
    ]);
    if (status.ok) {
      this.status = status.value;
      if (status.value.state === 'ready') this.#seenReady = true;
    }
    if (info.ok) this.info = info.value;
    // Both fail together when the host is unreachable; one message is enough.
    if (!status.ok) this.#notices.showFailure(status, 'Engine status');
    else if (!info.ok) this.#notices.showFailure(info, 'App info');
  }

  async restart(backend: BackendPreference): Promise<void> {
    this.restarting = true;
    try {
      const result = await this.#api.invoke('engine:restart', { backend });
      if (result.ok) this.status = result.value;
      else this.#notices.showFailure(result, 'Restart engine');
    } finally {
      this.restarting = false;
    }
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
