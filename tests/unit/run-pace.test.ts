import { describe, expect, it } from 'vitest';
import { secondsPerEpoch } from '../../src/renderer/src/lib/run-pace';

describe('secondsPerEpoch', () => {
  it('is the median gap between epochs, so a continued run’s restarted clock does not count', () => {
    const metrics = [
      { epoch: 1, wallSeconds: 10 },
      { epoch: 2, wallSeconds: 20 },
      { epoch: 3, wallSeconds: 31 },
      // Continued: the clock starts again.
      { epoch: 4, wallSeconds: 12 },
      { epoch: 5, wallSeconds: 21 },
    ];
    expect(secondsPerEpoch(metrics)).toBe(10);
  });

  it('uses the only epoch when there is one, and says nothing without any', () => {
    expect(secondsPerEpoch([{ epoch: 1, wallSeconds: 42 }])).toBe(42);
    expect(secondsPerEpoch([])).toBeNull();
  });
});
