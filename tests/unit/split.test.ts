import { describe, expect, it } from 'vitest';
import { takeSample, type ImageSet } from '../../src/main/engine/data/image-set';
import { hashSplit } from '../../src/main/engine/data/split';

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
