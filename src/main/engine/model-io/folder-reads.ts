/**
 * Reading files of a folder the user chose to import from, without being led out of it: links are
 * resolved and must stay inside, only regular files are opened, and nothing blocks on a FIFO.
 */
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ModelFileError } from './model-json';

/** Whether a file's real path lies within the folder's real path (links resolved on both sides). */
function isInside(realFolder: string, realFile: string): boolean {
  const relative = path.relative(realFolder, realFile);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

/** The folder as it really is on disk, so links inside it are judged against its real path. */
export async function realFolderOf(folder: string): Promise<string> {
  try {
    return await realpath(folder);
  } catch {
    throw new ModelFileError('The chosen folder cannot be read.', 'INVALID_PAYLOAD');
  }
}

/**
 * Opens `name` in the folder for reading, or null when there is none. A link may lead elsewhere in
 * the folder but not out of it (the folder is what the user chose to share); the file's type and
 * size come from the opened handle, so what is checked is what is read. Non-blocking, so a FIFO
 * planted as model.json is refused instead of hanging the engine on open.
 */
export async function openInside(
  realFolder: string,
  name: string,
): Promise<{ handle: FileHandle; bytes: number } | null> {
  let real: string;
  try {
    real = await realpath(path.join(realFolder, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ModelFileError(`${name} cannot be read.`, 'INVALID_PAYLOAD');
  }
  // Never the target's path: it is outside what the user chose to share.
  if (!isInside(realFolder, real)) {
    throw new ModelFileError(
      `${name} is a link to a file outside the chosen folder: copy the model's files into the folder itself.`,
      'INVALID_PAYLOAD',
    );
  }
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    throw new ModelFileError(`${name} cannot be read.`, 'INVALID_PAYLOAD');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ModelFileError(`${name} is not a regular file.`, 'INVALID_PAYLOAD');
    return { handle, bytes: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A weights path is a file name next to model.json, never a way to another folder. */
export function isPlainFileName(name: string): boolean {
  return name !== '.' && name !== '..' && !/[/\\:\0]/.test(name);
}
