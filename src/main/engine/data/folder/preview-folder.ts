/**
 * A quick look at a folder before the full scan: up to a few images from each of the first class
 * folders, decoded with the chosen preprocessing, so the user sees what the options do without
 * waiting for every file.
 */
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import type { Preprocessing, SampleTiles } from '../../../../shared/dataset-types';
import { decodeImage, DecodeError } from './decode-image';
import { UNLABELLED } from './folder-dataset';
import { isImageFileName } from './image-extensions';

export interface PreviewOptions {
  /** Images per class. Default 3. */
  perClass?: number;
  /** Classes shown. Default 8. */
  maxClasses?: number;
  /** Directory entries looked at per class before giving up on finding images. Default 500. */
  maxEntriesPerClass?: number;
}

export interface FolderPreview {
  samples: SampleTiles[];
  classNames: string[];
  skipped: number;
}

/** Image files under `directory` (breadth-first, hidden entries and symlinks ignored), at most `limit`. */
async function findImages(
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

export async function previewFolder(
  folder: string,
  preprocessing: Preprocessing,
  options: PreviewOptions = {},
): Promise<FolderPreview> {
  const perClass = options.perClass ?? 3;
  const maxEntries = options.maxEntriesPerClass ?? 500;
  const classes: string[] = [];
  const top = await opendir(folder);
  for await (const entry of top) {
    if (!entry.name.startsWith('.') && entry.isDirectory()) classes.push(entry.name);
  }
  classes.sort();
  const groups: { name: string; files: string[] }[] = [];
  for (const name of classes.slice(0, options.maxClasses ?? 8)) {
    const files = await findImages(path.join(folder, name), perClass, maxEntries, true);
    if (files.length > 0) groups.push({ name, files });
  }
  const loose = await findImages(folder, perClass, maxEntries, false);
  if (loose.length > 0) groups.push({ name: UNLABELLED, files: loose });

  const bytes = preprocessing.size * preprocessing.size * (preprocessing.channels === 'rgb' ? 3 : 1);
  let skipped = 0;
  const samples: SampleTiles[] = [];
  for (const [label, group] of groups.entries()) {
    const decoded: Uint8Array[] = [];
    for (const file of group.files) {
      try {
        decoded.push(await decodeImage(file, preprocessing));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        skipped++;
      }
    }
    const pixels = new Uint8Array(decoded.length * bytes);
    decoded.forEach((tile, k) => pixels.set(tile, k * bytes));
    if (decoded.length > 0) samples.push({ label, pixels, count: decoded.length });
  }
  return { samples, classNames: groups.map((g) => g.name), skipped };
}
