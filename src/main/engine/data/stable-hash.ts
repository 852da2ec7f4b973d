/**
 * Small, dependency-free hashes that never change between versions: whatever is derived from them
 * (which split a file is in, which noise a batch draws) must come out the same years later.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of a string's UTF-8 bytes. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser. FNV-1a alone barely moves its high bits when only the last
 * characters differ (`#1`, `#2`, …), and the high bits are what a [0, 1) threshold compares: the
 * seven images of a class once all hashed into validation.
 */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A string's hash mapped to [0, 1): FNV-1a, then `fmix32`. */
export function unitHash(text: string): number {
  return fmix32(fnv1a32(text)) / 2 ** 32;
}

/**
 * One 32-bit seed from several integers (e.g. seed, epoch, batch): each part is hashed in, so
 * neighbouring inputs give unrelated seeds and no two (epoch, batch) pairs share one by
 * arithmetic accident, as `seed · a + epoch · b + batch` can.
 */
export function mixSeed(...parts: number[]): number {
  return fmix32(fnv1a32(parts.map((part) => String(part >>> 0)).join(':')));
}
