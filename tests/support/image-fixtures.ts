// Over 300 lines: the catalogue of image files the tests write (colours, stripes, format fixtures, bad files, folder layouts), one place to look.
/**
 * Image files for the folder-dataset tests, written with sharp at test time into a temp dir so
 * nothing binary is committed: every format and pixel mode a dataset folder may hold, the bad
 * files users really have, and an ImageFolder-style tree with the awkward cases (hidden entries,
 * symlink loops, links out of the root, unreadable folders).
 */
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { Preprocessing } from '../../src/shared/dataset-types';

export type Rgb = readonly [number, number, number];

export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 255, 0];
export const BLUE: Rgb = [0, 0, 255];
export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];

/** 32 px colour squares, cropped, on black: how the folder tests decode the files written here. */
export const RGB_32: Preprocessing = { size: 32, channels: 'rgb', fit: 'crop', background: '#000000' };

/**
 * Root ignores file permissions (CI containers run as root), so "unreadable" fixtures are readable
 * there; the assertions that depend on permissions are skipped in that case.
 */
export const permissionsEnforced = process.getuid?.() !== 0;

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `latent-studio-${prefix}-`));
}

export async function removeTempDir(dir: string): Promise<void> {
  // Permissions go back first, or a non-root user could not delete what it locked.
  await restorePermissions(dir).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

async function restorePermissions(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await restorePermissions(child);
    else if (entry.isFile()) await chmod(child, 0o644);
  }
}

/** Raw RGB pixels, width × height, coloured by a function of the pixel position. */
export function rawRgb(width: number, height: number, colourAt: (x: number, y: number) => Rgb): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(colourAt(x, y), (y * width + x) * 3);
  }
  return pixels;
}

function rawBands(width: number, height: number, colours: readonly Rgb[]): Buffer {
  return rawRgb(width, height, (x) => colours[Math.floor((x * colours.length) / width)]!);
}

/** Vertical bands of equal width, left to right: `[RED, BLUE]` is left half red, right half blue. */
export function bands(width: number, height: number, colours: readonly Rgb[]): Sharp {
  return sharp(rawBands(width, height, colours), { raw: { width, height, channels: 3 } });
}

/** Two classes of stripes (red on black, blue on white): the command-line tests' usual folder. */
export const RED_AND_BLUE_STRIPES = { red: [RED, BLACK], blue: [BLUE, WHITE] } as const;

/**
 * A labelled folder of striped PNGs: one subfolder per class, `perClass` images each, of widths
 * 30, 31, … (so no two files are alike), striped in the class's colours.
 */
