import { describe, expect, it } from 'vitest';
import { planUpload } from '../../src/renderer/src/lib/upload-plan';
import { UPLOAD_LIMITS } from '../../src/shared/uploads';

const MB = 1024 * 1024;

describe('planning an upload', () => {
  it('leaves out non-images, hidden files, empty and oversized files with the reason', () => {
    const plan = planUpload([
      { relativePath: 'cats/a.png', size: 100 },
      { relativePath: '.DS_Store', size: 10 },
      { relativePath: 'cats/.hidden.png', size: 10 },
      { relativePath: 'notes.txt', size: 10 },
      { relativePath: 'cats/empty.png', size: 0 },
      { relativePath: 'cats/huge.jpg', size: UPLOAD_LIMITS.fileBytes + 1 },
      { relativePath: 'dogs/b.JPG', size: 200 },
    ]);
    expect(plan.calls).toEqual([[0, 6]]);
    expect(plan.bytes).toBe(300);
    expect(plan.skipped.map((s) => s.relativePath)).toEqual([
      '.DS_Store',
      'cats/.hidden.png',
      'notes.txt',
      'cats/empty.png',
      'cats/huge.jpg',
    ]);
    expect(plan.skipped[4]?.reason).toMatch(/larger than 8 MB/i);
  });

  it('keeps every call within the bytes and files one message may carry, in order', () => {
    const files = Array.from({ length: 7 }, (_, i) => ({ relativePath: `a/${i}.png`, size: 3 * MB }));
    const plan = planUpload(files);
    expect(plan.calls).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
    for (const call of plan.calls)
      expect(call.reduce((sum, i) => sum + files[i]!.size, 0)).toBeLessThanOrEqual(UPLOAD_LIMITS.callBytes);
    const many = Array.from({ length: 1001 }, (_, i) => ({ relativePath: `${i}.png`, size: 1 }));
    expect(planUpload(many).calls.map((c) => c.length)).toEqual([500, 500, 1]);
  });
});
