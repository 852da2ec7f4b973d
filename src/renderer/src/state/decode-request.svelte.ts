/**
 * One kind of gallery request and its newest answer: what is shown, whether a newer one is on its
 * way, and the last failure in words. Answers to superseded requests are dropped, so a slider
 * dragged fast never shows an older picture after a newer one.
 */
import type { Result } from '../../../shared/result';

export class DecodeRequest<T> {
  value = $state.raw<T | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);

  readonly #what: string;
  #seq = 0;

  /** `what` names the request in failures, e.g. "the prior samples". */
  constructor(what: string) {
    this.#what = what;
  }

  /** Sends a request; its answer once it is the newest, else null. */
  async run(send: () => Promise<Result<T>>): Promise<T | null> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const result = await send();
      if (seq !== this.#seq) return null;
      if (!result.ok) {
        this.error =
          result.code === 'UNSUPPORTED'
            ? `This host cannot decode ${this.#what} yet.`
            : `Could not decode ${this.#what}: ${result.message}`;
        return null;
      }
      this.error = null;
      this.value = result.value;
      return result.value;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  reset(): void {
    this.#seq++;
    this.value = null;
    this.loading = false;
    this.error = null;
  }
}
