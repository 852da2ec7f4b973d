/**
 * The single entrance for requests from any host: checks the channel, parses the payload with its
 * schema, and only then calls the handler. Refusals never echo what the caller sent.
 */
import type { z } from 'zod';
import { isRequestName } from '../../shared/channels';
import type { RequestName } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import { requestSchemas } from '../../shared/schemas';
import type { Handlers } from './handlers';

/** Names the failing fields by their schema paths and the kind of problem, not by their values. */
function describeIssues(issues: z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unexpected field(s)`;
    const where = issue.path.length ? issue.path.join('.') : 'arguments';
    return `${where}: ${issue.code.replace(/_/g, ' ')}`;
  });
  return parts.join('; ');
}

export type Dispatch = (name: unknown, args: unknown) => Promise<Result<unknown>>;

export function createDispatch(handlers: Handlers, log: (message: string) => void = console.error): Dispatch {
  return async (name, args) => {
    if (!isRequestName(name)) return fail('UNKNOWN_CHANNEL', 'Unknown request.');
    const parsed = requestSchemas[name].safeParse(args);
    if (!parsed.success) {
      return fail(
        'INVALID_PAYLOAD',
        `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}.`,
      );
    }
    try {
      const handler = handlers[name] as (a: unknown) => Promise<Result<unknown>>;
      return await handler(parsed.data);
    } catch (error) {
      log(
        `[latent-studio] ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return fail('INTERNAL', 'Something went wrong inside Latent Studio; the details are in its log.');
    }
  };
}

export type { RequestName };
