/**
 * Training speeds the engine measured (`train:estimate-speed`), kept per backend, model, batch and
 * image format for the window's life, so the form can say how long a run will take. One
 * measurement at a time: the engine times real training steps, and two would slow each other.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { Api } from '../../../shared/contract';
import { speedKey, type SpeedProbe } from '../../../shared/training-estimate';
import type { BackendName } from '../../../shared/types';

/** A key that could not be measured is asked again after this long, at the next change. */
const RETRY_AFTER_MS = 30_000;

export class SpeedEstimateState {
  /** The key being measured, or null when idle. */
  pendingKey = $state<string | null>(null);
  /** Images per second by `speedKey`. */
  readonly #known = new SvelteMap<string, number>();
  /**
   * When each key last failed (a busy engine included). It is not asked again for a while: the
   * form asks whenever a measurement ends, and would otherwise ask over and over.
   */
  readonly #failedAt = new SvelteMap<string, number>();
  readonly #api: Api;
  readonly #now: () => number;

  constructor(api: Api, now: () => number = () => performance.now()) {
    this.#api = api;
    this.#now = now;
  }

  /** Images per second measured for this model on this backend, or null when not (yet) known. */
  imagesPerSecond(backend: BackendName, probe: SpeedProbe): number | null {
    return this.#known.get(speedKey(backend, probe)) ?? null;
  }

  /** Asks the engine to time `probe` unless its speed is known or a measurement is under way. */
  async measure(backend: BackendName, probe: SpeedProbe): Promise<void> {
    const key = speedKey(backend, probe);
    if (this.pendingKey !== null || this.#known.has(key)) return;
    const failedAt = this.#failedAt.get(key);
    if (failedAt !== undefined && this.#now() - failedAt < RETRY_AFTER_MS) return;
    this.pendingKey = key;
    try {
      const result = await this.#api.invoke('train:estimate-speed', probe);
      if (result.ok) {
        // Keyed by the backend that measured it: the engine may have restarted on another.
        const measured = speedKey(result.value.backend, probe);
        this.#known.set(measured, result.value.imagesPerSecond);
        if (measured !== key) this.#failedAt.set(key, this.#now());
      } else {
        // An estimate is a nicety: a failure shows no minutes, and no notice.
        this.#failedAt.set(key, this.#now());
      }
    } finally {
      this.pendingKey = null;
    }
  }
}