export async function writeStripesFolder(
  folder: string,
  classes: Readonly<Record<string, readonly Rgb[]>>,
  perClass: number,
): Promise<void> {
  for (const [name, colours] of Object.entries(classes)) {
    await mkdir(path.join(folder, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      await bands(30 + i, 30, colours)
        .png()
        .toFile(path.join(folder, name, `${i}.png`));
    }
  }
}

export function solid(width: number, height: number, colour: Rgb): Sharp {
  return sharp(
    rawRgb(width, height, () => colour),
    { raw: { width, height, channels: 3 } },
  );
}

/** Noise-like content: compresses badly, so cutting its file in half loses real pixel data. */
export function busy(width: number, height: number): Sharp {
  const pixels = rawRgb(width, height, (x, y) => [(x * 37 + y * 11) % 256, (x * y * 7) % 256, (x ^ y) % 256]);
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

export interface FormatFixture {
  /** File name, also the test's name. */
  name: string;
  /** The colours of the left and right halves as a decoder should return them. */
  left: Rgb;
  right: Rgb;
  /** Largest per-channel difference allowed, 0–255: lossy formats shift colours a little. */
  tolerance: number;
  write: (file: string) => Promise<unknown>;
}

/** Every format fixture is a 48×32 image split into a left and a right half. */
export const FIXTURE_WIDTH = 48;
export const FIXTURE_HEIGHT = 32;
const split = (left: Rgb, right: Rgb) => bands(FIXTURE_WIDTH, FIXTURE_HEIGHT, [left, right]);
// Mid-tones, not 0/255: a 16-bit file clipped to 8 bits instead of scaled would still pass with
// saturated colours.
const STEEL: Rgb = [60, 120, 180];
const PLUM: Rgb = [200, 30, 90];
const DARK_GREY: Rgb = [60, 60, 60];
const LIGHT_GREY: Rgb = [200, 200, 200];
// Strong sRGB primaries lie outside the CMYK gamut and come back dull; these survive the trip.
const ORANGE: Rgb = [200, 120, 60];
const TEAL: Rgb = [60, 140, 160];

function fixture(
  name: string,
  [left, right]: [Rgb, Rgb],
  tolerance: number,
  write: (image: Sharp, file: string) => Promise<unknown>,
): FormatFixture {
  return { name, left, right, tolerance, write: (file) => write(split(left, right), file) };
}

/** One fixture per format and pixel mode a dataset folder can hold. */
export const FORMAT_FIXTURES: readonly FormatFixture[] = [
  fixture('gray-8bit.png', [DARK_GREY, LIGHT_GREY], 0, (image, file) =>
    image.toColourspace('b-w').png().toFile(file),
  ),
  fixture('rgb.png', [STEEL, PLUM], 0, (image, file) => image.png().toFile(file)),
  fixture('rgba.png', [STEEL, PLUM], 0, (image, file) => image.ensureAlpha(1).png().toFile(file)),
  // libvips rounds 16→8 bits after resampling in 16 bits: allow one level.
  fixture('rgb-16bit.png', [STEEL, PLUM], 1, (image, file) =>
    image.toColourspace('rgb16').png().toFile(file),
  ),
  fixture('palette.png', [STEEL, PLUM], 0, (image, file) =>
    image.png({ palette: true, colours: 4, dither: 0 }).toFile(file),
  ),
  fixture('rgb.jpg', [STEEL, PLUM], 16, (image, file) => image.jpeg({ quality: 90 }).toFile(file)),
  // Decoded naively (CMYK channels read as RGB, or Adobe's inverted CMYK not undone) these come
  // out wildly wrong; through a CMYK profile they come back within a few levels.
  fixture('cmyk.jpg', [ORANGE, TEAL], 30, (image, file) =>
    image.toColourspace('cmyk').jpeg({ quality: 95 }).toFile(file),
  ),
  fixture('rgb.webp', [STEEL, PLUM], 16, (image, file) => image.webp({ quality: 90 }).toFile(file)),
  {
    name: 'animated.gif',
    left: STEEL,
    right: PLUM,
    tolerance: 0,
    // Two frames, the split and then solid green: only the first may be used.
    write: (file) => {
      const frames = Buffer.concat([
        rawBands(FIXTURE_WIDTH, FIXTURE_HEIGHT, [STEEL, PLUM]),
        rawBands(FIXTURE_WIDTH, FIXTURE_HEIGHT, [GREEN]),
      ]);
      const raw = {
        width: FIXTURE_WIDTH,
        height: 2 * FIXTURE_HEIGHT,
        channels: 3,
        pageHeight: FIXTURE_HEIGHT,
      } as const;
      return sharp(frames, { raw })
        .gif({ loop: 0, delay: [100, 100] })
        .toFile(file);
    },
  },
  // sharp's TIFF default is JPEG compression; LZW keeps the fixture lossless.
  fixture('rgb.tiff', [STEEL, PLUM], 0, (image, file) => image.tiff({ compression: 'lzw' }).toFile(file)),
  fixture('rgb.avif', [STEEL, PLUM], 16, (image, file) =>
    image.avif({ quality: 90, effort: 0 }).toFile(file),
  ),
];

/** What each fixture must really be, so a test never passes on a file sharp quietly simplified. */
export const FIXTURE_METADATA: Record<string, Partial<Metadata>> = {
  'gray-8bit.png': { channels: 1, depth: 'uchar' },
  'rgb.png': { channels: 3 },
  'rgba.png': { channels: 4, hasAlpha: true },
  'rgb-16bit.png': { depth: 'ushort' },
  'palette.png': { isPalette: true },
  'rgb.jpg': { format: 'jpeg', space: 'srgb' },
  'cmyk.jpg': { format: 'jpeg', space: 'cmyk' },
  'rgb.webp': { format: 'webp' },
  'animated.gif': { format: 'gif', pages: 2 },
  'rgb.tiff': { format: 'tiff' },
  'rgb.avif': { format: 'heif', compression: 'av1' },
};

export async function writeFormatFixtures(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { name, write } of FORMAT_FIXTURES) {
    const file = path.join(dir, name);
    await write(file);
    files.set(name, file);
  }
  return files;
}

/** A 2:1 stored image (left red, right blue) tagged EXIF orientation 6: shown rotated 90° clockwise. */
export async function writeExifRotatedJpeg(file: string): Promise<void> {
  await bands(40, 20, [RED, BLUE]).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(file);
}

/** The same picture as {@link writeExifRotatedJpeg}, with the rotation done on the pixels instead. */
export async function writeManuallyRotatedJpeg(file: string): Promise<void> {
  const rotated = await bands(40, 20, [RED, BLUE]).rotate(90).raw().toBuffer();
  await sharp(rotated, { raw: { width: 20, height: 40, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(file);
}

/** 20×20: left half opaque red, right half fully transparent *black*, so dropping alpha shows. */
export async function writeHalfTransparentPng(file: string): Promise<void> {
  const pixels = Buffer.alloc(20 * 20 * 4);
  for (let i = 0; i < 20 * 20; i++) if (i % 20 < 10) pixels.set([255, 0, 0, 255], i * 4);
  await sharp(pixels, { raw: { width: 20, height: 20, channels: 4 } })
    .png()
    .toFile(file);
}

export type BadFileKind =
  'empty' | 'truncatedJpeg' | 'truncatedPng' | 'textAsPng' | 'bmp' | 'bomb' | 'unreadable' | 'missing';

/** Files that must be refused, each for its own reason. `missing` names a file that is not there. */
export async function writeBadFiles(dir: string): Promise<Record<BadFileKind, string>> {
  const file = (name: string) => path.join(dir, name);
  const files: Record<BadFileKind, string> = {
    empty: file('empty.png'),
    truncatedJpeg: file('truncated.jpg'),
    truncatedPng: file('truncated.png'),
    textAsPng: file('text.png'),
    bmp: file('image.bmp'),
    bomb: file('bomb.png'),
    unreadable: file('unreadable.png'),
    missing: file('missing.png'),
  };
  await writeFile(files.empty, '');
  const jpeg = await busy(256, 256).jpeg().toBuffer();
  await writeFile(files.truncatedJpeg, jpeg.subarray(0, jpeg.length >> 1));
  const png = await busy(256, 256).png().toBuffer();
  await writeFile(files.truncatedPng, png.subarray(0, png.length >> 1));
  await writeFile(files.textAsPng, 'This is a text file with an image extension.\n');
  // A 1×1 BMP header: a real image in a format the bundled libvips does not read.
  await writeFile(
    files.bmp,
    Buffer.from('424d3a0000000000000036000000280000000100000001000000010018', 'hex'),
  );
  // 144 megapixels of one colour: about 450 KB on disk, 432 MB once decoded.
  await sharp({ create: { width: 12_000, height: 12_000, channels: 3, background: '#808080' } })
    .png({ compressionLevel: 9 })
    .toFile(files.bomb);
  await solid(8, 8, RED).png().toFile(files.unreadable);
  await chmod(files.unreadable, 0o000);
  return files;
}

/** What {@link writeImageFolder} built, for the assertions. */
export interface ImageFolderLayout {
  root: string;
  /** Relative paths of the images a scan must return, sorted, with their labels. */
  images: { relativePath: string; label: string | null }[];
  /** Relative path → skip reason a scan must report. */
  skipped: Record<string, string>;
  /** Skips that hold only when file permissions are enforced (not as root). */
  skippedUnlessRoot: Record<string, string>;
}

/**
 * An ImageFolder-style dataset: root/cats/*.png, root/dogs/sub/deeper/*.jpg (deeper folders belong
 * to dogs), root/loose.png (unlabelled), a folder reachable only through a link (fish), and every
 * entry a scan must refuse. `outside` is a sibling of root that links point into.
 */
export async function writeImageFolder(parent: string): Promise<ImageFolderLayout> {
  const root = path.join(parent, 'dataset');
  const outside = path.join(parent, 'outside');
  const at = (relative: string) => path.join(root, ...relative.split('/'));
  for (const dir of ['cats', 'dogs/sub/deeper', '.thumbnails', '.store/fish', 'locked']) {
    await mkdir(at(dir), { recursive: true });
  }
  await mkdir(outside, { recursive: true });

  const png = await solid(8, 8, RED).png().toBuffer();
  const jpeg = await solid(8, 8, BLUE).jpeg().toBuffer();
  const images: ImageFolderLayout['images'] = [
    { relativePath: 'cats/a.png', label: 'cats' },
    { relativePath: 'cats/b.PNG', label: 'cats' },
    { relativePath: 'dogs/d.jpeg', label: 'dogs' },
    { relativePath: 'dogs/sub/deeper/e.jpg', label: 'dogs' },
    { relativePath: 'dogs/sub/deeper/f.jpg', label: 'dogs' },
    { relativePath: 'fish/g.png', label: 'fish' },
    { relativePath: 'loose.png', label: null },
  ];
  for (const name of ['cats/a.png', 'cats/b.PNG', 'loose.png', '.thumbnails/t.png', '.store/fish/g.png']) {
    await writeFile(at(name), png);
  }
  for (const name of ['dogs/d.jpeg', 'dogs/sub/deeper/e.jpg', 'dogs/sub/deeper/f.jpg']) {
    await writeFile(at(name), jpeg);
  }
  await writeFile(at('cats/.DS_Store'), 'finder junk');
  await writeFile(at('cats/empty.png'), '');
  await writeFile(at('cats/notes.txt'), 'not an image');
  await writeFile(at('dogs/README'), 'no extension');
  await writeFile(at('locked/h.png'), png);
  await writeFile(path.join(outside, 'secret.png'), png);

  // Links are relative where they stay inside, as a user moving the dataset would have them.
  await symlink('..', at('dogs/sub/up'));
  await symlink('tangle', at('tangle'));
  await symlink('.store/fish', at('fish'));
  await symlink('cats', at('kittens'));
  await symlink(outside, at('elsewhere'));
  await symlink(path.join(outside, 'secret.png'), at('cats/secret.png'));
  await symlink('gone.png', at('cats/broken.png'));
  await chmod(at('locked'), 0o000);

  const skipped: Record<string, string> = {
    '.store': 'hidden',
    '.thumbnails': 'hidden',
    'cats/.DS_Store': 'hidden',
    'cats/broken.png': 'broken symlink',
    'cats/empty.png': 'empty file (0 bytes)',
    'cats/notes.txt': 'unsupported file type (.txt)',
    'cats/secret.png': 'symlink points outside the dataset folder',
    'dogs/README': 'no file extension',
    'dogs/sub/up': 'symlink loop',
    elsewhere: 'symlink points outside the dataset folder',
    kittens: 'symlink to a folder already in the dataset',
    tangle: 'symlink loop',
  };
  const skippedUnlessRoot = { locked: 'folder unreadable (permission denied)' };
  return { root, images, skipped, skippedUnlessRoot };
}

/** Many small files in a few folders, for a scan that takes long enough to be cancelled. */
export async function writeManyFiles(root: string, folders: number, filesPerFolder: number): Promise<void> {
  const png = await solid(1, 1, GREEN).png().toBuffer();
  for (let f = 0; f < folders; f++) {
    const dir = path.join(root, `class-${f}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from({ length: filesPerFolder }, (_, i) => writeFile(path.join(dir, `${i}.png`), png)),
    );
  }
}
