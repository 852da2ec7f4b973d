/**
 * Thumbnail images for the scatter, loaded on first request and kept least-recently-used first
 * out. Loading is lazy: `get` returns null until the image has decoded, then `onload` asks for a
 * redraw. Clearing drops finished and in-flight images alike.
 */
type Entry =
  { state: 'loading' | 'failed'; image: HTMLImageElement } | { state: 'ready'; image: HTMLImageElement };

export class ThumbnailCache {
  #entries = new Map<string, Entry>();
  readonly #onload: () => void;
  readonly #capacity: number;

  /** `capacity` bounds memory while panning around a deep zoom; twice the thumbnail limit is ample. */
  constructor(onload: () => void, capacity = 800) {
    this.#onload = onload;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(url: string): HTMLImageElement | null {
    const entry = this.#entries.get(url);
    if (entry) {
      // Re-inserting marks the entry as recently used.
      this.#entries.delete(url);
      this.#entries.set(url, entry);
      return entry.state === 'ready' ? entry.image : null;
    }
    this.#load(url);
    return null;
  }

  clear(): void {
    for (const entry of this.#entries.values()) if (entry.state === 'loading') entry.image.src = '';
    this.#entries.clear();
  }

  #load(url: string): void {
    const image = new Image();
    image.decoding = 'async';
    const entry: Entry = { state: 'loading', image };
    this.#entries.set(url, entry);
    this.#evict();
    image.src = url;
    image.decode().then(
      () => this.#settle(url, entry, 'ready'),
      () => this.#settle(url, entry, 'failed'),
    );
  }

  #settle(url: string, entry: Entry, state: 'ready' | 'failed'): void {
    // Cleared or evicted meanwhile: the image is stale and nobody is waiting for it.
    if (this.#entries.get(url) !== entry) return;
    entry.state = state;
    if (state === 'ready') this.#onload();
  }

  #evict(): void {
    for (const [url, entry] of this.#entries) {
      if (this.#entries.size <= this.#capacity) break;
      if (entry.state === 'loading') entry.image.src = '';
      this.#entries.delete(url);
    }
  }
}
