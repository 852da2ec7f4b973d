/**
 * The request channel names as runtime values (the preload, ipc registration and the router need
 * them), taken from the keys of the schema table: that table `satisfies` one entry per request of
 * the contract, so the names cannot drift from `Requests` and there is no second list to keep.
 * Event names live in `event-names.ts`, apart from zod, so the renderer can check them without
 * bundling the schemas.
 */
import type { RequestName } from './contract';
import { requestSchemas } from './schemas';

export function isRequestName(value: unknown): value is RequestName {
  // Own keys only: `__proto__`, `constructor` and the like are never channels.
  return typeof value === 'string' && Object.hasOwn(requestSchemas, value);
}

export const REQUEST_NAMES: RequestName[] = Object.keys(requestSchemas).filter(isRequestName);
