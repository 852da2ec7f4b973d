/**
 * One image file → the training pixels its preprocessing asks for, with sharp (libvips). Every
 * failure becomes a {@link DecodeError} whose reason is short enough for the "skipped files" list.
 */
import { open } from 'node:fs/promises';
import sharp, { type OutputInfo } from 'sharp';
import type { Preprocessing } from '../../../../shared/dataset-types';

/** Larger images are refused before decoding: a small file can declare a huge canvas. */
export const MAX_INPUT_PIXELS = 100_000_000;
/**
 * Larger files are skipped unread: a 100-megapixel 8-bit RGB TIFF, the largest image decoded, is
 * 300 MB uncompressed, and eight 1 GB files read at once would exhaust memory.
 */
export const MAX_FILE_BYTES = 320 * 1024 * 1024;

export const DECODE_REASONS = {
  vanished: 'file disappeared during the scan',
  permission: 'unreadable (permission denied)',
  empty: 'empty file (0 bytes)',
  notAnImage: 'not a readable image (unsupported or mislabelled format)',
  tooLarge: 'too large: over 100 megapixels (possible decompression bomb)',
  fileTooLarge: 'file too large: over 320 MB',
  corrupt: 'truncated or corrupt image',
  other: (message: string) => `could not decode: ${message.split('\n')[0]!.slice(0, 120)}`,
} as const;

export class DecodeError extends Error {
  override name = 'DecodeError';

  constructor(readonly reason: string) {
    super(reason);
  }
}

const SHARP_FIT = { crop: 'cover', contain: 'contain', stretch: 'fill' } as const;

// Throughput settings, from `npm run bench -- decode --explore` (10,000 256² JPEGs → 64² crop,
// 2 vCPUs, 8 decodes in flight; best of 2 rounds):
// - One libvips thread per image: 966 img/s, against 906 with one thread per CPU. Parallelism
//   comes from the caller decoding several files at once, which scales better than splitting
//   one small image across threads (libjpeg decodes on one thread anyway). It is sharp's
//   default on glibc Linux only; macOS and Windows would get one thread per CPU per image.
// - No operation cache: 966 img/s, against 836 with sharp's default cache. It speeds up
//   re-running a pipeline on the same image, but every file is decoded once here, so it only adds
//   lookups under a global lock and holds up to 50 MB.
sharp.concurrency(1);
sharp.cache(false);

/** Decodes one file into size×size×C uint8 pixels (C = 1 grayscale, 3 rgb), row-major, interleaved. */
export async function decodeImage(absolutePath: string, preprocessing: Preprocessing): Promise<Uint8Array> {
  // Read by Node rather than by libvips: a missing or unreadable file fails with an errno code
  // instead of a generic libvips message, and it is no slower (903 img/s, against 857 when
  // libvips opens the path: JPEG shrink-on-load makes it open the file twice).
  return decodeImageBytes(await readCapped(absolutePath), preprocessing);
}

/**
 * The same for a file's bytes already in memory (an image dropped on a run's map), so an image
 * from outside the dataset is prepared exactly as the dataset's own were.
 */
