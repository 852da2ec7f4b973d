import { rename, rm, writeFile } from 'node:fs/promises';

let counter = 0;

/**
 * Writes a file so that readers see either the old content or the new one, never half of it:
 * the data goes to a temporary name beside the target, which is then renamed over it (atomic on
 * one file system). Readers match exact names, so a temporary left by a killed process is never
 * taken for data.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${counter++}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    // A failed write (a full disk) should not leave its temporary behind.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
