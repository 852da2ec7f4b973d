/**
 * The folders the browser host offers when it is started without `--data-root` (as `npm start`
 * does): the user's Pictures folder, and the folder it was started in when that holds images.
 * Checking a folder for images is bounded, so starting in a huge folder stays instant.
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FolderRootOrigin } from '../../shared/dataset-types';
import { isImageFileName } from '../../shared/image-extensions';

export interface DataRootSpec {
  folder: string;
  origin?: FolderRootOrigin;
  /** How to name the folder to the user (`~/Pictures`). */
  shownAs?: string;
}

export interface DefaultRoot extends DataRootSpec {
  origin: FolderRootOrigin;
  shownAs: string;
  /** Why it is offered, for the host's start-up message. */
  why: string;
}

/** Directory entries read per folder, and subfolders looked into, before giving up. */
const ENTRIES_PER_FOLDER = 1_000;
const SUBFOLDERS_LOOKED_INTO = 50;

async function realDirectory(folder: string): Promise<string | null> {
  try {
    const real = await realpath(folder);
    return (await stat(real)).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** Whether `folder` has an image file at its top or in one of its immediate (visible) subfolders. */
export async function hasImagesNearTop(folder: string): Promise<boolean> {
  const subfolders: string[] = [];
  const scan = async (directory: string, collect: boolean): Promise<boolean> => {
    let seen = 0;
    try {
      for await (const entry of await opendir(directory)) {
        if (++seen > ENTRIES_PER_FOLDER) break;
        if (entry.name.startsWith('.')) continue;
        if (entry.isFile() && isImageFileName(entry.name)) return true;
        if (collect && entry.isDirectory() && subfolders.length < SUBFOLDERS_LOOKED_INTO)
          subfolders.push(path.join(directory, entry.name));
      }
    } catch {
      // An unreadable folder simply has no images to offer.
    }
    return false;
  };
  if (await scan(folder, true)) return true;
  for (const sub of subfolders) if (await scan(sub, false)) return true;
  return false;
}

/** `~/…` for folders under the home folder; the full path otherwise. */
export function shownPath(folder: string, home: string): string {
  const relative = path.relative(home, folder);
  if (relative === '') return '~';
  return relative.startsWith('..') || path.isAbsolute(relative) ? folder : `~${path.sep}${relative}`;
}

function isInsideOrSame(folder: string, parent: string): boolean {
  const relative = path.relative(parent, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The default roots, in the order offered. The current folder is left out when it is the home
 * folder or above it (offering all of a home folder is more than the user asked for) and when
 * it lies inside Pictures (already offered) or inside the app's own folder (`npm start` runs there,
 * and its docs and test results hold images that are not the user's).
 */
export async function defaultDataRoots({
  home,
  cwd,
  appFolder,
}: {
  home: string;
  cwd: string;
  appFolder?: string;
}): Promise<DefaultRoot[]> {
  const roots: DefaultRoot[] = [];
  const realHome = (await realDirectory(home)) ?? path.resolve(home);
  const pictures = await realDirectory(path.join(home, 'Pictures'));
  if (pictures) {
    roots.push({
      folder: pictures,
      origin: 'pictures',
      shownAs: shownPath(path.join(home, 'Pictures'), home),
      why: 'your Pictures folder',
    });
  }
  const current = await realDirectory(cwd);
  if (
    current &&
    !isInsideOrSame(realHome, current) &&
    !(pictures && isInsideOrSame(current, pictures)) &&
    !(appFolder && isInsideOrSame(current, (await realDirectory(appFolder)) ?? path.resolve(appFolder))) &&
    (await hasImagesNearTop(current))
  ) {
    roots.push({
      folder: current,
      origin: 'current-folder',
      shownAs: shownPath(current, realHome),
      why: 'the folder the host was started in has images',
    });
  }
  return roots;
}
