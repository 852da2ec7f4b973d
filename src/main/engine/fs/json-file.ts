import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/**
 * A JSON file the engine wrote, checked against its schema: null when it is missing, unreadable,
 * not JSON or not of that shape (the callers then rebuild it, or go without).
 */
export async function readJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<z.output<S> | null> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A file of the user's words checked against its schema, telling a missing file (nothing to keep)
 * from a damaged one (unreadable, not JSON, not of that shape), which is set aside before the next
 * write rather than lost.
 */
export async function readKeptJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<{ data: z.output<S> } | { data: null; damaged: boolean }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { data: null, damaged: (error as NodeJS.ErrnoException).code !== 'ENOENT' };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { data: parsed.data } : { data: null, damaged: true };
}
