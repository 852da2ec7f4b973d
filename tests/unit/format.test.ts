import { describe, expect, it } from 'vitest';
import { formatEpoch } from '../../src/renderer/src/lib/format';

describe('epochs in words', () => {
  it('says which epoch, part-way ones included', () => {
    expect(formatEpoch(3)).toBe('Epoch 3');
    expect(formatEpoch(2.4)).toBe('Epoch 3 (40%)');
  });
});
