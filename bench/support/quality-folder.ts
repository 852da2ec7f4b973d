/**
 * The quality bench's image folder: `count` 64 px RGB PNGs of one coloured shape each (circle,
 * square or triangle, the class and its sub-folder), of random colour, size, place and turn, on a
 * plain or a two-colour gradient background of random colours, with anti-aliased edges and a
 * little pixel noise. Everything follows from the seed, so every machine trains on the same
 * pictures and nobody chose them.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { mulberry32 } from '../../src/main/engine/random';
import { inPool } from './jpeg-folder';

export const QUALITY_SIZE = 64;
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;
type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** Sub-samples per pixel side for the edge coverage (4 × 4), so edges look drawn, not stair-stepped. */
const SUPERSAMPLE = 4;
/** Peak-to-peak pixel noise in 8-bit levels: some sensor-like texture, as real pictures have. */
const NOISE = 6;

type Rgb = [number, number, number];

interface Shape {
  kind: ShapeClass;
  cx: number;
  cy: number;
  /** Circumradius in pixels. */
  r: number;
  /** Turn in radians (squares and triangles). */
  angle: number;
  rgb: Rgb;
}

/** Whether the point (x, y) lies in the shape; squares and triangles are turned by `angle`. */
function inside(shape: Shape, x: number, y: number): boolean {
  const [dx, dy] = [x - shape.cx, y - shape.cy];
  if (shape.kind === 'circle') return dx * dx + dy * dy <= shape.r * shape.r;
  const [cos, sin] = [Math.cos(shape.angle), Math.sin(shape.angle)];
  const [u, v] = [cos * dx + sin * dy, -sin * dx + cos * dy];
  if (shape.kind === 'square') {
    const half = shape.r / Math.SQRT2;
    return Math.abs(u) <= half && Math.abs(v) <= half;
  }
  // Equilateral, apex up (before the turn): base at v = r/2, apex at v = −r.
  const base = shape.r / 2;
  return v <= base && Math.abs(u) <= ((v + shape.r) / (base + shape.r)) * shape.r * (Math.sqrt(3) / 2);
}

/** The fraction of the pixel (px, py) the shape covers, from a SUPERSAMPLE² grid of points. */
function coverage(shape: Shape, px: number, py: number): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy++) {
    for (let sx = 0; sx < SUPERSAMPLE; sx++) {
      if (inside(shape, px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE)) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

/** The raw RGB pixels of picture `index` of class `kind`. */
export function shapePicture(kind: ShapeClass, index: number, seed: number): Buffer {
  const random = mulberry32((seed * 1_000_003 + index * 7919) >>> 0);
  const colour = (): Rgb => [random() * 255, random() * 255, random() * 255];
  const from = colour();
  const to = random() < 0.5 ? from : colour();
  const turn = random() * 2 * Math.PI;
  const [gx, gy] = [Math.cos(turn) / QUALITY_SIZE, Math.sin(turn) / QUALITY_SIZE];
  const r = 8 + random() * 16;
  const shape: Shape = {
    kind,
    r,
    // Mostly inside the picture: the centre at least 60 % of the radius from every edge.
    cx: 0.6 * r + random() * (QUALITY_SIZE - 1.2 * r),
    cy: 0.6 * r + random() * (QUALITY_SIZE - 1.2 * r),
    angle: random() * 2 * Math.PI,
    rgb: colour(),
  };
  const pixels = Buffer.alloc(QUALITY_SIZE * QUALITY_SIZE * 3);
  for (let y = 0; y < QUALITY_SIZE; y++) {
    for (let x = 0; x < QUALITY_SIZE; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (x - QUALITY_SIZE / 2) * gx + (y - QUALITY_SIZE / 2) * gy));
      const covered = coverage(shape, x, y);
      for (let c = 0; c < 3; c++) {
        const background = from[c]! + (to[c]! - from[c]!) * t;
        const value = background + (shape.rgb[c]! - background) * covered + (random() - 0.5) * NOISE;
        pixels[(y * QUALITY_SIZE + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return pixels;
}

/**
 * Writes `count` PNGs into `folder/<class>/<class>-NNNN.png`, the classes taking turns (so they
 * differ in size by one at most); returns how many of each class were written.
 */
export async function writeQualityFolder(
  folder: string,
  count: number,
  seed: number,
): Promise<Record<ShapeClass, number>> {
  const written: Record<ShapeClass, number> = { circle: 0, square: 0, triangle: 0 };
  for (const kind of SHAPE_CLASSES) await mkdir(path.join(folder, kind), { recursive: true });
  const raw = { width: QUALITY_SIZE, height: QUALITY_SIZE, channels: 3 } as const;
  const images = Array.from({ length: count }, (_, i) => i);
  await inPool(images, 2, async (i) => {
    const kind = SHAPE_CLASSES[i % SHAPE_CLASSES.length]!;
    const within = Math.floor(i / SHAPE_CLASSES.length);
    const file = path.join(folder, kind, `${kind}-${String(within).padStart(4, '0')}.png`);
    await sharp(shapePicture(kind, i, seed), { raw })
      .png()
      .toFile(file);
    written[kind]++;
  });
  return written;
}
