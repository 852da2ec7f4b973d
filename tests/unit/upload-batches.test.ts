import { describe, expect, it } from 'vitest';
import { batchFiles, IPC_LIMITS, WEBSOCKET_LIMITS } from '../../src/renderer/src/lib/upload-batches';

const MB = 1024 * 1024;

describe('splitting brought images into calls', () => {
  it('sends small files together, at most 32 a call, in order', () => {
    const { calls, refused } = batchFiles(
      Array.from({ length: 40 }, () => 1000),
      IPC_LIMITS,
    );
    expect(calls.map((c) => c.length)).toEqual([32, 8]);
    expect(calls.flat()).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(refused).toEqual([]);
  });

  it('keeps a call under 12 MB; a bigger file goes alone', () => {
    const { calls } = batchFiles([5 * MB, 5 * MB, 5 * MB, 14 * MB, 1 * MB], IPC_LIMITS);
    expect(calls).toEqual([[0, 1], [2], [3], [4]]);
  });

  it('refuses files over the limit and empty ones, with a reason', () => {
    const { calls, refused } = batchFiles([1000, 20 * MB, 0], WEBSOCKET_LIMITS);
    expect(calls).toEqual([[0]]);
    expect(refused.map((r) => r.index)).toEqual([1, 2]);
    expect(refused[0]!.reason).toMatch(/15 MB/);
    expect(batchFiles([20 * MB], IPC_LIMITS).calls).toEqual([[0]]);
    expect(batchFiles([26 * MB], IPC_LIMITS).refused[0]!.reason).toMatch(/25 MB/);
  });
});
