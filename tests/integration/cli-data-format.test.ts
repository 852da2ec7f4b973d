/**
 * The command line's `--data <folder>` without `--size`/`--channels` (issue 15): the folder opens
 * in the format its own images suggest, through the same registry, scan and cache as the app;
 * explicit options win, and so does a run's recorded format (encode and evaluate).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openData } from '../../src/cli/data-option';
import type { Preprocessing } from '../../src/shared/dataset-types';
import { tempFolder } from '../support/temp-folder';

const dir = tempFolder('cli-format');
let digits: string;
let cache: string;
let stderr: string[];

beforeAll(async () => {
  digits = path.join(dir(), 'digits');
  cache = path.join(dir(), 'cache');
  for (const label of ['0', '1']) {
    await mkdir(path.join(digits, label), { recursive: true });
    for (let i = 0; i < 5; i++) {
      const pixels = Buffer.alloc(28 * 28);
      for (let k = 0; k < pixels.length; k++) pixels[k] = (k * (i + 3) + Number(label) * 90) % 256;
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toFile(path.join(digits, label, `${i}.png`));
    }
  }
  // The commands talk on stderr; keep it to read the format line.
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

async function open(options: Record<string, string>, base?: Preprocessing) {
  stderr = [];
  const { dataset, preprocessing } = await openData({ data: digits, cache, ...options }, base);
  return { set: dataset.set, preprocessing, log: stderr.join('') };
}

describe('--data <folder> without a format', () => {
  it('opens a 28 px grayscale folder as 28 gray and says where that came from', async () => {
    const { set, preprocessing, log } = await open({});
    expect(preprocessing).toMatchObject({ size: 28, channels: 'grayscale' });
    expect({ size: set.size, channels: set.channels, count: set.count }).toEqual({
      size: 28,
      channels: 1,
      count: 10,
    });
    expect(log).toContain(
      'format: 28 px grayscale, from the images (28×28 images, all grey); --size/--channels to choose',
    );
  });

  it('lets --size win and takes only the channels from the images', async () => {
    const { set, log } = await open({ size: '64' });
    expect({ size: set.size, channels: set.channels }).toEqual({ size: 64, channels: 1 });
    expect(log).toContain('format: 64 px grayscale, channels from the images');
    const rgb = await open({ size: '32', channels: 'rgb' });
    expect({ size: rgb.set.size, channels: rgb.set.channels }).toEqual({ size: 32, channels: 3 });
    expect(rgb.log).not.toContain('from the images');
  });

  it("keeps a run's recorded format over the images' own", async () => {
    const run: Preprocessing = { size: 32, channels: 'rgb', fit: 'crop', background: '#000000' };
    const { set, log } = await open({}, run);
    expect({ size: set.size, channels: set.channels }).toEqual({ size: 32, channels: 3 });
    expect(log).not.toContain('from the images');
  });
});
