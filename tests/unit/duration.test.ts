import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/shared/duration';

describe('parseDuration', () => {
  it('reads the ways people write a time budget', () => {
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1h 30m 15s')).toBe(5415);
    expect(parseDuration('2.5h')).toBe(9000);
    expect(parseDuration(' 10 ')).toBe(600);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'm', '5x', '5 minutes', '1m2h', '5m5m', '-5m', '5m!', 'h5']) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });
});
