import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

/** Raw uint8 pixels (channels interleaved) as a PNG file; grayscale stays one channel. */
export async function writePng(
  file: string,
  pixels: Uint8Array,
  size: { width: number; height: number },
  channels: 1 | 3,
): Promise<void> {
  const image = sharp(pixels, { raw: { ...size, channels } });
  // Without b-w, sharp writes a one-channel image as three-channel sRGB.
  const bytes = await (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
  await writeFile(file, bytes);
}
