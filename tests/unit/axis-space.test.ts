import { describe, expect, it } from 'vitest';
import { leftAxisSpace, tickLabelWidth } from '../../src/renderer/src/lib/axis-space';

describe('leftAxisSpace', () => {
  it('keeps the chart’s own margin while the labels fit in it (MNIST losses in the hundreds)', () => {
    expect(leftAxisSpace(['200', '300', '400'], 44)).toEqual({ labelOffset: 44, marginLeft: 56 });
  });

  it('moves the axis name out past labels in the tens of thousands (64×64 colour images)', () => {
    const space = leftAxisSpace(['50,000', '52,500', '55,000'], 44);
    // The name's middle lies beyond the tick padding plus the widest label, with a gap.
    expect(space.labelOffset).toBeGreaterThanOrEqual(8 + tickLabelWidth('55,000') + 10);
    expect(space.labelOffset).toBeGreaterThan(44);
    expect(space.marginLeft).toBe(space.labelOffset + 12);
  });

  it('counts commas and points narrower than figures', () => {
    expect(tickLabelWidth('1,000')).toBeLessThan(tickLabelWidth('10000'));
    expect(tickLabelWidth('0.5')).toBeLessThan(tickLabelWidth('005'));
  });

  it('keeps the minimum with no labels (nothing plotted yet)', () => {
    expect(leftAxisSpace([], 50)).toEqual({ labelOffset: 50, marginLeft: 62 });
  });
});
