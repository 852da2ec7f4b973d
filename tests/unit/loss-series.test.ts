import { describe, expect, it } from 'vitest';
import { epochAxisEnd } from '../../src/renderer/src/lib/loss-series';

describe('epochAxisEnd', () => {
  it('reaches the planned epochs while the run trains, so its progress shows', () => {
    expect(epochAxisEnd(188, 12, true)).toBe(188);
  });

  it('reaches the epochs done once a run stopped early (patience or time budget)', () => {
    expect(epochAxisEnd(188, 32, false)).toBe(32);
  });

  it('keeps the plan before any epoch, and never falls under one epoch', () => {
    expect(epochAxisEnd(10, 0, false)).toBe(10);
    expect(epochAxisEnd(0, 0, false)).toBe(1);
  });

  it('follows a continued run past its first plan', () => {
    expect(epochAxisEnd(10, 14, true)).toBe(14);
    expect(epochAxisEnd(10, 14, false)).toBe(14);
  });
});
