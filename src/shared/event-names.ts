/**
 * The event names as a runtime check (the preload and the WebSocket client check them), kept in
 * step with the `Events` interface by the `satisfies` check below. There is no event schema table
 * to derive them from: events flow from main to the page and are never validated on arrival.
 */
import type { EventName } from './contract';

const eventNameSet = {
  'engine:did-change-status': true,
  'train:did-change-state': true,
  'train:did-progress': true,
  'train:did-end-epoch': true,
  'dataset:did-progress': true,
  'dataset:did-open': true,
  'dataset:did-fail': true,
  'train:did-save-checkpoint': true,
  'latent:did-update-layout': true,
  'latent:did-progress': true,
  'latent:did-stop': true,
  'run:did-evaluate-progress': true,
  'run:did-evaluate': true,
} as const satisfies Record<EventName, true>;

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(eventNameSet, value);
}
