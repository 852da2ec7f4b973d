/**
 * Writing the data folder safely, and saying in plain words why a write failed.
 *
 * Every file another part of the app reads later is written under a temporary name beside the
 * target and renamed over it (atomic on one file system), so readers see the old content or the
 * new, never half. Temporary names are unique per write (process, counter, random bytes): two
 * writes of the same file at once (the same export asked for twice) each keep their own, and a
 * leftover of a killed process is never taken for data, since readers match exact names.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

let counter = 0;

/** Unique within this machine's data folder: for temporary files and `.partial-*` folders alike. */
export function uniqueSuffix(): string {
  return `${process.pid}-${(counter++).toString(36)}-${randomBytes(4).toString('hex')}`;
}

function tempName(file: string): string {
  return `${file}.${uniqueSuffix()}.tmp`;
}

/** Errors thrown while writing, so a refused `open` is told apart from a refused read. */
const failedWrites = new WeakSet<Error>();

/** Runs `work`, remembering whatever it throws as a failed write (see `writeFailureMessage`). */
export async function whileWriting<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error) failedWrites.add(error);
    throw error;
  }
}

/** Writes `temp` with `write`, then renames it to `file`; a failure removes the temporary. */
async function replaceWith(file: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = tempName(file);
  try {
    await whileWriting(async () => {
      await write(temp);
      await rename(temp, file);
    });
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await replaceWith(file, (temp) => writeFile(temp, data));
}

/**
 * Streams `lines` (with their own line ends) to `file` atomically, with back-pressure, so an
 * export of hundreds of megabytes is never whole in memory. Returns the file's size.
 */
export async function writeLinesAtomic(file: string, lines: Iterable<string>): Promise<number> {
  await replaceWith(file, (temp) => pipeline(Readable.from(lines), createWriteStream(temp)));
  return (await stat(file)).size;
}

const DISK_FULL = 'The data folder is full: free some space on its disk, then try again.';
const READ_ONLY =
  'The data folder is read-only: Latent Studio cannot save there. Make it writable, then try again.';

/** System calls that change the file system: a permission error from one means "cannot write". */
const WRITING_CALLS = new Set([
  'mkdir',
  'rename',
  'write',
  'unlink',
  'rmdir',
  'rm',
  'copyfile',
  'symlink',
  'link',
  'ftruncate',
  'utime',
  'chmod',
]);

/**
 * The plain-words reason for a write that failed because the disk is full or the folder cannot be
 * written, or null for any other error. A permission error counts only from a call that writes,
 * or from inside `whileWriting` (an `open` may be for reading: a refused read is another problem).
 */
export function writeFailureMessage(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (code === 'ENOSPC' || code === 'EDQUOT') return DISK_FULL;
  if (code === 'EROFS') return READ_ONLY;
  const isWrite = failedWrites.has(error) || (syscall !== undefined && WRITING_CALLS.has(syscall));
  if ((code === 'EACCES' || code === 'EPERM') && isWrite) return READ_ONLY;
  return null;
}
