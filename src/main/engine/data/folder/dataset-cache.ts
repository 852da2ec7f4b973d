/**
 * The decoded-pixel cache of a folder dataset: one binary file of uint8 pixels plus an index,
 * under `<cache>/datasets/<key>/`, the key being a hash of the folder and the preprocessing.
 * Writes never leave a broken cache: pixels go to a new generation file, the index (which names
 * that file) is written to a temporary name and renamed into place last, and only then are older
 * generations deleted. A reader therefore sees either the old cache or the new one, whole.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { uniqueSuffix, writeFileAtomic } from '../../fs/atomic-write';
import type { Preprocessing, SkippedFile } from '../../../../shared/dataset-types';
import { readJsonFile } from '../../fs/json-file';

const CACHE_VERSION = 1;

const entrySchema = z.object({
  path: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  label: z.string().nullable(),
});
const skippedEntrySchema = z.object({
  path: z.string(),
  reason: z.string(),
  /** Size and mtime of a file that failed to decode, so an unchanged bad file is not retried. */
  size: z.number().optional(),
  mtimeMs: z.number().optional(),
});
const indexSchema = z.object({
  version: z.literal(CACHE_VERSION),
  root: z.string(),
  preprocessing: z.object({
    size: z.number(),
    channels: z.string(),
    fit: z.string(),
    background: z.string(),
  }),
  fingerprint: z.string(),
  pixelsFile: z.string().regex(/^pixels-[0-9a-z-]+\.bin$/),
  bytesPerImage: z.number().int().positive(),
  entries: z.array(entrySchema),
  skipped: z.array(skippedEntrySchema),
});

export type CacheEntry = z.infer<typeof entrySchema>;
export type CachedSkip = z.infer<typeof skippedEntrySchema>;
export type CacheIndex = z.infer<typeof indexSchema>;

export interface CachedDataset {
  index: CacheIndex;
  /** entries.length × bytesPerImage bytes, in entry order. */
  pixels: Uint8Array;
  bytes: number;
}

export function cacheKey(root: string, preprocessing: Preprocessing): string {
  return createHash('sha256')
    .update(`${CACHE_VERSION}\0${root}\0${JSON.stringify(preprocessing)}`)
    .digest('hex')
    .slice(0, 24);
}

/** Identifies the folder's contents by relative path, size and modification time of every file. */
export function folderFingerprint(files: readonly { path: string; size: number; mtimeMs: number }[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.size}\0${file.mtimeMs}\n`);
  return hash.digest('hex');
}

export class DatasetCache {
  readonly directory: string;

  constructor(cacheRoot: string, key: string) {
    this.directory = path.join(cacheRoot, 'datasets', key);
  }

  /** The cached dataset, or null when there is none or it is unreadable (then it is rebuilt). */
  async read(): Promise<CachedDataset | null> {
    try {
      const index = await readJsonFile(path.join(this.directory, 'index.json'), indexSchema);
      if (!index) return null;
      const file = path.join(this.directory, index.pixelsFile);
      const expected = index.entries.length * index.bytesPerImage;
      if ((await stat(file)).size !== expected) return null;
      const pixels = new Uint8Array(expected);
      const handle = await open(file, 'r');
      try {
        let offset = 0;
        while (offset < expected) {
          const { bytesRead } = await handle.read(
            pixels,
            offset,
            Math.min(expected - offset, 64 << 20),
            offset,
          );
          if (bytesRead === 0) return null;
          offset += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return { index, pixels, bytes: expected };
    } catch {
      return null;
    }
  }

  async write(index: Omit<CacheIndex, 'pixelsFile' | 'version'>, pixels: Uint8Array): Promise<number> {
    await mkdir(this.directory, { recursive: true });
    // Unique even for two writes of one folder at once (two tabs opening it).
    const generation = uniqueSuffix();
    const pixelsFile = `pixels-${generation}.bin`;
    await writeFile(path.join(this.directory, pixelsFile), pixels);
    const full: CacheIndex = { version: CACHE_VERSION, pixelsFile, ...index };
    await writeFileAtomic(path.join(this.directory, 'index.json'), JSON.stringify(full));
    await this.removeStale(pixelsFile);
    return pixels.byteLength;
  }

  /** Older generations and leftovers of interrupted writes. */
  private async removeStale(current: string): Promise<void> {
    for (const name of await readdir(this.directory)) {
      if (name !== current && name !== 'index.json')
        await rm(path.join(this.directory, name), { force: true });
    }
  }
}

export type { SkippedFile };
