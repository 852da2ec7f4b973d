/** The envelope every request answers with, across every process boundary. */

export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'ENGINE_UNAVAILABLE',
  'JOB_NOT_FOUND',
  'NOT_FOUND',
  'PATH_REFUSED',
  'UNSUPPORTED',
  'CHECKPOINT_CORRUPT',
  'BUSY',
  /** An upload, or the uploads area, would pass its size cap. */
  'TOO_LARGE',
  /** Nothing usable was given (an upload with no images). */
  'EMPTY',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, code, message };
}
