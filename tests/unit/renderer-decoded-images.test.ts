import { describe, expect, it } from 'vitest';
import {
  blockImageData,
  blockRows,
  pixelChecksum,
  tileDisplaySize,
} from '../../src/renderer/src/lib/decoded-images';
import { framePositions, unframe } from '../../src/renderer/src/lib/scatter-geometry';

// ImageData is a browser class; a minimal stand-in is enough for the pixel conversion.
class FakeImageData {
  readonly data: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}
Object.assign(globalThis, { ImageData: FakeImageData });

describe('decoded images on a canvas', () => {
  it('turns a grayscale image into opaque grey RGBA, and an RGB one channel for channel', () => {
    const gray = {
      count: 2,
      size: 2,
      channels: 1 as const,
      pixels: Uint8Array.from([0, 1, 2, 3, 10, 20, 30, 40]),
    };
    expect(Array.from(blockImageData(gray, 1).data.slice(0, 8))).toEqual([10, 10, 10, 255, 20, 20, 20, 255]);
    const rgb = { count: 1, size: 1, channels: 3 as const, pixels: Uint8Array.from([5, 6, 7]) };
    expect(Array.from(blockImageData(rgb, 0).data)).toEqual([5, 6, 7, 255]);
  });

  it('grows small tiles by whole factors and leaves the rest at the size asked for', () => {
    expect(tileDisplaySize(28, 56)).toBe(56);
    expect(tileDisplaySize(28, 84)).toBe(84);
    expect(tileDisplaySize(28, 70)).toBe(56);
    expect(tileDisplaySize(28, 42)).toBe(42);
    expect(tileDisplaySize(64, 56)).toBe(56);
  });

  it('gives equal pixels equal checksums and different pixels different ones', () => {
    const a = Uint8Array.from([1, 2, 3]);
    expect(pixelChecksum(a)).toBe(pixelChecksum(Uint8Array.from([1, 2, 3])));
    expect(pixelChecksum(a)).not.toBe(pixelChecksum(Uint8Array.from([1, 2, 4])));
    expect(pixelChecksum(a)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('cuts rows out of a row-major block', () => {
    const values = Float32Array.from([0, 1, 2, 3, 4, 5]);
    expect(Array.from(blockRows(values, 2, 1, 3))).toEqual([2, 3, 4, 5]);
  });
});

describe('reading the map back at the pointer', () => {
  it('undoes the framing of both aspects', () => {
    const positions = Float32Array.from([-4, 10, 6, 30, 1, 12, Number.NaN, 0]);
    for (const aspect of ['fill', 'equal'] as const) {
      const framed = framePositions(positions, 4, aspect);
      const back = unframe(positions, 4, aspect)!;
      for (let i = 0; i < 3; i++) {
        const [x, y] = back(framed[2 * i]!, framed[2 * i + 1]!);
        expect(x).toBeCloseTo(positions[2 * i]!, 5);
        expect(y).toBeCloseTo(positions[2 * i + 1]!, 5);
      }
    }
  });

  it('has nothing to read without a finite position', () => {
    expect(unframe(Float32Array.from([Number.NaN, 1]), 1)).toBeNull();
  });
});