export async function decodeImageBytes(bytes: Uint8Array, preprocessing: Preprocessing): Promise<Uint8Array> {
  const { size, fit, background } = preprocessing;
  const channels = preprocessing.channels === 'grayscale' ? 1 : 3;
  if (bytes.length === 0) throw new DecodeError(DECODE_REASONS.empty);
  let output: { data: Buffer; info: OutputInfo };
  const pipeline = () => {
    const image = sharp(bytes, {
      limitInputPixels: MAX_INPUT_PIXELS,
      // 'truncated' would let corrupt data through as garbage pixels (a TIFF with a damaged LZW
      // strip decodes "fine"); the default, 'warning', also rejects ordinary photos whose
      // decoder merely warns. 'error' rejects both truncated and corrupt data, and nothing more.
      failOn: 'error',
      // GIF, WebP and TIFF can hold several frames or pages: train on the first one.
      pages: 1,
      autoOrient: true,
    })
      .flatten({ background })
      .resize(size, size, { fit: SHARP_FIT[fit], position: 'centre', background });
    return (channels === 1 ? image.grayscale() : image.toColourspace('srgb'))
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  };
  try {
    output = await pipeline();
  } catch (error) {
    // Too large is judged from the header before any decoding, so it is this file's own verdict.
    if (/exceeds pixel limit/i.test(error instanceof Error ? error.message : '')) {
      throw new DecodeError(DECODE_REASONS.tooLarge);
    }
    output = await alone(pipeline).catch((again: unknown) => {
      // Still nothing to go on: a file that starts like an image and does not decode is damaged.
      const damaged = isUninformative(again) && hasImageSignature(bytes);
      throw new DecodeError(damaged ? DECODE_REASONS.corrupt : sharpErrorReason(again, bytes));
    });
  }
  const expected = size * size * channels;
  if (output.data.length !== expected || output.info.channels !== channels) {
    throw new DecodeError(
      DECODE_REASONS.other(`got ${output.data.length} bytes in ${output.info.channels} channels`),
    );
  }
  return new Uint8Array(output.data.buffer, output.data.byteOffset, output.data.byteLength);
}

/** Reads a file whole unless it is over {@link MAX_FILE_BYTES}, which is refused unread. */
async function readCapped(absolutePath: string): Promise<Buffer> {
  try {
    const file = await open(absolutePath, 'r');
    try {
      if ((await file.stat()).size > MAX_FILE_BYTES) throw new DecodeError(DECODE_REASONS.fileTooLarge);
      return await file.readFile();
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(fileErrorReason(error));
  }
}

/**
 * libvips keeps one error buffer for all its threads, so when several decodes fail at once a
 * failure can read "Unknown error", or another file's message (seen with 15 truncated files
 * decoded together: a PNG's failure worded as a WebP's). So a failed decode runs again alone, one
 * at a time, to learn what really went wrong (or to succeed: the failure may have been another
 * file's). Failures are rare, so the second decode costs little.
 */
let aloneQueue: Promise<unknown> = Promise.resolve();

function alone<T>(work: () => Promise<T>): Promise<T> {
  const result = aloneQueue.then(work);
  aloneQueue = result.catch(() => undefined);
  return result;
}

function isUninformative(error: unknown): boolean {
  const message = error instanceof Error ? error.message.trim() : '';
  return message === '' || /^unknown error$/i.test(message);
}

function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return DECODE_REASONS.vanished;
  if (code === 'EACCES' || code === 'EPERM') return DECODE_REASONS.permission;
  return DECODE_REASONS.other(error instanceof Error ? error.message : String(error));
}

/** libvips reports through message text only; these patterns are the ones its loaders use. */
function sharpErrorReason(error: unknown, bytes: Uint8Array): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) return DECODE_REASONS.tooLarge;
  // A cut-off file can lose what libvips recognises a format by (TIFF keeps its directory at the
  // end), so "unsupported format" only means mislabelled when the bytes do not start like an image.
  if (!hasImageSignature(bytes)) return DECODE_REASONS.notAnImage;
  if (
    /unsupported image format|corrupt|premature end|unexpected end|truncat|read error|invalid|unable to parse/i.test(
      message,
    )
  ) {
    return DECODE_REASONS.corrupt;
  }
  return DECODE_REASONS.other(firstMeaningfulLine(message));
}

/** The leading bytes of every format in IMAGE_EXTENSIONS. */
function hasImageSignature(bytes: Uint8Array): boolean {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  const head = ascii(0, 4);
  return (
    head === '\x89PNG' ||
    (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) ||
    head === 'GIF8' ||
    (head === 'RIFF' && ascii(8, 12) === 'WEBP') ||
    head === 'II*\0' ||
    head === 'MM\0*' ||
    head === 'II+\0' ||
    head === 'MM\0+' ||
    ascii(4, 8) === 'ftyp'
  );
}

/** libheif prefixes its real complaint with one "bad seek" line per probe; those say nothing. */
function firstMeaningfulLine(message: string): string {
  const lines = message.split('\n').filter((line) => line.trim() && !/bad seek/.test(line));
  return lines[0] ?? message;
}
