/**
 * A quick look at a folder before the full scan: up to a few images from each of the first class
 * folders, decoded with the chosen preprocessing, so the user sees what the options do without
 * waiting for every file; and the format the folder's images suggest (suggest-format.ts).
 */
import path from 'node:path';
import type { Preprocessing, SampleTiles, SuggestedFormat } from '../../../../shared/dataset-types';
import { decodeImage, DecodeError } from './decode-image';
import { UNLABELLED } from './folder-dataset';
import { MAX_ENTRIES_PER_CLASS, classFolderNames, findImages } from './sample-files';
import { suggestFormat } from './suggest-format';

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
  /** The format the folder's own images suggest; null when none of its sample decoded. */
  suggested: SuggestedFormat | null;
}

export async function previewFolder(
  folder: string,
  preprocessing: Preprocessing,
  options: PreviewOptions = {},
): Promise<FolderPreview> {
  const perClass = options.perClass ?? 3;
  const maxEntries = options.maxEntriesPerClass ?? MAX_ENTRIES_PER_CLASS;
  const classes = await classFolderNames(folder);
  // It does not depend on the preprocessing, but costs little beside the decoding below, and
  // answering with every preview keeps the request stateless.
  const suggestion = suggestFormat(folder);
  // Settled later, but a rejection must not go unhandled while the tiles decode.
  suggestion.catch(() => undefined);
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
  return { samples, classNames: groups.map((g) => g.name), skipped, suggested: await suggestion };
}
