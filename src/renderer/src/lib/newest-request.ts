/**
 * Keeps only the newest of a state's requests: an answer that comes back after a newer request was
 * sent (or after `drop`) is thrown away, so a slow old answer never replaces a newer one on screen.
 */
export class NewestRequest {
  #seq = 0;

  /** Makes every request on its way stale (a reset, or an answer no longer wanted). */
  drop(): void {
    this.#seq++;
  }

  /**
   * Sends `request`, with `busy(true)` until its answer comes. A still-newest answer goes to
   * `settle` (before `busy(false)`, so nothing sees the request done without its answer) and
   * what `settle` gives is returned; a stale one is dropped: null, and `busy` is left to the newer.
   */
  async send<R, T>(
    request: () => Promise<R>,
    busy: (on: boolean) => void,
    settle: (answer: R) => T,
  ): Promise<T | null> {
    const seq = ++this.#seq;
    busy(true);
    try {
      const answer = await request();
      return seq === this.#seq ? settle(answer) : null;
    } finally {
      if (seq === this.#seq) busy(false);
    }
  }
}
