import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, parseIdx } from '../../src/main/engine/data/idx';
import { imageSetFromIdx, loadMnist, mnistDirectory } from '../../src/main/engine/data/mnist';

function idx(typeCode: number, dims: number[], body: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header.set([0, 0, typeCode, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return new Uint8Array([...header, ...body]);
}

describe('IDX parsing', () => {
  it('reads shape and values of a well-formed file', () => {
    const parsed = parseIdx(idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), 3);
    expect(parsed.shape).toEqual([2, 2, 2]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.each([
    [
      'a bad magic prefix',
      () => {
        const b = idx(0x08, [1], [0]);
        b[0] = 1;
        return b;
      },
      /two zero bytes/,
    ],
    ['a non-byte type', () => idx(0x0d, [1], [0, 0, 0, 0]), /not unsigned bytes/],
    ['too few dimensions for images', () => idx(0x08, [4], [0, 0, 0, 0]), /expected 3/],
    ['a truncated header', () => idx(0x08, [2, 2, 2], []).subarray(0, 9), /header truncated/],
    ['a body shorter than promised', () => idx(0x08, [2, 2, 2], [1, 2, 3]), /header promises 8/],
    ['a zero-sized dimension', () => idx(0x08, [0, 2, 2], []), /size zero/],
    ['an empty file', () => new Uint8Array(0), /shorter than/],
  ])('rejects %s', (_name, make, message) => {
    expect(() => parseIdx(make(), 3)).toThrow(IdxFormatError);
    expect(() => parseIdx(make(), 3)).toThrow(message);
  });

  it('rejects image and label files that disagree', () => {
    expect(() => imageSetFromIdx(idx(0x08, [2, 1, 1], [0, 0]), idx(0x08, [3], [0, 1, 2]))).toThrow(
      /2 images but 3 labels/,
    );
    expect(() => imageSetFromIdx(idx(0x08, [1, 1, 1], [0]), idx(0x08, [1], [12]))).toThrow(/not a digit/);
  });

  it('rejects a corrupted copy of the real MNIST header', async () => {
    const real = await readFile(path.join(mnistDirectory(), 't10k-labels-idx1-ubyte'));
    const corrupt = new Uint8Array(real);
    corrupt[7] = 0xff; // item count no longer matches the body
    expect(() => parseIdx(corrupt, 1)).toThrow(IdxFormatError);
  });

  it('loads the built-in MNIST: 60,000 + 10,000 labelled 28×28 images', async () => {
    const { train, test } = await loadMnist();
    expect([train.count, test.count]).toEqual([60_000, 10_000]);
    expect(train.size).toBe(28);
    expect(train.pixels.length).toBe(60_000 * 784);
    const counts = new Array<number>(10).fill(0);
    for (const label of test.labels) counts[label]! += 1;
    expect(counts.every((c) => c > 800 && c < 1_200)).toBe(true);
    // Known first labels of the MNIST files (5, 0, 4, 1, 9 and 7, 2, 1, 0, 4).
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });
});
