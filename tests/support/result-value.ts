/** The value of a `Result` the test expects to succeed, so a failure reads as its message. */
import { expect } from 'vitest';
import type { Result } from '../../src/shared/result';

/** Asserts `{ ok: true }` (the failure shows the whole result), then returns its value. */
export function okValue<T>(result: Result<unknown>): T {
  expect(result).toMatchObject({ ok: true });
  if (!result.ok) throw new Error(result.message);
  return result.value as T;
}

/** The value of a store call; throws with the error code when it failed. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}
