import { describe, expect, it } from 'vitest';
import { alignToPrevious } from '../../src/main/engine/projection/align';
import { mulberry32 } from '../../src/main/engine/random';

function randomLayout(count: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const layout = Float32Array.from({ length: count * 2 }, () => random() * 4 - 2);
  for (const axis of [0, 1]) {
    let mean = 0;
    for (let i = 0; i < count; i++) mean += layout[i * 2 + axis]! / count;
    for (let i = 0; i < count; i++) layout[i * 2 + axis]! -= mean;
  }
  return layout;
}

function transform(layout: Float32Array, angle: number, reflect: boolean, shift = [0, 0]): Float32Array {
  const out = new Float32Array(layout.length);
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  for (let i = 0; i < layout.length / 2; i++) {
    const x = layout[i * 2]!;
    const y = reflect ? -layout[i * 2 + 1]! : layout[i * 2 + 1]!;
    out[i * 2] = c * x - s * y + shift[0]!;
    out[i * 2 + 1] = s * x + c * y + shift[1]!;
  }
  return out;
}

const maxDifference = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

describe('Procrustes alignment', () => {
  it.each([
    ['a rotation', 1.1, false],
    ['a reflection', 0, true],
    ['a rotation and reflection', -2.5, true],
  ])('recovers %s onto the previous layout', (_name, angle, reflect) => {
    const previous = randomLayout(500, 3);
    const moved = transform(previous, angle, reflect);
    expect(maxDifference(alignToPrevious(moved, previous), previous)).toBeLessThan(1e-4);
  });

  it('also lands on a previous layout that sits off-centre', () => {
    const base = randomLayout(200, 4);
    const previous = transform(base, 0, false, [5, -3]);
    expect(maxDifference(alignToPrevious(transform(base, 0.7, false), previous), previous)).toBeLessThan(
      1e-4,
    );
  });

  it('keeps the scale and leaves a first layout untouched', () => {
    const layout = randomLayout(100, 5);
    expect(alignToPrevious(layout, undefined)).toBe(layout);
    const aligned = alignToPrevious(transform(layout, 0.3, false), transform(layout, 2, true));
    const norm = (l: Float32Array) => Math.hypot(...l);
    expect(norm(aligned)).toBeCloseTo(norm(layout), 3);
  });
});
