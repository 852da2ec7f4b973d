import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError, decodeImage } from '../../src/main/engine/data/folder/decode-image';
import type { Preprocessing } from '../../src/shared/dataset-types';
import {
  BLACK,
  BLUE,
  FIXTURE_METADATA,
  FORMAT_FIXTURES,
  GREEN,
  RED,
  WHITE,
  bands,
  busy,
  permissionsEnforced,
  rawRgb,
  solid,
  writeBadFiles,
  writeExifRotatedJpeg,
  writeFormatFixtures,
  writeHalfTransparentPng,
  writeManuallyRotatedJpeg,
  type BadFileKind,
  type Rgb,
} from '../support/image-fixtures';
import { tempFolder } from '../support/temp-folder';

const SIZE = 28;
const rgb = (fit: Preprocessing['fit'], background = '#000000'): Preprocessing => ({
  size: SIZE,
  channels: 'rgb',
  fit,
  background,
});
const grayscale = (fit: Preprocessing['fit'] = 'stretch'): Preprocessing => ({
  ...rgb(fit),
  channels: 'grayscale',
});

/** The RGB triple at (x, y) of a decoded SIZE×SIZE×3 image. */
function pixel(pixels: Uint8Array, x: number, y: number): number[] {
  const i = (y * SIZE + x) * 3;
  return Array.from(pixels.subarray(i, i + 3));
}

function expectColour(actual: number[], expected: Rgb, tolerance: number, where = ''): void {
  const off = Math.max(...actual.map((v, c) => Math.abs(v - expected[c]!)));
  expect(off, `${where} ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`).toBeLessThanOrEqual(
    tolerance,
  );
}

/** Rec. 709 luma of gamma-encoded values: enough to say which of two colours is brighter. */
const luma = ([r, g, b]: Rgb) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

const dir = tempFolder('decode');
let formatFiles: Map<string, string>;
let badFiles: Record<BadFileKind, string>;

beforeAll(async () => {
  formatFiles = await writeFormatFixtures(dir());
  badFiles = await writeBadFiles(dir());
});

describe('decodeImage: formats', () => {
  it.each(FORMAT_FIXTURES.map((f) => [f.name, f] as const))(
    'fixture %s is what it claims to be',
    async (name) => {
      const metadata = await sharp(formatFiles.get(name)!).metadata();
      expect(metadata).toMatchObject(FIXTURE_METADATA[name]!);
    },
  );

  it.each(FORMAT_FIXTURES.map((f) => [f.name, f] as const))(
    '%s decodes to RGB and grayscale',
    async (name, f) => {
      const file = formatFiles.get(name)!;
      const colour = await decodeImage(file, rgb('stretch', '#00ff00'));
      expect(colour).toBeInstanceOf(Uint8Array);
      expect(colour.length).toBe(SIZE * SIZE * 3);
      // Away from the seam in the middle, each half keeps its colour (GIF: the first frame's).
      for (const y of [0, SIZE / 2, SIZE - 1]) {
        expectColour(pixel(colour, 1, y), f.left, f.tolerance, `left at y=${y}`);
        expectColour(pixel(colour, SIZE - 2, y), f.right, f.tolerance, `right at y=${y}`);
      }

      const grey = await decodeImage(file, grayscale());
      expect(grey.length).toBe(SIZE * SIZE);
      const [left, right] = [grey[(SIZE / 2) * SIZE + 1]!, grey[(SIZE / 2) * SIZE + SIZE - 2]!];
      expect(Math.sign(left - right)).toBe(Math.sign(luma(f.left) - luma(f.right)));
    },
  );

  it('keeps grey levels exactly for a grayscale PNG', async () => {
    const grey = await decodeImage(formatFiles.get('gray-8bit.png')!, grayscale());
    expect(grey[SIZE * 5 + 1]).toBe(60);
    expect(grey[SIZE * 5 + SIZE - 2]).toBe(200);
  });

  it('uses only the first frame of an animated GIF', async () => {
    const pixels = await decodeImage(formatFiles.get('animated.gif')!, rgb('stretch'));
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) expect(pixel(pixels, x, y)[1], `green at ${x},${y}`).toBeLessThan(200);
    }
  });

  it('decodes a CMYK JPEG to roughly the sRGB colour it was made from', async () => {
    const fixture = FORMAT_FIXTURES.find((f) => f.name === 'cmyk.jpg')!;
    const pixels = await decodeImage(formatFiles.get('cmyk.jpg')!, rgb('stretch'));
    expectColour(pixel(pixels, 3, 14), fixture.left, 30);
    expectColour(pixel(pixels, 24, 14), fixture.right, 30);
    const grey = await decodeImage(formatFiles.get('cmyk.jpg')!, grayscale());
    expect(grey.length).toBe(SIZE * SIZE);
  });
});

