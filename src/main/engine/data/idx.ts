/**
 * IDX file parsing (the MNIST container format): a 4-byte magic number (two zero bytes, a type
 * code, the number of dimensions), one big-endian u32 per dimension, then the values. Only the
 * unsigned-byte type is used by image datasets; anything else is refused with a reason.
 */

const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

export function parseIdx(bytes: Uint8Array, expectedDims?: number): IdxArray {
  if (bytes.byteLength < 4) throw new IdxFormatError('IDX file shorter than its 4-byte header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== 0 || view.getUint8(1) !== 0) {
    throw new IdxFormatError('IDX magic number must start with two zero bytes');
  }
  const typeCode = view.getUint8(2);
  if (typeCode !== UNSIGNED_BYTE) {
    throw new IdxFormatError(`IDX type 0x${typeCode.toString(16)} is not unsigned bytes (0x08)`);
  }
  const dims = view.getUint8(3);
  if (dims === 0) throw new IdxFormatError('IDX file declares zero dimensions');
  if (expectedDims !== undefined && dims !== expectedDims) {
    throw new IdxFormatError(`IDX file has ${dims} dimensions, expected ${expectedDims}`);
  }
  const headerLength = 4 + 4 * dims;
  if (bytes.byteLength < headerLength) throw new IdxFormatError('IDX header truncated');
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < dims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size === 0) throw new IdxFormatError(`IDX dimension ${d} has size zero`);
    shape.push(size);
    count *= size;
  }
  if (bytes.byteLength !== headerLength + count) {
    throw new IdxFormatError(
      `IDX body has ${bytes.byteLength - headerLength} bytes; the header promises ${count}`,
    );
  }
  return { shape, data: bytes.subarray(headerLength) };
}
