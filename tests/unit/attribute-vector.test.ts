import { describe, expect, it } from 'vitest';
import {
  attributeVector,
  labelRows,
  meanCode,
  nearestOffset,
  stripOffsets,
  vectorLength,
  walkCodes,
} from '../../src/renderer/src/lib/attribute-vector';

// Four 2-D codes: two of class 0 round (0, 0), two of class 1 round (4, 2).
const MEANS = Float32Array.from([-1, 0, 1, 0, 3, 2, 5, 2]);
const LABELS = Uint8Array.from([0, 0, 1, 1]);

describe('attribute vectors', () => {
  it('averages the chosen rows', () => {
    expect([...meanCode(MEANS, 2, [0, 1])!]).toEqual([0, 0]);
    expect([...meanCode(MEANS, 2, [2, 3])!]).toEqual([4, 2]);
    expect([...meanCode(MEANS, 2, [3])!]).toEqual([5, 2]);
  });

  it('has no mean for an empty group or one outside the table', () => {
    expect(meanCode(MEANS, 2, [])).toBeNull();
    expect(meanCode(MEANS, 2, [4])).toBeNull();
    expect(meanCode(MEANS, 2, [-1])).toBeNull();
  });

  it('points from group A to group B: mean(B) − mean(A)', () => {
    const v = attributeVector(MEANS, 2, labelRows(LABELS, 0), labelRows(LABELS, 1));
    expect([...v!]).toEqual([4, 2]);
    expect([...attributeVector(MEANS, 2, [2, 3], [0, 1])!]).toEqual([-4, -2]);
    expect(vectorLength(v!)).toBeCloseTo(Math.sqrt(20));
    expect(attributeVector(MEANS, 2, [], [0])).toBeNull();
  });

  it('keeps small differences between large codes (sums in doubles)', () => {
    const count = 10_000;
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = 1000 + (i % 2 ? 0.001 : -0.001);
    const odd = Uint32Array.from({ length: count / 2 }, (_, i) => 2 * i + 1);
    const even = Uint32Array.from({ length: count / 2 }, (_, i) => 2 * i);
    expect(attributeVector(values, 1, even, odd)![0]).toBeCloseTo(0.002, 4);
  });

  it('walks t = −2 … +2 in nine steps, t = 0 in the middle', () => {
    const offsets = stripOffsets();
    expect(offsets).toEqual([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]);
    expect(stripOffsets(3, 1)).toEqual([-1, 0, 1]);
  });

  it('gives the codes code + t·v, one row per t', () => {
    const codes = walkCodes([1, 1], [4, 2], [-2, 0, 0.5]);
    expect([...codes]).toEqual([-7, -3, 1, 1, 3, 2]);
  });

  it('finds the strip image nearest the slider', () => {
    const offsets = stripOffsets();
    expect(nearestOffset(offsets, 0)).toBe(4);
    expect(nearestOffset(offsets, -2)).toBe(0);
    expect(nearestOffset(offsets, 1.6)).toBe(7);
    expect(nearestOffset(offsets, 1.25)).toBe(6);
    expect(nearestOffset(offsets, 9)).toBe(8);
  });

  it('lists the rows of a label', () => {
    expect([...labelRows(LABELS, 1)]).toEqual([2, 3]);
    expect([...labelRows(LABELS, 7)]).toEqual([]);
  });
});
