/**
 * The requests main only passes on: each is answered by the engine command of the same name, with
 * the same arguments and value as the contract states. Listing a name here is all it takes; a
 * request that checks, resolves or adds anything first gets its own handler in `handlers.ts`.
 */
import type { RequestArgs, RequestName, RequestValue } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { EngineCommandName, EngineCommands } from '../engine/protocol';
import type { EngineClient } from './engine-client';

/** Names whose engine command takes the contract's arguments and answers the contract's value. */
type Forwardable = {
  [K in RequestName & EngineCommandName]: [RequestArgs<K>] extends [EngineCommands[K]['args']]
    ? [EngineCommands[K]['value']] extends [RequestValue<K>]
      ? K
      : never
    : never;
}[RequestName & EngineCommandName];

export const FORWARDED_REQUESTS = [
  'train:pause',
  'train:resume',
  'job:cancel',
  'train:set-learning-rate',
  'runs:list',
  'runs:update',
  'runs:get-histories',
  'latent:get-points',
  'latent:get-epoch',
  'latent:project',
  'latent:export',
  'latent:get-scores',
  'latent:place-images',
  'latent:list-bookmarks',
  'latent:save-bookmark',
  'latent:delete-bookmark',
  'gallery:reconstructions',
  'gallery:reconstruct-points',
  'gallery:sample',
  'gallery:interpolate',
  'gallery:traverse',
  'gallery:decode-at',
  'gallery:decode',
  'gallery:decode-grid',
  'gallery:export',
  'gallery:export-points',
  'model:export',
] as const satisfies readonly Forwardable[];

export type ForwardedRequest = (typeof FORWARDED_REQUESTS)[number];

/** A forwarded request's handler, typed by the engine's side of its command. */
type Forwarder<K extends ForwardedRequest> = (
  args: EngineCommands[K]['args'],
) => Promise<Result<EngineCommands[K]['value']>>;

/** One handler per forwarded name; `createHandlers` checks each against the contract's `Handlers`. */
export type ForwardingHandlers = { [K in ForwardedRequest]: Forwarder<K> };

// `into` is mapped over K itself so that `into[name]` is `Forwarder<K>` for this one name, not the
// intersection of every forwarder that a write through a union-typed key would demand.
function addForwarder<K extends ForwardedRequest>(
  into: { [P in K]?: Forwarder<P> },
  engine: EngineClient,
  name: K,
): void {
  into[name] = async (args) => engine.request(name, args);
}

function isComplete(handlers: Partial<ForwardingHandlers>): handlers is ForwardingHandlers {
  return FORWARDED_REQUESTS.every((name) => typeof handlers[name] === 'function');
}

export function createForwardingHandlers(engine: EngineClient): ForwardingHandlers {
  const handlers: Partial<ForwardingHandlers> = {};
  for (const name of FORWARDED_REQUESTS) addForwarder(handlers, engine, name);
  // Always true (every listed name was just added): the check lets the compiler see it too.
  if (!isComplete(handlers)) throw new Error('A forwarded request has no handler.');
  return handlers;
}
