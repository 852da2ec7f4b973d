import { describe, expect, it } from 'vitest';
import { BarnesHutRepulsion } from '../../src/main/engine/projection/barnes-hut';
import { mulberry32 } from '../../src/main/engine/random';
import { gaussian } from '../support/gaussian-clusters';

describe('t-SNE building blocks', () => {
  it('Barnes-Hut repulsion is within 2% of the exact sum', () => {
    const random = mulberry32(8);
    const count = 2000;
    const positions = Float64Array.from({ length: count * 2 }, () => gaussian(random) * 20);
    const forces = new Float64Array(count * 2);
    const sumQ = new BarnesHutRepulsion(count).compute(positions, 0.6, forces);
    let exactZ = 0;
    let error = 0;
    let norm = 0;
    for (let i = 0; i < count; i++) {
      let fx = 0;
      let fy = 0;
      for (let j = 0; j < count; j++) {
        if (j === i) continue;
        const dx = positions[i * 2]! - positions[j * 2]!;
        const dy = positions[i * 2 + 1]! - positions[j * 2 + 1]!;
        const q = 1 / (1 + dx * dx + dy * dy);
        exactZ += q;
        fx += q * q * dx;
        fy += q * q * dy;
      }
      error += (fx - forces[i * 2]!) ** 2 + (fy - forces[i * 2 + 1]!) ** 2;
      norm += fx * fx + fy * fy;
    }
    expect(Math.abs(sumQ / exactZ - 1)).toBeLessThan(0.02);
    expect(Math.sqrt(error / norm)).toBeLessThan(0.02);
  });
});
