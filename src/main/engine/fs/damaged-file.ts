import { access, rename } from 'node:fs/promises';
import path from 'node:path';
import { whileWriting } from './atomic-write';

/**
 * Keeps a damaged `name` (e.g. `bookmarks.json`) of the folder as `bookmarks.damaged-<time>.json`
 * before a fresh one replaces it: readers match the exact name, so it is never read again, and the
 * user's words in it are not lost. Never over an earlier damaged file; a file gone meanwhile is
 * nothing to keep.
 */
export async function setAsideDamaged(directory: string, name: string, now: Date): Promise<void> {
  const { name: stem, ext } = path.parse(name);
  const stamp = now.toISOString().replaceAll(':', '-');
  let target = path.join(directory, `${stem}.damaged-${stamp}${ext}`);
  // Two within one millisecond, or a clock set back.
  for (let n = 2; await exists(target); n++) {
    target = path.join(directory, `${stem}.damaged-${stamp}-${n}${ext}`);
  }
  await whileWriting(() => rename(path.join(directory, name), target)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
