import { readdir, rm, unlink, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetCache, cacheKey } from '../../src/main/engine/data/folder/dataset-cache';
import {
  NoImagesError,
  openFolderDataset,
  UNLABELLED,
} from '../../src/main/engine/data/folder/folder-dataset';
import { BLUE, GREEN, makeTempDir, RED, RGB_32, solid, writeManyFiles } from '../support/image-fixtures';
import { tempFolder } from '../support/temp-folder';

const base = tempFolder('folder');
let folder: string;
let cacheRoot: string;

beforeAll(async () => {
  folder = path.join(base(), 'pets');
  cacheRoot = path.join(base(), 'cache');
  await mkdir(path.join(folder, 'cats'), { recursive: true });
  await mkdir(path.join(folder, 'dogs'), { recursive: true });
  for (let i = 0; i < 3; i++) {
    await solid(40, 30, RED)
      .png()
      .toFile(path.join(folder, 'cats', `cat-${i}.png`));
    await solid(50, 50, BLUE)
      .jpeg()
      .toFile(path.join(folder, 'dogs', `dog-${i}.jpg`));
  }
  await solid(20, 20, GREEN).webp().toFile(path.join(folder, 'loose.webp'));
  await writeFile(path.join(folder, 'cats', 'text.png'), 'not really a png');
  const jpeg = await solid(64, 64, BLUE).jpeg().toBuffer();
  await writeFile(path.join(folder, 'dogs', 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  await writeFile(path.join(folder, 'dogs', 'notes.txt'), 'hello');
});

const open = (preprocessing = RGB_32, signal?: AbortSignal) =>
  openFolderDataset({ folder, preprocessing, cacheRoot, signal, concurrency: 3 });

function pixelOf(set: { pixels: Uint8Array; size: number; channels: number }, index: number): number[] {
  const start = index * set.size * set.size * set.channels;
  return Array.from(set.pixels.subarray(start, start + set.channels));
}

describe('opening an image folder', () => {
  it('decodes every good image, labels them by sub-folder and lists every bad file with its reason', async () => {
    const opened = await open();
    expect(opened.fromCache).toBe(false);
    expect(opened.set.count).toBe(7);
    expect(opened.set.classNames).toEqual(['cats', 'dogs', UNLABELLED]);
    expect(Array.from(opened.set.labels)).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(opened.paths[0]).toBe('cats/cat-0.png');
    expect(opened.skipped).toEqual([
      { path: 'cats/text.png', reason: 'not a readable image (unsupported or mislabelled format)' },
      { path: 'dogs/cut.jpg', reason: 'truncated or corrupt image' },
      { path: 'dogs/notes.txt', reason: 'unsupported file type (.txt)' },
    ]);
    expect(pixelOf(opened.set, 0)).toEqual([255, 0, 0]);
    const blue = pixelOf(opened.set, 3);
    expect(blue[2]).toBeGreaterThan(240);
    expect(blue[0]).toBeLessThan(15);
    expect(opened.set.pixels.length).toBe(7 * 32 * 32 * 3);
  });

  it('reopens an unchanged folder from the cache without decoding anything', async () => {
    const first = await open();
    const again = await open();
    expect(again).toMatchObject({ fromCache: true, decoded: 0 });
    expect(again.set.count).toBe(first.set.count);
    expect(Buffer.compare(Buffer.from(again.set.pixels), Buffer.from(first.set.pixels))).toBe(0);
    expect(again.skipped).toEqual(first.skipped);
    const files = await readdir(new DatasetCache(cacheRoot, cacheKey(folder, RGB_32)).directory);
    expect(files.filter((f) => f.startsWith('pixels-')).length).toBe(1);
    expect(files).toContain('index.json');
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('rescans a changed folder incrementally: only new or changed files are decoded', async () => {
    await solid(30, 30, GREEN)
      .png()
      .toFile(path.join(folder, 'cats', 'cat-new.png'));
    await unlink(path.join(folder, 'dogs', 'dog-2.jpg'));
    const changed = await open();
    // One new file; the bad files did not change, so they were not tried again.
    expect(changed).toMatchObject({ fromCache: false, decoded: 1 });
    expect(changed.set.count).toBe(7);
    expect(changed.paths).toContain('cats/cat-new.png');
    expect(changed.paths).not.toContain('dogs/dog-2.jpg');
    expect(pixelOf(changed.set, changed.paths.indexOf('cats/cat-new.png'))).toEqual([0, 255, 0]);
    expect(changed.skipped.map((s) => s.path)).toEqual(['cats/text.png', 'dogs/cut.jpg', 'dogs/notes.txt']);
  });

  it('keeps a separate cache per preprocessing', async () => {
    const gray = await open({ size: 28, channels: 'grayscale', fit: 'contain', background: '#ffffff' });
    expect(gray.fromCache).toBe(false);
    expect(gray.set.channels).toBe(1);
    expect(gray.set.pixels.length).toBe(gray.set.count * 28 * 28);
  });

  it('rebuilds a damaged cache instead of failing', async () => {
    const directory = new DatasetCache(cacheRoot, cacheKey(folder, RGB_32)).directory;
    await writeFile(path.join(directory, 'index.json'), '{"version": 1, "trunc');
    const rebuilt = await open();
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.set.count).toBe(7);
    expect((await open()).fromCache).toBe(true);
  });

  it('says clearly when a folder has no usable image', async () => {
    const empty = path.join(base(), 'empty');
    await mkdir(empty);
    await expect(openFolderDataset({ folder: empty, preprocessing: RGB_32, cacheRoot })).rejects.toThrow(
      /no image files/,
    );
    const bad = path.join(base(), 'bad');
    await mkdir(bad);
    await writeFile(path.join(bad, 'a.png'), 'nope');
    const error = await openFolderDataset({ folder: bad, preprocessing: RGB_32, cacheRoot }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoImagesError);
    expect((error as NoImagesError).message).toMatch(/None of the 1 image files/);
    expect((error as NoImagesError).skipped).toHaveLength(1);
  });

  it('stops promptly when cancelled, and the next open decodes only what is left', async () => {
    const many = path.join(base(), 'many');
    await writeManyFiles(many, 4, 400);
    const controller = new AbortController();
    const opening = openFolderDataset({
      folder: many,
      preprocessing: RGB_32,
      cacheRoot,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'decoding' && p.imagesAccepted >= 20) controller.abort();
      },
    });
    await expect(opening).rejects.toMatchObject({ name: 'AbortError' });
    // What was decoded is kept, marked partial so it is never taken for the whole folder.
    const cache = new DatasetCache(cacheRoot, cacheKey(many, RGB_32));
    const partial = await cache.read();
    expect(partial?.index.fingerprint).toMatch(/^partial:/);
    const kept = partial!.index.entries.length;
    expect(kept).toBeGreaterThanOrEqual(20);
    expect(kept).toBeLessThan(1_600);

    const resumed = await openFolderDataset({ folder: many, preprocessing: RGB_32, cacheRoot });
    expect(resumed.set.count).toBe(1_600);
    expect(resumed.fromCache).toBe(false);
    expect(resumed.decoded).toBe(1_600 - kept);
    // The same pixels as a scan from scratch.
    const fresh = await openFolderDataset({
      folder: many,
      preprocessing: RGB_32,
      cacheRoot: await makeTempDir('fresh-cache'),
    });
    expect(Buffer.from(resumed.set.pixels).equals(Buffer.from(fresh.set.pixels))).toBe(true);
    await rm(many, { recursive: true, force: true });
  });
});
