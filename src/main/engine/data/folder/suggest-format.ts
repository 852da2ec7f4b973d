/**
 * The format a folder's own images suggest (issue 15): a sample of them is measured, so a folder
 * of 28 px digits opens at 28 px grayscale instead of the 64 px RGB default, which would upscale
 * every image and triple its channels for nothing.
 */
import { stat } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { DEFAULT_PREPROCESSING } from '../../../../shared/builtin-datasets';
import { IMAGE_SIZES, type ImageSize, type SuggestedFormat } from '../../../../shared/dataset-types';
// Also applies decode-image's sharp settings (one libvips thread per image, no operation cache).
import { MAX_FILE_BYTES, MAX_INPUT_PIXELS } from './decode-image';
import { spreadSample } from './sample-files';

/** Images measured: enough for a stable median, few enough to answer within a preview. */
export const SUGGESTION_SAMPLE = 64;
/**
 * Never suggested above the default: 96 and 128 px cost 2.25× and 4× the pixels of 64 per image,
 * which on the CPU backends turns minutes of training into tens of minutes. Users who want them
 * choose them; the reason says they exist.
 */
const LARGEST_SUGGESTED: ImageSize = DEFAULT_PREPROCESSING.size;
/** Side of the thumbnail whose channels are compared: a colour image shows colour at any size. */
const THUMBNAIL = 32;
/** Levels R, G and B may differ by and still count as grey: JPEG's rounding of grey pixels. */
const GREY_TOLERANCE = 2;
/** Files measured at once; each uses one libvips thread. */
const IN_FLIGHT = 8;

export interface Measured {
  width: number;
  height: number;
  grey: boolean;
}

/** The format `folder`'s images suggest, or null when none of its sample could be read. */
export async function suggestFormat(folder: string): Promise<SuggestedFormat | null> {
  const files = await spreadSample(folder, SUGGESTION_SAMPLE);
  // Kept in file order, not finishing order, so the same folder always reads the same way.
  const results: (Measured | null)[] = files.map(() => null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const k = next++;
      results[k] = await measure(files[k]!);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const measured = results.filter((m): m is Measured => m !== null);
  return measured.length > 0 ? suggestFrom(measured) : null;
}

/** A readable image's displayed size and whether it is grey; null for anything unreadable. */
async function measure(file: string): Promise<Measured | null> {
  try {
    // The scan skips these unread, so they must not sway the suggestion either.
    if ((await stat(file)).size > MAX_FILE_BYTES) return null;
    const image = sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 });
    const { width, height, channels, orientation } = await image.metadata();
    if (!width || !height) return null;
    // EXIF orientations 5–8 turn the image a quarter: it is shown (and trained) the other way up.
    const turned = (orientation ?? 1) >= 5;
    // One band, or one plus alpha, is grey by construction; RGB may still hold only greys
    // (scans and exports often save grey images as RGB), which only the pixels can tell.
    const grey = channels <= 2 || (await hasOnlyGreys(image));
    return { width: turned ? height : width, height: turned ? width : height, grey };
  } catch {
    return null;
  }
}

async function hasOnlyGreys(image: Sharp): Promise<boolean> {
  const { data, info } = await image
    // Transparent pixels may hold any colour; training sees them composited, so judge them so.
    .flatten({ background: '#000000' })
    .resize(THUMBNAIL, THUMBNAIL, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) return info.channels < 3;
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE) return false;
  }
  return true;
}

/** The size and channels for these measured images, with the reason in words. */
export function suggestFrom(measured: readonly Measured[]): SuggestedFormat {
  // The short side, since the default crop fills the square from it.
  const bySide = [...measured].sort((a, b) => Math.min(a.width, a.height) - Math.min(b.width, b.height));
  const typical = bySide[Math.floor((bySide.length - 1) / 2)]!;
  const median = Math.min(typical.width, typical.height);
  // The smallest size that keeps every pixel of the typical image: none when it is over 128 px.
  const fitting = IMAGE_SIZES.find((size) => size >= median);
  const capped = fitting === undefined || fitting > LARGEST_SUGGESTED;
  const size = capped ? LARGEST_SUGGESTED : fitting;
  const colour = measured.filter((m) => !m.grey).length;

  const sameSize = measured.every((m) => m.width === typical.width && m.height === typical.height);
  const dimensions = `${typical.width}×${typical.height}`;
  const parts = [
    sameSize ? `${dimensions} images` : `images of mixed sizes, typically ${dimensions}`,
    colour === 0
      ? 'all grey'
      : colour === measured.length
        ? 'colour'
        : `${colour} of ${measured.length} in colour`,
  ];
  let reason = parts.join(', ');
  if (capped) {
    const larger = IMAGE_SIZES.filter((s) => s > LARGEST_SUGGESTED).join(' and ');
    reason += `; ${size} px keeps training fast (${larger} are offered)`;
  } else if (median < IMAGE_SIZES[0]) {
    reason += `; ${size} px is the smallest size offered`;
  }
  return { size, channels: colour === 0 ? 'grayscale' : 'rgb', sampled: measured.length, reason };
}
