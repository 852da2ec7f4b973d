import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSprites, SPRITE_SIZE } from '../../src/main/engine/data/sprites';
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
