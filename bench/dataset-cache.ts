/**
 * `npm run bench -- dataset-cache`: opening a 10,000-image folder the first time (scan, decode,
 * cache write) against reopening it unchanged (scan, cache read) and after one file was added
 * (incremental). The decode bench's generated 256×256 JPEGs are hard-linked into 10 class folders
 * (plain files to the scan, no copies).
 *   --count N   images (default 10000)
 */
import { link, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openFolderDataset } from '../src/main/engine/data/folder/folder-dataset';
import type { Preprocessing } from '../src/shared/dataset-types';
import { ensureJpegFolder } from './support/jpeg-folder';
import { benchOptions } from './support/options';

const values = benchOptions({ count: '10000' });
const COUNT = Number(values.count);
const BENCH_DIR = path.join(os.tmpdir(), 'latent-studio-bench');
const PREPROCESSING: Preprocessing = { size: 64, channels: 'rgb', fit: 'crop', background: '#000000' };
const TARGET = 20;

async function main(): Promise<void> {
  const files = await ensureJpegFolder(path.join(BENCH_DIR, 'jpeg-256'), COUNT + 1, 256);
  const folder = path.join(BENCH_DIR, `image-folder-${COUNT}`);
  const cacheRoot = path.join(BENCH_DIR, 'cache');
  await rm(folder, { recursive: true, force: true });
  await rm(cacheRoot, { recursive: true, force: true });
  for (let c = 0; c < 10; c++) await mkdir(path.join(folder, `class-${c}`), { recursive: true });
  const place = (i: number) =>
    link(files[i]!, path.join(folder, `class-${i % 10}`, path.basename(files[i]!)));
  await Promise.all(files.slice(0, COUNT).map((_, i) => place(i)));

  const open = async (label: string) => {
    const start = performance.now();
    const opened = await openFolderDataset({ folder, preprocessing: PREPROCESSING, cacheRoot });
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `${label.padEnd(24)}${seconds.toFixed(2).padStart(8)} s   ${opened.set.count} images, ` +
        `decoded ${opened.decoded}, from cache: ${opened.fromCache}`,
    );
    return seconds;
  };

  console.log(`\nopen a ${COUNT}-image folder (256² JPEG → 64² RGB)`);
  const first = await open('first open');
  const reopen = await open('reopen, unchanged');
  await place(COUNT);
  const incremental = await open('reopen, one file added');
  console.log(
    `\ncached reopen: ${(first / reopen).toFixed(1)}× faster than the first open (target ≥ ${TARGET}×); ` +
      `incremental: ${(first / incremental).toFixed(1)}× faster`,
  );
  await rm(folder, { recursive: true, force: true });
}

void main();
