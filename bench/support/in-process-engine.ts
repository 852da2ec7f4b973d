/**
 * The engine's own `EngineHost` in this (plain Node) process, driven with the same commands main
 * sends it: a promise per command reply and a hook for events. In-process, so
 * `tf.memory().numTensors` is the engine's own count.
 */
import { EngineHost } from '../../src/main/engine/engine-host';
import type { EngineArgs, EngineCommandName, EngineValue, FromEngine } from '../../src/main/engine/protocol';
import type { Events } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

export type EventOf = Extract<FromEngine, { type: 'event' }>;

/** The engine host with a promise per command reply and a hook for events. */
export class InProcessEngine {
  private nextId = 1;
  private readonly replies = new Map<number, (result: Result<unknown>) => void>();
  private readonly ready: Promise<FromEngine>;
  private resolveReady!: (message: FromEngine) => void;
  readonly host: EngineHost;
  onEvent: (event: EventOf) => void = () => undefined;

  constructor(roots: { cacheRoot: string; runsRoot: string }) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.host = new EngineHost((message) => this.received(message), roots);
  }

  private received(message: FromEngine): void {
    if (message.type === 'reply') {
      this.replies.get(message.id)?.(message.result);
      this.replies.delete(message.id);
    } else if (message.type === 'event') {
      this.onEvent(message);
    } else {
      this.resolveReady(message);
    }
  }

  async start(): Promise<string> {
    void this.host.start('auto');
    const message = await this.ready;
    if (message.type !== 'ready') throw new Error(`engine did not start: ${JSON.stringify(message)}`);
    return message.backend.label;
  }

  async command<K extends EngineCommandName>(name: K, args: EngineArgs<K>): Promise<EngineValue<K>> {
    const id = this.nextId++;
    const reply = new Promise<Result<unknown>>((resolve) => this.replies.set(id, resolve));
    void this.host.receive({ type: 'command', id, name, args });
    const result = await reply;
    if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result)}`);
    return result.value as EngineValue<K>;
  }

  /** Resolves with the first event `name` whose payload passes `accept`. */
  next<E extends EventOf['name']>(name: E, accept: (payload: Events[E]) => boolean = () => true) {
    const previous = this.onEvent;
    return new Promise<Events[E]>((resolve) => {
      this.onEvent = (event) => {
        previous(event);
        if (event.name === name && accept(event.payload as Events[E])) {
          this.onEvent = previous;
          resolve(event.payload as Events[E]);
        }
      };
    });
  }
}
