/**
 * Option parsing shared by the commands: node:util's parseArgs in strict mode (an unknown or
 * misspelled option is an error, never silently ignored), and value checks that name the option
 * and its accepted range, so every bad command line ends with exit code 2 and a useful message.
 */
import { parseArgs } from 'node:util';
import type { SettingLimit } from '../shared/train-limits';
import { usageError } from './exit-codes';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/** Options that each take a value, e.g. `stringOptions('out', 'seed')` for `--out X --seed N`. */
export function stringOptions(...names: string[]): Record<string, OptionSpec> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' } as const]));
}

export function parseOptions(argv: string[], options: Record<string, OptionSpec>): OptionValues {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values as OptionValues;
  } catch (error) {
    throw usageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

export function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

export function required(values: OptionValues, name: string): string {
  const value = text(values, name);
  if (value === undefined || value === '') throw usageError(`--${name} is required`);
  return value;
}

/** A number within `limit`, or `fallback` when the option was not given. */
export function numberOption(
  values: OptionValues,
  name: string,
  limit: SettingLimit,
  fallback: number,
): number {
  const raw = text(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const tooLow = limit.minExclusive ? value <= limit.min : value < limit.min;
  if (raw.trim() === '' || !Number.isFinite(value) || tooLow || value > limit.max) {
    const lowest = limit.minExclusive ? `above ${limit.min}` : `from ${limit.min}`;
    throw usageError(`--${name} must be a number ${lowest} up to ${limit.max} (got "${raw}")`);
  }
  if (limit.integer && !Number.isInteger(value)) {
    throw usageError(`--${name} must be a whole number (got "${raw}")`);
  }
  return value;
}

/** One of `choices` (aliases map extra spellings onto them), or `fallback` when not given. */
export function choiceOption<C extends string>(
  values: OptionValues,
  name: string,
  choices: readonly C[],
  fallback: C,
  aliases: Record<string, C> = {},
): C {
  const raw = text(values, name);
  if (raw === undefined) return fallback;
  const found = choices.find((c) => c === raw) ?? aliases[raw];
  if (!found) throw usageError(`--${name} must be one of ${choices.join(', ')} (got "${raw}")`);
  return found;
}
