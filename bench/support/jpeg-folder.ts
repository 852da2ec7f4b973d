/** A reproducible folder of photo-like JPEGs for the benchmarks, generated once and reused. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { paintGradient, paintShape } from './picture-paint';

/** Deterministic pseudo-random numbers, so every machine benchmarks the same pictures. */
function random(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 4294967296;
}

/** A gradient, a few flat discs and squares, and sensor-like noise: JPEG work close to a photo's. */
function picture(seed: number, size: number): Buffer {
  const rnd = random(seed);
  const w = size;
  const pixels = Buffer.alloc(w * w * 3);
  const from = [rnd() * 255, rnd() * 255, rnd() * 255];
  const to = [rnd() * 255, rnd() * 255, rnd() * 255];
  paintGradient(pixels, w, from, to, rnd() * 2 * Math.PI);
  for (let shape = 0, shapes = 3 + Math.floor(rnd() * 6); shape < shapes; shape++) {
    const [cx, cy, r] = [rnd() * w, rnd() * w, (w / 256) * (8 + rnd() * 60)];
    const colour = [rnd() * 255, rnd() * 255, rnd() * 255];
    paintShape(pixels, w, [cx, cy, r], colour, rnd() < 0.5);
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i]! + (rnd() - 0.5) * 16;
  return pixels;
}

function fileName(index: number): string {
  return `${String(index).padStart(5, '0')}.jpg`;
}

/** Writes whichever of the `count` JPEGs are not in `directory` yet; returns all their paths. */
export async function ensureJpegFolder(directory: string, count: number, size: number): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const present = new Set(await readdir(directory));
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(fileName(i)));
  if (missing.length > 0) {
    console.log(`generating ${missing.length} JPEGs in ${directory} (once; later runs reuse them)…`);
    const raw = { width: size, height: size, channels: 3 } as const;
    await inPool(missing, 4, async (i) => {
      const jpeg = await sharp(picture(i, size), { raw }).jpeg({ quality: 85 }).toBuffer();
      await writeFile(path.join(directory, fileName(i)), jpeg);
    });
  }
  return Array.from({ length: count }, (_, i) => path.join(directory, fileName(i)));
}

/** Runs `work` on every item with at most `concurrency` in flight. */
export async function inPool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
