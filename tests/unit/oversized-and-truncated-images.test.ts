/**
 * Files that must not cost the scan its memory or the user a useless reason: a 1 GB sparse "png"
 * is skipped by size without being read (in the scan, the decoder and the preview), and truncated
 * images decoded many at once each say "truncated or corrupt image" — libvips shares one error
 * buffer between threads, which used to turn some of them into "could not decode: Unknown error".
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DECODE_REASONS,
  DecodeError,
  MAX_FILE_BYTES,
  decodeImage,
} from '../../src/main/engine/data/folder/decode-image';
import { previewFolder } from '../../src/main/engine/data/folder/preview-folder';
import { scanFolder } from '../../src/main/engine/data/folder/scan-folder';
import { RGB_32 } from '../support/image-fixtures';
import { tempFolder } from '../support/temp-folder';

const parent = tempFolder('oversized');
let root: string;
let huge: string;

/** A file of `bytes` that takes no disk: a PNG signature, then a hole. */
async function writeSparse(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w');
  await handle.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 0, 8, 0);
  await handle.truncate(bytes);
  await handle.close();
}

async function decodeReason(file: string): Promise<string> {
  try {
    await decodeImage(file, RGB_32);
    return 'decoded';
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return error.reason;
  }
}

beforeAll(async () => {
  root = path.join(parent(), 'folder');
  await mkdir(path.join(root, 'big'), { recursive: true });
  huge = path.join(root, 'big', 'huge.png');
  await writeSparse(huge, 1024 ** 3);
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
    .png()
    .toFile(path.join(root, 'big', 'small.png'));
});

describe('oversized files', () => {
  it('are skipped by the scan with their reason', async () => {
    const scan = await scanFolder(root);
    expect(scan.files.map((f) => f.relativePath)).toEqual(['big/small.png']);
    expect(scan.skipped).toEqual([{ path: 'big/huge.png', reason: DECODE_REASONS.fileTooLarge }]);
    expect(DECODE_REASONS.fileTooLarge).toMatch(/too large/);
    expect(1024 ** 3).toBeGreaterThan(MAX_FILE_BYTES);
  });

  it('are refused by the decoder unread, in milliseconds', async () => {
    const t0 = performance.now();
    const rssBefore = process.memoryUsage().rss;
    expect(await decodeReason(huge)).toBe(DECODE_REASONS.fileTooLarge);
    expect(performance.now() - t0).toBeLessThan(200);
    // Reading it would have held a 1 GB buffer.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('are skipped by the preview without being read', async () => {
    const t0 = performance.now();
    const preview = await previewFolder(root, RGB_32);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(preview.skipped).toBe(1);
    expect(preview.samples[0]?.count).toBe(1);
  });
});

describe('truncated images decoded together', () => {
  it('each say "truncated or corrupt image"', async () => {
    const raw = Buffer.alloc(256 * 256 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
    const image = sharp(raw, { raw: { width: 256, height: 256, channels: 3 } });
    const encoded = {
      png: await image.clone().png().toBuffer(),
      jpg: await image.clone().jpeg().toBuffer(),
      webp: await image.clone().webp().toBuffer(),
      gif: await image.clone().gif().toBuffer(),
      tif: await image.clone().tiff({ compression: 'lzw' }).toBuffer(),
    };
    const files: string[] = [];
    for (const [extension, bytes] of Object.entries(encoded)) {
      for (const fraction of [0.3, 0.5, 0.9]) {
        const file = path.join(parent(), `cut-${fraction}.${extension}`);
        await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
        files.push(file);
      }
    }
    // Several rounds: the shared error buffer is a race, not a certainty.
    for (let round = 0; round < 3; round++) {
      const reasons = await Promise.all(files.map(decodeReason));
      expect(reasons, `round ${round}`).toEqual(files.map(() => DECODE_REASONS.corrupt));
    }
  });
});