describe('decodeImage: fit', () => {
  // 60×20, three vertical bands: red | green | blue. A square crop of the centre is all green.
  let thirds: string;
  beforeAll(async () => {
    thirds = path.join(dir(), 'thirds.png');
    await bands(60, 20, [RED, GREEN, BLUE]).png().toFile(thirds);
  });

  it('stretch keeps all three bands and fills every row', async () => {
    const pixels = await decodeImage(thirds, rgb('stretch', '#ffffff'));
    for (const y of [0, 14, 27]) {
      expectColour(pixel(pixels, 0, y), RED, 8, `y=${y}`);
      expectColour(pixel(pixels, 14, y), GREEN, 8, `y=${y}`);
      expectColour(pixel(pixels, 27, y), BLUE, 8, `y=${y}`);
    }
  });

  it('crop fills the square from the centre, cutting the side bands off', async () => {
    const pixels = await decodeImage(thirds, rgb('crop', '#ffffff'));
    for (const y of [0, 14, 27]) {
      for (const x of [2, 14, 25]) expectColour(pixel(pixels, x, y), GREEN, 40, `${x},${y}`);
    }
  });

  it('contain shows the whole image between background rows at top and bottom', async () => {
    const pixels = await decodeImage(thirds, rgb('contain', '#ffffff'));
    // 60×20 fits as 28×9 (or 10): about 9 padding rows above and below.
    for (const y of [0, 5, 22, 27]) {
      for (const x of [0, 14, 27]) expectColour(pixel(pixels, x, y), WHITE, 0, `${x},${y}`);
    }
    expectColour(pixel(pixels, 0, 14), RED, 8);
    expectColour(pixel(pixels, 14, 14), GREEN, 8);
    expectColour(pixel(pixels, 27, 14), BLUE, 8);
  });

  it('contain pads a tall image at the sides instead', async () => {
    const tall = path.join(dir(), 'tall.png');
    await solid(10, 40, RED).png().toFile(tall);
    const pixels = await decodeImage(tall, rgb('contain', '#0000ff'));
    expectColour(pixel(pixels, 0, 14), BLUE, 0);
    expectColour(pixel(pixels, 27, 14), BLUE, 0);
    expectColour(pixel(pixels, 14, 0), RED, 0);
  });
});

