/**
 * What a state that asks the engine for one thing at a time shares: the Api, whether its newest
 * request is on its way, and that request's failure in words. Only the newest request's answer is
 * kept (lib/newest-request.ts).
 */
import type { Api } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { NewestRequest } from '../lib/newest-request';

export abstract class EngineFetch {
  loading = $state(false);
  error = $state<string | null>(null);

  protected readonly api: Api;
  protected readonly requests = new NewestRequest();

  constructor(api: Api) {
    this.api = api;
  }

  /** Drops the request on its way (its answer will be ignored) and its failure. */
  protected drop(): void {
    this.requests.drop();
    this.loading = false;
    this.error = null;
  }

  /** Sends `request` as the newest, `loading` until its answer comes; see NewestRequest.send. */
  protected send<R, T>(request: () => Promise<R>, settle: (answer: R) => T): Promise<T | null> {
    return this.requests.send(request, (on) => (this.loading = on), settle);
  }

  /**
   * Sends `request` as the newest: a failure becomes `error` (`failure` words it; by default its
   * message), a value clears `error` and goes to `apply`.
   */
  protected async load<T>(
    request: () => Promise<Result<T>>,
    apply: (value: T) => void,
    failure: (result: Extract<Result<T>, { ok: false }>) => string = (result) => result.message,
  ): Promise<void> {
    await this.send(request, (result) => {
      if (!result.ok) {
        this.error = failure(result);
        return;
      }
      this.error = null;
      apply(result.value);
    });
  }
}
