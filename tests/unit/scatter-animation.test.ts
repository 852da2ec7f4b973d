import { describe, expect, it } from 'vitest';
import {
  ANIMATION_MS,
  glideProgress,
  PointMotion,
  pointAt,
} from '../../src/renderer/src/charts/scatter/scatter-animation';

describe('glide progress', () => {
  it('runs eased from 0 to 1 over the animation, clamped either side', () => {
    expect(glideProgress(100, 100)).toBe(0);
    expect(glideProgress(100 + ANIMATION_MS / 2, 100)).toBeCloseTo(0.5);
    expect(glideProgress(100 + ANIMATION_MS, 100)).toBe(1);
    // A frame stamped before the glide began (rAF times are the frame's start) stays at the start.
    expect(glideProgress(50, 100)).toBe(0);
    expect(glideProgress(100 + 10 * ANIMATION_MS, 100)).toBe(1);
  });

  it('eases in and out: slow at the ends, fast in the middle', () => {
    const quarter = glideProgress(ANIMATION_MS / 4, 0);
    expect(quarter).toBeLessThan(0.25);
    expect(glideProgress((3 * ANIMATION_MS) / 4, 0)).toBeCloseTo(1 - quarter);
  });
});

describe('a point mid-glide', () => {
  const from = Float32Array.from([0, 0, 1, 1]);
  const to = Float32Array.from([1, -1, 1, 1]);

  it('lerps between where it was and where it goes', () => {
    expect(pointAt(from, to, 0, 0)).toEqual([0, 0]);
    expect(pointAt(from, to, 0, 0.5)).toEqual([0.5, -0.5]);
    expect(pointAt(from, to, 0, 1)).toEqual([1, -1]);
  });

  it('sits at its target when the start has another count, and is absent past the end', () => {
    expect(pointAt(Float32Array.from([5, 5]), to, 0, 0)).toEqual([1, -1]);
    expect(pointAt(null, to, 1, 0.3)).toEqual([1, 1]);
    expect(pointAt(from, to, 2, 0.5)).toBeNull();
  });
});

describe('point motion', () => {
  it('jumps when told not to glide, and then rests at the target', () => {
    const motion = new PointMotion();
    const framed = Float32Array.from([0.5, 0.5]);
    motion.retarget(framed, false, 0);
    expect(motion.from).toBe(framed);
    expect(motion.to).toBe(framed);
    expect(motion.moving).toBe(false);
    expect(motion.advance(10)).toBe(1);
    expect(motion.shownAt(10)).toBe(framed);
  });

  it('glides from where the points are drawn now, and ends once the glide has run', () => {
    const motion = new PointMotion();
    motion.retarget(Float32Array.from([0, 0]), false, 0);
    motion.retarget(Float32Array.from([1, 0]), true, 1000);
    expect(motion.moving).toBe(true);
    const half = motion.advance(1000 + ANIMATION_MS / 2);
    expect(half).toBeCloseTo(0.5);
    expect(motion.shownAt(1000 + ANIMATION_MS / 2)![0]).toBeCloseTo(0.5);
    // Redirected mid-glide: the new glide starts where the points are, not where they were going.
    motion.retarget(Float32Array.from([-1, 0]), true, 1000 + ANIMATION_MS / 2);
    expect(motion.from![0]).toBeCloseTo(0.5);
    expect(motion.advance(1000 + 2 * ANIMATION_MS)).toBe(1);
    expect(motion.moving).toBe(false);
    expect([...motion.shownAt(5000)!]).toEqual([-1, 0]);
  });
});
