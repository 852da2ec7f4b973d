/** Command-line options of a bench: every one a string, with its default (undefined: none). */
import { parseArgs } from 'node:util';

type Values<D> = { [K in keyof D]: D[K] extends string ? string : string | undefined };

/** Parses `--name value` options after the bench's name; `defaults` lists every option a bench takes. */
export function benchOptions<D extends Record<string, string | undefined>>(defaults: D): Values<D> {
  const options = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [
      name,
      value === undefined ? { type: 'string' as const } : { type: 'string' as const, default: value },
    ]),
  );
  return parseArgs({ args: process.argv.slice(2), options }).values as Values<D>;
}
