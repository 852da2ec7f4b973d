/**
 * Decode at cursor: while the pointer rests on empty space of the map, the model decodes the spot
 * under it (`gallery:decode-at`). At most one request is in flight and a new one starts at most
 * every THROTTLE_MS, always for the newest spot, so a sweeping pointer costs a few decodes a second.
 * The engine decodes with the model of the epoch on screen; where that epoch's model is gone (its
 * checkpoint was pruned), the preview says so instead of showing another epoch's drawing.
 */
import type { Api } from '../../../shared/contract';
import type { DecodedImages, MapSpot } from '../../../shared/gallery-types';

const THROTTLE_MS = 125;

/** What the preview shows at a spot: the decoded image, or why this spot cannot be decoded. */
export type SpotDecode = DecodedImages | { refused: string };

export class DecodeCursorState {
  /** The newest decoded spot and its image (or refusal); null when the pointer is not over empty space. */
  shown = $state.raw<{ spot: MapSpot; image: SpotDecode } | null>(null);
  /** The host cannot decode spots (older engine): stop asking. */
  unsupported = $state(false);
  error = $state<string | null>(null);

  readonly #api: Api;
  #pending: { runId: string; spot: MapSpot } | null = null;
  #busy = false;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by `clear`: answers to older requests are dropped. */
  #generation = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  /** The pointer is over `spot` of the run's map. */
  at(runId: string, spot: MapSpot): void {
    if (this.unsupported) return;
    this.#pending = { runId, spot };
    this.#pump();
  }

  /** The pointer left empty space (a point is under it, or it left the map). */
  clear(): void {
    this.#generation++;
    this.#pending = null;
    this.shown = null;
    this.error = null;
  }

  reset(): void {
    this.clear();
    this.unsupported = false;
  }

  #pump(): void {
    if (this.#busy || this.#timer !== null || !this.#pending) return;
    const wait = this.#last + THROTTLE_MS - performance.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#pump();
      }, wait);
      return;
    }
    const request = this.#pending;
    this.#pending = null;
    this.#busy = true;
    this.#last = performance.now();
    void this.#send(request.runId, request.spot, this.#generation);
  }

  async #send(runId: string, spot: MapSpot, generation: number): Promise<void> {
    try {
      const result = await this.#api.invoke('gallery:decode-at', { runId, spot });
      if (generation !== this.#generation) return;
      if (result.ok) {
        this.shown = { spot, image: result.value };
        this.error = null;
      } else if (result.code === 'UNSUPPORTED') {
        this.unsupported = true;
      } else {
        this.shown = { spot, image: { refused: result.message } };
        this.error = result.message;
      }
    } finally {
      this.#busy = false;
      this.#pump();
    }
  }
}
