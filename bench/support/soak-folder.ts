/**
 * The soak bench's image folder: `count` distinct 64×64 RGB JPEGs in 10 class folders
 * (`class-0` … `class-9`), generated once with sharp and reused while complete.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { inPool } from './jpeg-folder';
import { paintGradient, paintShape } from './picture-paint';

const SIZE = 64;
export const SOAK_CLASSES = 10;

/** Deterministic pseudo-random numbers (the same pictures on every machine). */
function random(seed: number): () => number {
  let state = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 4294967296;
}

/**
 * A class-tinted gradient with a few discs and squares and some noise: every image differs, and
 * images of one class share a hue, so the VAE has something to learn and the map something to show.
 */
function picture(index: number, label: number): Buffer {
  const rnd = random(index + 1);
  const pixels = Buffer.alloc(SIZE * SIZE * 3);
  const hue = (label / SOAK_CLASSES) * 2 * Math.PI;
  const tint = [0, 2, 4].map((k) => 128 + 100 * Math.cos(hue + (k * Math.PI) / 3));
  const from = tint.map((t) => t * (0.4 + 0.6 * rnd()));
  const to = tint.map((t) => 255 - t * rnd());
  paintGradient(pixels, SIZE, from, to, rnd() * 2 * Math.PI);
  for (let shape = 0, shapes = 2 + Math.floor(rnd() * 4); shape < shapes; shape++) {
    const [cx, cy, r] = [rnd() * SIZE, rnd() * SIZE, 3 + rnd() * 14];
    const colour = [rnd() * 255, rnd() * 255, rnd() * 255];
    paintShape(pixels, SIZE, [cx, cy, r], colour, (label + shape) % 2 === 0);
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i]! + (rnd() - 0.5) * 12;
  return pixels;
}

function location(folder: string, index: number): string {
  const label = index % SOAK_CLASSES;
  return path.join(folder, `class-${label}`, `${String(index).padStart(6, '0')}.jpg`);
}

/** Writes whichever of the `count` images are missing; returns how many it wrote. */
export async function ensureSoakFolder(folder: string, count: number): Promise<number> {
  const present = new Set<string>();
  for (let label = 0; label < SOAK_CLASSES; label++) {
    const directory = path.join(folder, `class-${label}`);
    await mkdir(directory, { recursive: true });
    for (const name of await readdir(directory)) present.add(path.join(directory, name));
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(location(folder, i)));
  if (missing.length === 0) return 0;
  console.log(`generating ${missing.length} 64×64 JPEGs in ${folder} (once; later runs reuse them)…`);
  const raw = { width: SIZE, height: SIZE, channels: 3 } as const;
  // Four in flight: sharp's libvips threads do the encoding, the JS side only draws.
  await inPool(missing, 4, (i) =>
    sharp(picture(i, i % SOAK_CLASSES), { raw })
      .jpeg({ quality: 90 })
      .toFile(location(folder, i)),
  );
  return missing.length;
}
