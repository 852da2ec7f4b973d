/**
 * The single entrance for requests from any host: checks the channel, parses the payload with its
 * schema, and only then calls the handler. Refusals never echo what the caller sent.
 */
import type { z } from 'zod';
import { isRequestName } from '../../shared/channels';
import type { RequestArgs, RequestName } from '../../shared/contract';
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

/**
 * The schema table seen name by name: indexed with a generic name, this view gives that request's
 * own argument type, which the table's precise `satisfies` type cannot.
 */
const schemaOf: { [K in RequestName]: z.ZodType<RequestArgs<K>> } = requestSchemas;

/** Parses for one request and runs its handler, typed by that request alone. */
async function handle<K extends RequestName>(
  handlers: Handlers,
  name: K,
  args: unknown,
  log: (message: string) => void,
): Promise<Result<unknown>> {
  const parsed = schemaOf[name].safeParse(args);
  if (!parsed.success) {
    return fail('INVALID_PAYLOAD', `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}.`);
  }
  try {
    return await handlers[name](parsed.data);
  } catch (error) {
    log(
      `[latent-studio] ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return fail('INTERNAL', 'Something went wrong inside Latent Studio; the details are in its log.');
  }
}

export function createDispatch(handlers: Handlers, log: (message: string) => void = console.error): Dispatch {
  return async (name, args) => {
    if (!isRequestName(name)) return fail('UNKNOWN_CHANNEL', 'Unknown request.');
    return handle(handlers, name, args, log);
  };
}

export type { RequestName };
