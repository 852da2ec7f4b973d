/** Fans app events out to every connected view (the Electron window, each browser tab). */
import type { EventName, Events } from '../../shared/contract';

export type EventSink = <E extends EventName>(name: E, payload: Events[E]) => void;

export class EventHub {
  private sinks = new Set<EventSink>();

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  readonly emit: EventSink = (name, payload) => {
    for (const sink of this.sinks) sink(name, payload);
  };
}
