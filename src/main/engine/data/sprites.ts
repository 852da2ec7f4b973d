/**
 * The built-in "sprites" dataset, drawn procedurally on first use (in the spirit of dSprites):
 * a square, an ellipse and a heart at 6 scales, 10 rotations and 8×8 positions, 64×64 grayscale,
 * anti-aliased by 4×4 supersampling. Rotations span each shape's own period, as in dSprites: a
 * quarter turn for the square, a half turn for the ellipse, a full turn for the heart; a full turn
 * for all three would draw two thirds of the square and ellipse images twice, and the split would
 * then hold out images that are also in training. Every generative factor is kept as metadata so the latent map
 * can be coloured by it, which is how one sees whether a VAE has disentangled them.
 */
import { SPRITE_SHAPES } from '../../../shared/builtin-datasets';
import type { ImageSet } from './image-set';

export const SPRITE_SIZE = 64;
const SCALES = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
const ROTATIONS = 10;
const POSITIONS = 8;
const SUPERSAMPLE = 4;
/** Half-width of a scale-1 shape, in pixels. */
const BASE_RADIUS = 12;

type Inside = (x: number, y: number) => boolean;
type SpriteShape = (typeof SPRITE_SHAPES)[number];

/** Each shape as an inside test on the unit square [-1, 1]², before scaling and rotation. */
const SHAPES: Record<SpriteShape, Inside> = {
  square: (x, y) => Math.abs(x) <= 0.8 && Math.abs(y) <= 0.8,
  ellipse: (x, y) => x * x + (y * y) / 0.36 <= 1,
  // (x² + y² − 1)³ − x² y³ ≤ 0, flipped so the point is at the bottom, fitted into the square.
  heart: (x, y) => {
    const hx = x * 1.25;
    const hy = -y * 1.25 + 0.25;
    const a = hx * hx + hy * hy - 1;
    return a * a * a - hx * hx * hy * hy * hy <= 0;
  },
};

/** The turn after which each shape looks the same again (radians); rotations sample [0, period). */
const ROTATION_PERIOD: Record<SpriteShape, number> = {
  square: Math.PI / 2,
  ellipse: Math.PI,
  heart: 2 * Math.PI,
};

export function generateSprites(): ImageSet {
  const count = SPRITE_SHAPES.length * SCALES.length * ROTATIONS * POSITIONS * POSITIONS;
  const stride = SPRITE_SIZE * SPRITE_SIZE;
  const pixels = new Uint8Array(count * stride);
  const labels = new Uint8Array(count);
  const scale = new Float32Array(count);
  const rotation = new Float32Array(count);
  const posX = new Float32Array(count);
  const posY = new Float32Array(count);
  const margin = BASE_RADIUS + 2;
  const step = (SPRITE_SIZE - 2 * margin) / (POSITIONS - 1);
  let index = 0;
  SPRITE_SHAPES.forEach((shape, shapeIndex) => {
    const inside = SHAPES[shape];
    for (const s of SCALES) {
      for (let r = 0; r < ROTATIONS; r++) {
        const angle = (r / ROTATIONS) * ROTATION_PERIOD[shape];
        const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
        const radius = BASE_RADIUS * s;
        for (let py = 0; py < POSITIONS; py++) {
          for (let px = 0; px < POSITIONS; px++) {
            const cx = margin + px * step;
            const cy = margin + py * step;
            const image = pixels.subarray(index * stride, (index + 1) * stride);
            // Only the pixels the rotated shape can touch: a box of ±radius·√2 around the centre.
            const reach = Math.ceil(radius * Math.SQRT2) + 1;
            for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(SPRITE_SIZE, cy + reach); y++) {
              for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(SPRITE_SIZE, cx + reach); x++) {
                let hits = 0;
                for (let sy = 0; sy < SUPERSAMPLE; sy++) {
                  for (let sx = 0; sx < SUPERSAMPLE; sx++) {
                    const dx = (x + (sx + 0.5) / SUPERSAMPLE - cx) / radius;
                    const dy = (y + (sy + 0.5) / SUPERSAMPLE - cy) / radius;
                    if (inside(cos * dx + sin * dy, -sin * dx + cos * dy)) hits++;
                  }
                }
                image[y * SPRITE_SIZE + x] = Math.round((255 * hits) / (SUPERSAMPLE * SUPERSAMPLE));
              }
            }
            labels[index] = shapeIndex;
            scale[index] = s;
            rotation[index] = (angle * 180) / Math.PI;
            posX[index] = px / (POSITIONS - 1);
            posY[index] = py / (POSITIONS - 1);
            index++;
          }
        }
      }
    }
  });
  return {
    pixels,
    labels,
    count,
    size: SPRITE_SIZE,
    channels: 1,
    classNames: [...SPRITE_SHAPES],
    metadata: [
      { field: { name: 'shape', categories: [...SPRITE_SHAPES] }, values: Float32Array.from(labels) },
      { field: { name: 'scale' }, values: scale },
      { field: { name: 'rotation' }, values: rotation },
      { field: { name: 'x' }, values: posX },
      { field: { name: 'y' }, values: posY },
    ],
  };
}
