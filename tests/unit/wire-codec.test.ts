import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../src/shared/wire-codec';

describe('wire codec', () => {
  it('round-trips nested typed arrays as typed arrays', () => {
    const value = {
      t: 'evt',
      payload: {
        means: new Float32Array([1.5, -2, 3]),
        labels: new Uint8Array([1, 2, 3, 4, 5]),
        n: 3,
        s: 'é',
      },
      list: [new Float64Array([Math.PI]), null],
    };
    const decoded = decodeFrame(encodeFrame(value)) as typeof value;
    expect(decoded.payload.means).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.payload.means)).toEqual([1.5, -2, 3]);
    expect(decoded.payload.labels).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.payload.labels)).toEqual([1, 2, 3, 4, 5]);
    expect(decoded.list[0]).toBeInstanceOf(Float64Array);
    expect(decoded.list[0]?.[0]).toBe(Math.PI);
    expect(decoded.payload.s).toBe('é');
  });

  it('keeps subarray views exact', () => {
    const base = new Float32Array([0, 1, 2, 3, 4]);
    const decoded = decodeFrame(encodeFrame({ v: base.subarray(1, 3) })) as { v: Float32Array };
    expect(Array.from(decoded.v)).toEqual([1, 2]);
  });

  it('rejects malformed frames', () => {
    expect(() => decodeFrame(new Uint8Array([1, 0]))).toThrow();
    expect(() => decodeFrame(new Uint8Array([255, 255, 255, 255, 0]))).toThrow(/length/);
    const good = encodeFrame({ v: new Float32Array(4) });
    expect(() => decodeFrame(good.subarray(0, good.length - 8))).toThrow();
    const forged = new TextEncoder().encode('{"$typed":"Float32Array","index":0}');
    const frame = new Uint8Array(8 + forged.length);
    new DataView(frame.buffer).setUint32(0, forged.length, true);
    frame.set(forged, 4);
    expect(() => decodeFrame(frame)).toThrow();
  });

  it('keeps "__proto__" as plain data instead of changing prototypes', () => {
    const json = new TextEncoder().encode('{"__proto__":{"polluted":true}}');
    const frame = new Uint8Array(8 + json.length);
    new DataView(frame.buffer).setUint32(0, json.length, true);
    frame.set(json, 4);
    const decoded = decodeFrame(frame) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });
});
