import { describe, expect, it } from 'vitest';
import { countsPerLabel, type ImageSet } from '../../src/main/engine/data/image-set';
import { stratifiedSplit } from '../../src/main/engine/data/split';
import { generateSprites, SPRITE_SIZE } from '../../src/main/engine/data/sprites';

function labelledSet(counts: number[]): ImageSet {
  const labels = Uint8Array.from(counts.flatMap((n, label) => new Array<number>(n).fill(label)));
  return {
    pixels: new Uint8Array(labels.length),
    labels,
    count: labels.length,
    size: 1,
    channels: 1,
    classNames: counts.map((_, i) => `class ${i}`),
    metadata: [],
  };
}

describe('stratified split', () => {
  it('holds out the same fraction of every class, and nothing twice', () => {
    const set = labelledSet([100, 50, 30, 7]);
    const { train, test } = stratifiedSplit(set, { testFraction: 0.1, seed: 3 });
    const heldOut = (label: number) => [...test.indices].filter((i) => set.labels[i] === label).length;
    expect([0, 1, 2, 3].map(heldOut)).toEqual([10, 5, 3, 1]);
    const all = [...train.indices, ...test.indices].sort((a, b) => a - b);
    expect(all).toEqual([...Array(set.count).keys()]);
  });

  it('is reproducible with a seed and differs with another', () => {
    const set = labelledSet([40, 40]);
    const a = stratifiedSplit(set, { seed: 1 });
    const b = stratifiedSplit(set, { seed: 1 });
    const c = stratifiedSplit(set, { seed: 2 });
    expect([...a.test.indices]).toEqual([...b.test.indices]);
    expect([...a.test.indices]).not.toEqual([...c.test.indices]);
  });

  it('shuffles each part, so a cap on it is still a mix of classes', () => {
    const set = labelledSet([500, 500]);
    const firstFifty = [...stratifiedSplit(set, { seed: 5 }).train.indices.subarray(0, 50)];
    const ones = firstFifty.filter((i) => set.labels[i] === 1).length;
    expect(ones).toBeGreaterThan(10);
    expect(ones).toBeLessThan(40);
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
