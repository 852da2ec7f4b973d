import { describe, expect, it } from 'vitest';
import { fastPow } from '../../src/main/engine/projection/fast-pow';
import { mulberry32 } from '../../src/main/engine/random';

describe('UMAP numerics', () => {
  it('fastPow is within 0.2% of Math.pow and falls back to it outside its range', () => {
    const random = mulberry32(9);
    for (const y of [0.79, 0.895, 1.33, 1.92]) {
      for (let i = 0; i < 2000; i++) {
        const x = Math.exp((random() - 0.5) * 120);
        expect(Math.abs(fastPow(x, y) / Math.pow(x, y) - 1)).toBeLessThan(2e-3);
      }
    }
    expect(fastPow(0, 0.9)).toBe(0);
    expect(fastPow(1e-40, 0.9)).toBe(Math.pow(1e-40, 0.9));
    expect(fastPow(1e35, 1.9)).toBe(Math.pow(1e35, 1.9));
  });
});
