/** A temporary folder around a group of tests, made and removed by hooks instead of by each file. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { makeTempDir, removeTempDir } from './image-fixtures';

/**
 * Registers hooks that make a temporary folder (`makeTempDir(prefix)`) before the tests of the file
 * or `describe` block that calls this (afresh before each test with `each`), and remove it after
 * them. Call it before the hooks that fill the folder: before-hooks run in the order they were
 * registered, after-hooks in the reverse one, so the folder outlives whatever uses it. The returned
 * function gives the folder's path once it exists.
 */
export function tempFolder(prefix: string, { each = false } = {}): () => string {
  let dir: string | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    dir = await makeTempDir(prefix);
  });
  (each ? afterEach : afterAll)(async () => {
    if (dir !== undefined) await removeTempDir(dir);
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error(`the ${prefix} folder exists only inside its tests and hooks`);
    return dir;
  };
}
