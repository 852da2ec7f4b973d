import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSprites, SPRITE_SIZE } from '../../src/main/engine/data/sprites';
import { countsPerLabel } from '../../src/main/engine/data/image-set';
import { SPRITE_SHAPES } from '../../src/shared/builtin-datasets';

describe('sprites without duplicates', () => {
  const sprites = generateSprites();
  const stride = SPRITE_SIZE * SPRITE_SIZE;

  it('draws no two images pixel-identical', () => {
    const firstWith = new Map<string, number>();
    const twins: [number, number][] = [];
    for (let i = 0; i < sprites.count; i++) {
      const hash = createHash('sha1')
        .update(sprites.pixels.subarray(i * stride, (i + 1) * stride))
        .digest('hex');
      const first = firstWith.get(hash);
      if (first === undefined) firstWith.set(hash, i);
      else twins.push([first, i]);
    }
    expect(twins.length, `${twins.length} twins, first ${JSON.stringify(twins.slice(0, 3))}`).toBe(0);
  });

  it('samples each shape’s rotations over its own period, and says so in the metadata', () => {
    const rotation = sprites.metadata.find((m) => m.field.name === 'rotation')!.values;
    const periodDegrees = { square: 90, ellipse: 180, heart: 360 };
    SPRITE_SHAPES.forEach((shape, label) => {
      const angles = [...new Set([...rotation].filter((_, i) => sprites.labels[i] === label))].sort(
        (a, b) => a - b,
      );
      const period = periodDegrees[shape];
      expect(angles).toHaveLength(10);
      angles.forEach((angle, r) => expect(angle).toBeCloseTo((r * period) / 10, 3));
    });
  });
});

describe('sprites dataset', () => {
  const sprites = generateSprites();

  it('has every combination of shape, scale, rotation and position, with the factors as metadata', () => {
    expect(sprites.count).toBe(3 * 6 * 10 * 8 * 8);
    expect(sprites.size).toBe(SPRITE_SIZE);
    expect(countsPerLabel(sprites)).toEqual([3840, 3840, 3840]);
    expect(sprites.metadata.map((m) => m.field.name)).toEqual(['shape', 'scale', 'rotation', 'x', 'y']);
    for (const { values } of sprites.metadata) expect(values.length).toBe(sprites.count);
    expect(new Set(sprites.metadata[1]!.values).size).toBe(6);
    expect(new Set(sprites.metadata[3]!.values).size).toBe(8);
  });

  it('draws each sprite where its factors say, bigger for larger scales', () => {
    const stride = SPRITE_SIZE * SPRITE_SIZE;
    const inkAndCentre = (index: number) => {
      const image = sprites.pixels.subarray(index * stride, (index + 1) * stride);
      let ink = 0;
      let cx = 0;
      let cy = 0;
      image.forEach((v, p) => {
        ink += v;
        cx += v * (p % SPRITE_SIZE);
        cy += v * Math.floor(p / SPRITE_SIZE);
      });
      return { ink, cx: cx / ink, cy: cy / ink };
    };
    const find = (shape: number, scale: number, x: number, y: number) =>
      [...Array(sprites.count).keys()].find(
        (i) =>
          sprites.labels[i] === shape &&
          sprites.metadata[1]!.values[i] === scale &&
          sprites.metadata[2]!.values[i] === 0 &&
          Math.abs(sprites.metadata[3]!.values[i]! - x) < 1e-6 &&
          Math.abs(sprites.metadata[4]!.values[i]! - y) < 1e-6,
      )!;
    const small = inkAndCentre(find(0, 0.5, 0, 0));
    const large = inkAndCentre(find(0, 1, 0, 0));
    expect(large.ink).toBeGreaterThan(3 * small.ink);
    const left = inkAndCentre(find(1, 1, 0, 3 / 7));
    const right = inkAndCentre(find(1, 1, 1, 3 / 7));
    expect(right.cx - left.cx).toBeGreaterThan(25);
    expect(Math.abs(right.cy - left.cy)).toBeLessThan(1);
    // Shapes differ: a square covers more of its box than an ellipse of the same scale.
    expect(inkAndCentre(find(0, 1, 3 / 7, 3 / 7)).ink).toBeGreaterThan(
      inkAndCentre(find(1, 1, 3 / 7, 3 / 7)).ink,
    );
  });
});
