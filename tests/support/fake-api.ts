/**
 * A small in-memory `Api` for the renderer's state classes: each request answers from a handler
 * the test gives (or fails UNSUPPORTED), every call is recorded, and events are emitted by hand.
 * The state classes then run as they do in the page, without a host, an engine or a browser.
 */
import type {
  Api,
  EventName,
  EventPayload,
  RequestArgs,
  RequestName,
  RequestValue,
} from '../../src/shared/contract';
import { fail, type Result } from '../../src/shared/result';

export type FakeHandlers = {
  [K in RequestName]?: (args: RequestArgs<K>) => Promise<Result<RequestValue<K>>> | Result<RequestValue<K>>;
};

export interface FakeCall {
  name: RequestName;
  args: unknown;
}

export class FakeApi implements Api {
  readonly calls: FakeCall[] = [];
  readonly #handlers: FakeHandlers;
  readonly #listeners = new Map<EventName, Set<(payload: never) => void>>();

  constructor(handlers: FakeHandlers) {
    this.#handlers = { ...handlers };
  }

  /** Answers `name` from now on with `handler` (replacing any earlier one). */
  handle<K extends RequestName>(name: K, handler: FakeHandlers[K]): void {
    this.#handlers[name] = handler;
  }

  async invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Result<RequestValue<K>>> {
    this.calls.push({ name, args });
    const handler:
      ((args: RequestArgs<K>) => Promise<Result<RequestValue<K>>> | Result<RequestValue<K>>) | undefined =
      this.#handlers[name];
    return handler ? handler(args) : fail('UNSUPPORTED', `the fake Api has no handler for ${name}`);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    set.add(listener);
    this.#listeners.set(name, set);
    return () => set.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners.get(name) ?? [])
      (listener as (payload: EventPayload<E>) => void)(payload);
  }

  mediaUrl(path: string): string {
    return `media:${path}`;
  }

  /** The names of the calls made so far, in order. */
  names(): RequestName[] {
    return this.calls.map((call) => call.name);
  }

  /** The arguments of every call of `name` so far, in order. */
  argsOf<K extends RequestName>(name: K): RequestArgs<K>[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.args as RequestArgs<K>);
  }
}

/** A promise the test resolves when it chooses: holds a request in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** One request held in flight until the test answers it. */
export interface HeldCall<K extends RequestName> {
  args: RequestArgs<K>;
  answer(result: Result<RequestValue<K>>): void;
}

/**
 * A handler that holds every call of one request until the test answers it, in whatever order it
 * chooses: how replies overtake each other over the WebSocket or IPC.
 */
export function holding<K extends RequestName>(): {
  handler: (args: RequestArgs<K>) => Promise<Result<RequestValue<K>>>;
  calls: HeldCall<K>[];
} {
  const calls: HeldCall<K>[] = [];
  const handler = (args: RequestArgs<K>): Promise<Result<RequestValue<K>>> => {
    const reply = deferred<Result<RequestValue<K>>>();
    calls.push({ args, answer: reply.resolve });
    return reply.promise;
  };
  return { handler, calls };
}

/** Lets every reply and event handler already under way run to its end. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
