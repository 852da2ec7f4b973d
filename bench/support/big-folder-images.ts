/**
 * A large ImageFolder of small distinct PNGs for the big-folder bench, generated once and reused:
 * `<directory>/class-<k>/<index>.png`, image `i` in class `i % classes`. Each picture is a class
 * colour background with a disc and a square whose place, size and colour follow the index, so no
 * two images are the same and the classes look different.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { inPool } from './jpeg-folder';

/** Deterministic pseudo-random numbers (same generator as the JPEG fixtures). */
function random(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 4294967296;
}

function hueColour(hue: number, light: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + hue * 12) % 12;
    return Math.round(255 * (light - light * 0.8 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** size × size × 3 bytes. */
export function bigFolderPicture(index: number, classes: number, size: number): Buffer {
  const rnd = random(index + 1);
  const label = index % classes;
  const pixels = Buffer.alloc(size * size * 3);
  const background = hueColour(label / classes, 0.35);
  for (let p = 0; p < size * size; p++) pixels.set(background, p * 3);
  const disc = { x: rnd() * size, y: rnd() * size, r: size * (0.1 + rnd() * 0.25) };
  const discColour = hueColour(rnd(), 0.5 + rnd() * 0.4);
  const square = { x: rnd() * size, y: rnd() * size, half: size * (0.05 + rnd() * 0.2) };
  const squareColour = hueColour((label / classes + 0.5) % 1, 0.6);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (y * size + x) * 3;
      if ((x - disc.x) ** 2 + (y - disc.y) ** 2 <= disc.r ** 2) pixels.set(discColour, at);
      if (Math.abs(x - square.x) <= square.half && Math.abs(y - square.y) <= square.half)
        pixels.set(squareColour, at);
    }
  }
  return pixels;
}

export function bigFolderFileName(index: number): string {
  return `${String(index).padStart(6, '0')}.png`;
}

/**
 * Writes whichever of the `count` PNGs are missing from `directory`; returns how many it wrote
 * and how long that took. Files of other runs with a larger count are left alone, so a folder is
 * only reused when its name carries the count.
 */
export async function ensureBigFolder(
  directory: string,
  count: number,
  options: { size: number; classes: number; onProgress?: (written: number, missing: number) => void },
): Promise<{ written: number; seconds: number }> {
  const { size, classes } = options;
  const present = new Set<string>();
  for (let c = 0; c < classes; c++) {
    const classDir = path.join(directory, `class-${c}`);
    await mkdir(classDir, { recursive: true });
    for (const name of await readdir(classDir)) present.add(`${c}/${name}`);
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!present.has(`${i % classes}/${bigFolderFileName(i)}`)) missing.push(i);
  const started = performance.now();
  if (missing.length === 0) return { written: 0, seconds: 0 };
  const raw = { width: size, height: size, channels: 3 } as const;
  let written = 0;
  await inPool(missing, 16, async (i) => {
    const png = await sharp(bigFolderPicture(i, classes, size), { raw })
      .png({ compressionLevel: 6 })
      .toBuffer();
    await writeFile(path.join(directory, `class-${i % classes}`, bigFolderFileName(i)), png);
    options.onProgress?.(++written, missing.length);
  });
  return { written, seconds: (performance.now() - started) / 1000 };
}
