/**
 * The format a folder's own images suggest (issue 15), on real files written with sharp and
 * decoded by sharp: the size from their typical short side (never above 64), grayscale only when
 * every sampled image is grey, whether stored with one channel or as RGB.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { previewFolder } from '../../src/main/engine/data/folder/preview-folder';
import { spreadSample } from '../../src/main/engine/data/folder/sample-files';
import { suggestFormat } from '../../src/main/engine/data/folder/suggest-format';
import type { Preprocessing } from '../../src/shared/dataset-types';
import { busy, rawRgb } from '../support/image-fixtures';
import { tempFolder } from '../support/temp-folder';

const parent = tempFolder('suggest');

/** A folder with `count` images from `write` in each of `classes` (or loose when none given). */
async function folderOf(
  name: string,
  count: number,
  write: (file: string, i: number) => Promise<unknown>,
  { classes = ['a', 'b'], extension = 'png' } = {},
): Promise<string> {
  const root = path.join(parent(), name);
  for (const label of classes.length > 0 ? classes : ['']) {
    await mkdir(path.join(root, label), { recursive: true });
    for (let i = 0; i < count; i++) await write(path.join(root, label, `${i}.${extension}`), i);
  }
  return root;
}

/** A one-channel image with a soft gradient, so it is not a flat colour. */
function greyImage(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height);
  for (let k = 0; k < pixels.length; k++) pixels[k] = (k * 7) % 256;
  // sharp would write RGB unless told to keep the one band.
  return sharp(pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w');
}

/** Grey pixels stored as three equal channels: what many exporters write for grey scans. */
function greyAsRgb(width: number, height: number): Sharp {
  const pixels = rawRgb(width, height, (x, y) => {
    const v = (x * 5 + y * 3) % 256;
    return [v, v, v];
  });
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

describe('suggestFormat', () => {
  it('keeps 28×28 grayscale PNGs at 28 px grayscale', async () => {
    const root = await folderOf('digits', 6, (file) => greyImage(28, 28).png().toFile(file));
    // The files really are one-channel PNGs: the suggestion reads that from their header.
    expect((await sharp(path.join(root, 'a', '0.png')).metadata()).channels).toBe(1);
    expect(await suggestFormat(root)).toEqual({
      size: 28,
      channels: 'grayscale',
      sampled: 12,
      reason: '28×28 images, all grey',
    });
  });

  it('keeps 32×32 colour images at 32 px RGB', async () => {
    const root = await folderOf('cifar', 5, (file) => busy(32, 32).png().toFile(file));
    expect(await suggestFormat(root)).toMatchObject({
      size: 32,
      channels: 'rgb',
      reason: '32×32 images, colour',
    });
  });

  it('suggests 64 px for 300×200 colour photos and says larger sizes are offered', async () => {
    const root = await folderOf('photos', 4, (file) => busy(300, 200).jpeg().toFile(file), {
      extension: 'jpg',
    });
    const suggested = await suggestFormat(root);
    expect(suggested).toMatchObject({ size: 64, channels: 'rgb' });
    expect(suggested!.reason).toBe(
      '300×200 images, colour; 64 px keeps training fast (96 and 128 are offered)',
    );
  });

  it('counts RGB JPEGs whose pixels are grey as grayscale, despite JPEG rounding', async () => {
    const root = await folderOf(
      'grey-jpegs',
      4,
      (file) => greyAsRgb(40, 40).jpeg({ quality: 70 }).toFile(file),
      {
        extension: 'jpg',
      },
    );
    const metadata = await sharp(path.join(root, 'a', '0.jpg')).metadata();
    expect(metadata.channels).toBe(3);
    expect(await suggestFormat(root)).toMatchObject({ size: 64, channels: 'grayscale', sampled: 8 });
  });

  it('suggests RGB when some images are colour, and says how many', async () => {
    const root = await folderOf('mixed', 3, (file, i) =>
      (i === 0 ? busy(28, 28) : greyImage(28, 28)).png().toFile(file),
    );
    const suggested = await suggestFormat(root);
    expect(suggested).toMatchObject({ size: 28, channels: 'rgb', sampled: 6 });
    expect(suggested!.reason).toBe('28×28 images, 2 of 6 in colour');
  });

  it('takes the typical short side of mixed sizes, turning EXIF-rotated images', async () => {
    const root = await folderOf(
      'mixed-sizes',
      3,
      (file, i) => greyImage([24, 30, 60][i]!, 80).png().toFile(file),
      { classes: [] },
    );
    expect(await suggestFormat(root)).toMatchObject({
      size: 32,
      reason: 'images of mixed sizes, typically 30×80, all grey',
    });
    const rotated = path.join(parent(), 'rotated');
    await mkdir(rotated);
    // Stored 40×20 with orientation 6 (a quarter turn): shown, and trained, as 20×40.
    await greyImage(40, 20).jpeg().withMetadata({ orientation: 6 }).toFile(path.join(rotated, 'r.jpg'));
    expect(await suggestFormat(rotated)).toMatchObject({
      size: 28,
      reason: '20×40 images, all grey; 28 px is the smallest size offered',
    });
  });

  it('ignores unreadable files and answers null when nothing decodes', async () => {
    const root = await folderOf('with-junk', 2, (file) => greyImage(28, 28).png().toFile(file));
    await writeFile(path.join(root, 'a', 'empty.png'), '');
    await writeFile(path.join(root, 'b', 'text.jpg'), 'not an image at all');
    expect(await suggestFormat(root)).toMatchObject({ size: 28, channels: 'grayscale', sampled: 4 });

    const junk = path.join(parent(), 'only-junk');
    await mkdir(path.join(junk, 'a'), { recursive: true });
    await writeFile(path.join(junk, 'a', 'empty.png'), '');
    await writeFile(path.join(junk, 'a', 'text.png'), 'no');
    expect(await suggestFormat(junk)).toBeNull();
    const empty = path.join(parent(), 'empty');
    await mkdir(empty);
    expect(await suggestFormat(empty)).toBeNull();
  });
});

describe('spreadSample', () => {
  it('takes an equal share from each class and the loose images, at most the limit', async () => {
    const root = await folderOf('many', 40, (file) => greyImage(8, 8).png().toFile(file), {
      classes: ['a', 'b', 'c'],
    });
    await greyImage(8, 8).png().toFile(path.join(root, 'loose.png'));
    const files = await spreadSample(root, 64);
    const byGroup = new Map<string, number>();
    for (const file of files) {
      const group = path.relative(root, file).includes(path.sep)
        ? path.relative(root, file).split(path.sep)[0]!
        : '';
      byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
    }
    expect(Object.fromEntries(byGroup)).toEqual({ a: 16, b: 16, c: 16, '': 1 });
  });
});

describe('previewFolder', () => {
  it('answers with the suggestion, whatever the preprocessing asked for', async () => {
    const root = path.join(parent(), 'digits');
    const pre: Preprocessing = { size: 64, channels: 'rgb', fit: 'crop', background: '#000000' };
    const preview = await previewFolder(root, pre);
    expect(preview.samples[0]!.pixels.length).toBe(preview.samples[0]!.count * 64 * 64 * 3);
    expect(preview.suggested).toMatchObject({
      size: 28,
      channels: 'grayscale',
      reason: '28×28 images, all grey',
    });
    expect((await previewFolder(path.join(parent(), 'only-junk'), pre)).suggested).toBeNull();
  });
});
