import { describe, expect, it } from 'vitest';
import { countsPerLabel, takeSample, type ImageSet } from '../../src/main/engine/data/image-set';
import { hashSplit } from '../../src/main/engine/data/split';
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

const RULE = {
  method: 'fnv1a32',
  seed: 3,
  testFraction: 0.1,
  validationFraction: 0.1,
  key: 'index',
} as const;

describe('hash split', () => {
  it('puts every image in exactly one part, about the fractions of every class', () => {
    const set = labelledSet([1000, 500, 30, 7]);
    const { train, validation, test } = hashSplit(set, RULE);
    const all = [...train.indices, ...validation.indices, ...test.indices].sort((a, b) => a - b);
    expect(all).toEqual([...Array(set.count).keys()]);
    const share = (indices: Uint32Array, label: number, n: number) =>
      [...indices].filter((i) => set.labels[i] === label).length / n;
    expect(share(test.indices, 0, 1000)).toBeCloseTo(0.1, 1);
    expect(share(validation.indices, 0, 1000)).toBeCloseTo(0.1, 1);
    // Even the class of 7 has a test and a validation image.
    expect(share(test.indices, 3, 7)).toBeGreaterThan(0);
    expect(share(validation.indices, 3, 7)).toBeGreaterThan(0);
  });

  it('is reproducible with a seed and differs with another', () => {
    const set = labelledSet([40, 40]);
    const a = hashSplit(set, RULE);
    const b = hashSplit(set, RULE);
    const c = hashSplit(set, { ...RULE, seed: 4 });
    expect([...a.test.indices]).toEqual([...b.test.indices]);
    expect([...a.test.indices]).not.toEqual([...c.test.indices]);
  });

  it('caps a part with a seeded sample that keeps each class its share, not the first N', () => {
    const set = labelledSet([500, 300, 200]);
    const whole = { set, indices: Uint32Array.from(set.labels.keys()) };
    const capped = takeSample(whole, 100, 9);
    expect(capped.indices).toHaveLength(100);
    const perClass = [0, 1, 2].map(
      (label) => [...capped.indices].filter((i) => set.labels[i] === label).length,
    );
    expect(perClass).toEqual([50, 30, 20]);
    expect([...capped.indices]).not.toEqual([...capped.indices].map((_, k) => k));
    expect([...takeSample(whole, 100, 9).indices]).toEqual([...capped.indices]);
    expect([...takeSample(whole, 100, 10).indices]).not.toEqual([...capped.indices]);
    expect(takeSample(whole, 5000, 9)).toBe(whole);
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
