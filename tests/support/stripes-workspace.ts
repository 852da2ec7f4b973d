/** A temporary folder for a command-line test: a striped image folder, and where its cache and run go. */
import path from 'node:path';
import { makeTempDir, RED_AND_BLUE_STRIPES, type Rgb, writeStripesFolder } from './image-fixtures';

export async function stripesWorkspace(
  prefix: string,
  perClass: number,
  classes: Readonly<Record<string, readonly Rgb[]>> = RED_AND_BLUE_STRIPES,
  folderName = 'stripes',
) {
  const dir = await makeTempDir(prefix);
  const data = path.join(dir, folderName);
  await writeStripesFolder(data, classes, perClass);
  return { dir, data, cache: path.join(dir, 'cache'), run: path.join(dir, 'run') };
}