describe('decodeImage: colour handling', () => {
  it('composites transparent pixels onto the background colour', async () => {
    const file = path.join(dir(), 'half-transparent.png');
    await writeHalfTransparentPng(file);
    const pixels = await decodeImage(file, rgb('stretch', '#00ff00'));
    expectColour(pixel(pixels, 0, 14), RED, 0);
    expectColour(pixel(pixels, 27, 14), GREEN, 0);
    const grey = await decodeImage(file, { ...grayscale(), background: '#ffffff' });
    expect(grey[14 * SIZE + 27]).toBe(255);
  });

  it('turns pure white into 255 and pure black into 0 in grayscale', async () => {
    for (const [colour, level] of [
      [WHITE, 255],
      [BLACK, 0],
    ] as const) {
      const file = path.join(dir(), `solid-${level}.png`);
      await solid(16, 16, colour).png().toFile(file);
      const grey = await decodeImage(file, grayscale());
      expect(new Set(grey)).toEqual(new Set([level]));
    }
  });

  it('applies EXIF orientation 6: a 2:1 image tagged "rotate 90°" comes out rotated', async () => {
    const tagged = path.join(dir(), 'exif-6.jpg');
    const rotatedByHand = path.join(dir(), 'rotated-by-hand.jpg');
    await writeExifRotatedJpeg(tagged);
    await writeManuallyRotatedJpeg(rotatedByHand);
    expect((await sharp(tagged).metadata()).orientation).toBe(6);

    const pixels = await decodeImage(tagged, rgb('stretch'));
    // Stored left red | right blue; rotated clockwise the left edge becomes the top.
    expectColour(pixel(pixels, 14, 1), RED, 24);
    expectColour(pixel(pixels, 14, 26), BLUE, 24);

    const reference = await decodeImage(rotatedByHand, rgb('stretch'));
    let difference = 0;
    for (let i = 0; i < pixels.length; i++) difference += Math.abs(pixels[i]! - reference[i]!);
    expect(difference / pixels.length).toBeLessThan(4);
  });

  it('gives the same pixels when many files decode at once', async () => {
    const file = formatFiles.get('rgb.png')!;
    const one = await decodeImage(file, rgb('crop'));
    const many = await Promise.all(Array.from({ length: 24 }, () => decodeImage(file, rgb('crop'))));
    for (const pixels of many) expect(pixels).toEqual(one);
  });
});

describe('decodeImage: files that must be refused', () => {
  async function reasonFor(file: string, preprocessing = rgb('crop')): Promise<string> {
    const error: unknown = await decodeImage(file, preprocessing).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecodeError);
    return (error as DecodeError).reason;
  }

  it.each([
    ['empty', 'empty file (0 bytes)'],
    ['truncatedJpeg', 'truncated or corrupt image'],
    ['truncatedPng', 'truncated or corrupt image'],
    ['textAsPng', 'not a readable image (unsupported or mislabelled format)'],
    ['bmp', 'not a readable image (unsupported or mislabelled format)'],
    ['bomb', 'too large: over 100 megapixels (possible decompression bomb)'],
    ['missing', 'file disappeared during the scan'],
  ] as const)('%s → %s', async (kind, reason) => {
    expect(await reasonFor(badFiles[kind])).toBe(reason);
  });

  // Root reads any file whatever its mode (CI containers run tests as root): there the fixture
  // is readable and decodes, so only the assertion is skipped, not the setup.
  it.skipIf(!permissionsEnforced)('unreadable file → unreadable (permission denied)', async () => {
    expect(await reasonFor(badFiles.unreadable)).toBe('unreadable (permission denied)');
  });

  it.each([
    ['png', (s: Sharp) => s.png()],
    ['jpg', (s: Sharp) => s.jpeg()],
    ['webp', (s: Sharp) => s.webp()],
    ['gif', (s: Sharp) => s.gif()],
    ['tiff', (s: Sharp) => s.tiff({ compression: 'lzw' })],
    ['avif', (s: Sharp) => s.avif({ effort: 0 })],
  ])('a %s cut in half is truncated or corrupt', async (extension, encode) => {
    const bytes = await encode(busy(160, 120)).toBuffer();
    const file = path.join(dir(), `half.${extension}`);
    await writeFile(file, bytes.subarray(0, bytes.length >> 1));
    expect(await reasonFor(file)).toBe('truncated or corrupt image');
  });

  it('refuses in grayscale mode for the same reasons', async () => {
    expect(await reasonFor(badFiles.truncatedJpeg, grayscale())).toBe('truncated or corrupt image');
    expect(await reasonFor(badFiles.bomb, grayscale())).toBe(
      'too large: over 100 megapixels (possible decompression bomb)',
    );
  });

  it('decodes a large image that is under the pixel limit', async () => {
    const file = path.join(dir(), 'large.png');
    const width = 3000;
    await sharp(
      rawRgb(width, 20, (x) => (x < width / 2 ? RED : BLUE)),
      { raw: { width, height: 20, channels: 3 } },
    )
      .png()
      .toFile(file);
    expect((await decodeImage(file, rgb('stretch'))).length).toBe(SIZE * SIZE * 3);
  });
});
