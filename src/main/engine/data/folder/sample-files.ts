/**
 * Finding a few image files in a folder without listing all of it: the preview shows some from
 * each class, and the format suggestion looks at a sample spread over the classes. Both must stay
 * quick on a folder of a million files, so every search is capped by entries looked at.
 */
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { isImageFileName } from './image-extensions';

/** Directory entries looked at per class before giving up on finding images. */
export const MAX_ENTRIES_PER_CLASS = 500;

/** The class folders (first-level sub-folders, hidden ones left out), sorted by name. */
export async function classFolderNames(folder: string): Promise<string[]> {
  const classes: string[] = [];
  for await (const entry of await opendir(folder)) {
    if (!entry.name.startsWith('.') && entry.isDirectory()) classes.push(entry.name);
  }
  return classes.sort();
}

/** Image files under `directory` (breadth-first, hidden entries and symlinks ignored), at most `limit`. */
export async function findImages(
  directory: string,
  limit: number,
  maxEntries: number,
  recurse: boolean,
): Promise<string[]> {
  const found: string[] = [];
  const queue = [directory];
  let seen = 0;
  while (queue.length > 0 && found.length < limit && seen < maxEntries) {
    const current = queue.shift()!;
    let dir;
    try {
      dir = await opendir(current);
    } catch {
      continue;
    }
    const subdirectories: string[] = [];
    for await (const entry of dir) {
      if (++seen > maxEntries || found.length >= limit) break;
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isFile() && isImageFileName(entry.name)) found.push(full);
      else if (recurse && entry.isDirectory()) subdirectories.push(full);
    }
    queue.push(...subdirectories.sort());
  }
  return found.sort().slice(0, limit);
}

/**
 * Up to `limit` image files spread over the folder: an equal share from each class (from `limit`
 * classes evenly spaced when there are more), and from the loose images beside them, so one
 * large class cannot stand for the whole folder.
 */
export async function spreadSample(folder: string, limit: number): Promise<string[]> {
  const classes = (await classFolderNames(folder)).map((name) => path.join(folder, name));
  // Loose images directly in the folder are a group of their own, counted only when there are some.
  const loose = await findImages(folder, limit, MAX_ENTRIES_PER_CLASS, false);
  const groups: (string | null)[] = loose.length > 0 ? [...classes, null] : classes;
  const picked =
    groups.length <= limit
      ? groups
      : Array.from({ length: limit }, (_, k) => groups[Math.floor((k * groups.length) / limit)]!);
  const share = Math.max(1, Math.floor(limit / picked.length));
  const files: string[] = [];
  for (const group of picked) {
    files.push(
      ...(group === null
        ? loose.slice(0, share)
        : await findImages(group, share, MAX_ENTRIES_PER_CLASS, true)),
    );
  }
  return files.slice(0, limit);
}
