import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  scanFolder,
  type FolderScan,
  type ScanProgressCounts,
} from '../../src/main/engine/data/folder/scan-folder';
import {
  permissionsEnforced,
  writeImageFolder,
  writeManyFiles,
  type ImageFolderLayout,
} from '../support/image-fixtures';
import { tempFolder } from '../support/temp-folder';

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const parent = tempFolder('scan');
let layout: ImageFolderLayout;
let scan: FolderScan;
const progress: ScanProgressCounts[] = [];

beforeAll(async () => {
  layout = await writeImageFolder(parent());
  scan = await scanFolder(layout.root, { onProgress: (p) => progress.push(p) });
});

describe('scanFolder on an ImageFolder-style tree', () => {
  it('labels images by first-level folder, deeper folders included, and root images as unlabelled', () => {
    // As root the "locked" folder is readable, so its image is found too.
    const expected = permissionsEnforced
      ? layout.images
      : [...layout.images, { relativePath: 'locked/h.png', label: 'locked' }];
    expect(scan.files.map(({ relativePath, label }) => ({ relativePath, label }))).toEqual(
      [...expected].sort((a, b) => byCodeUnits(a.relativePath, b.relativePath)),
    );
  });

  it('returns files and skips sorted by path, independent of locale', () => {
    const paths = scan.files.map((f) => f.relativePath);
    expect(paths).toEqual([...paths].sort(byCodeUnits));
    const skipped = scan.skipped.map((s) => s.path);
    expect(skipped).toEqual([...skipped].sort(byCodeUnits));
  });

  it('gives absolute paths that exist and their sizes and times', async () => {
    for (const file of scan.files) {
      expect(file.absolutePath).toBe(path.join(layout.root, ...file.relativePath.split('/')));
      const stats = await stat(file.absolutePath);
      expect(file.size).toBe(stats.size);
      expect(file.size).toBeGreaterThan(0);
      expect(file.mtimeMs).toBe(stats.mtimeMs);
    }
  });

  it('lists every skipped entry once, with its reason', () => {
    const expected = { ...layout.skipped, ...(permissionsEnforced ? layout.skippedUnlessRoot : {}) };
    expect(Object.fromEntries(scan.skipped.map((s) => [s.path, s.reason]))).toEqual(expected);
    expect(new Set(scan.skipped.map((s) => s.path)).size).toBe(scan.skipped.length);
  });

  it('does not descend into hidden folders', () => {
    expect(scan.files.some((f) => f.relativePath.includes('.thumbnails'))).toBe(false);
    expect(scan.skipped.some((s) => s.path.startsWith('.thumbnails/'))).toBe(false);
  });

  it('follows a symlinked folder inside the root once, under the link name', () => {
    expect(scan.files.filter((f) => f.label === 'fish').map((f) => f.relativePath)).toEqual(['fish/g.png']);
    // "kittens" links to "cats": the real folder wins and the link is reported, not walked.
    expect(scan.files.some((f) => f.label === 'kittens')).toBe(false);
  });

  it('completes despite symlink loops, and reports them', () => {
    expect(scan.skipped).toContainEqual({ path: 'dogs/sub/up', reason: 'symlink loop' });
    expect(scan.skipped).toContainEqual({ path: 'tangle', reason: 'symlink loop' });
  });

  it('never follows a symlink out of the root', () => {
    const outside = path.join(parent(), 'outside');
    expect(scan.files.some((f) => f.absolutePath.startsWith(outside))).toBe(false);
    expect(scan.files.some((f) => f.relativePath.startsWith('elsewhere/'))).toBe(false);
    expect(scan.skipped).toContainEqual({
      path: 'elsewhere',
      reason: 'symlink points outside the dataset folder',
    });
    expect(scan.skipped).toContainEqual({
      path: 'cats/secret.png',
      reason: 'symlink points outside the dataset folder',
    });
  });

  // Root can list a mode-000 folder (CI runs as root), so the reason only appears for other users.
  it.skipIf(!permissionsEnforced)('reports an unreadable folder and carries on', () => {
    expect(scan.skipped).toContainEqual({ path: 'locked', reason: 'folder unreadable (permission denied)' });
    expect(scan.files.length).toBe(layout.images.length);
  });

  it('reports progress, ending with the final counts', () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ candidates: scan.files.length, skipped: scan.skipped.length });
    const seen = progress.map((p) => p.filesSeen);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('gives the same result on a second scan', async () => {
    expect(await scanFolder(layout.root)).toEqual(scan);
  });
});

describe('scanFolder edge cases', () => {
  const dir = tempFolder('scan-edge');

  it('rejects a root that does not exist (the caller reports it, it is not a skip)', async () => {
    await expect(scanFolder(path.join(dir(), 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('returns nothing for an empty folder', async () => {
    const empty = path.join(dir(), 'empty');
    await mkdir(empty);
    expect(await scanFolder(empty)).toEqual({ files: [], skipped: [] });
  });

  it('walks a tree deeper than any sane recursion limit', async () => {
    const segments = Array.from({ length: 400 }, () => 'd');
    const deepest = path.join(dir(), 'deep', 'cls', ...segments);
    await mkdir(deepest, { recursive: true });
    await writeFile(path.join(deepest, 'x.png'), 'not empty');
    const { files } = await scanFolder(path.join(dir(), 'deep'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ label: 'cls', relativePath: ['cls', ...segments, 'x.png'].join('/') });
  });

  it('names unsupported extensions case-insensitively and accepts upper-case image extensions', async () => {
    const root = path.join(dir(), 'cases');
    await mkdir(root);
    for (const name of ['A.JPG', 'b.Jpeg', 'c.TIFF', 'd.BMP', 'e.', 'f.jfif']) {
      await writeFile(path.join(root, name), 'x');
    }
    const { files, skipped } = await scanFolder(root);
    expect(files.map((f) => f.relativePath)).toEqual(['A.JPG', 'b.Jpeg', 'c.TIFF', 'f.jfif']);
    expect(skipped).toEqual([
      { path: 'd.BMP', reason: 'unsupported file type (.bmp)' },
      { path: 'e.', reason: 'no file extension' },
    ]);
  });
});

describe('scanFolder cancellation', () => {
  const dir = tempFolder('scan-abort');
  beforeAll(async () => {
    await writeManyFiles(dir(), 20, 250);
  });

  it('rejects at once with an AbortError when the signal is already aborted', async () => {
    await expect(scanFolder(dir(), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('stops promptly when aborted mid-scan', async () => {
    const controller = new AbortController();
    let seenAtAbort = -1;
    const scanning = scanFolder(dir(), {
      signal: controller.signal,
      onProgress: (p) => {
        if (seenAtAbort < 0 && p.filesSeen > 0) {
          seenAtAbort = p.filesSeen;
          controller.abort();
        }
      },
    });
    await expect(scanning).rejects.toMatchObject({ name: 'AbortError' });
    expect(seenAtAbort).toBeGreaterThan(0);
    expect(seenAtAbort).toBeLessThan(5000);
  });

  it('finds all files when not aborted', async () => {
    const { files } = await scanFolder(dir());
    expect(files).toHaveLength(5000);
    expect(new Set(files.map((f) => f.label)).size).toBe(20);
  });
});
