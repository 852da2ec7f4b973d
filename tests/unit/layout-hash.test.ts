import { describe, expect, it } from 'vitest';
import { layoutHash } from '../../src/renderer/src/lib/layout-hash';

describe('layouts as numbers', () => {
  it('fingerprints a layout by its coordinates', () => {
    const a = Float32Array.from([0, 1, 2, 3]);
    expect(layoutHash(a)).toBe(layoutHash(Float32Array.from(a)));
    expect(layoutHash(a)).not.toBe(layoutHash(Float32Array.from([0, 1, 2, 3.0001])));
    expect(layoutHash(a.subarray(2))).toBe(layoutHash(Float32Array.from([2, 3])));
  });
});
