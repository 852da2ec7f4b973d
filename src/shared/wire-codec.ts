/**
 * Binary framing for the WebSocket host, so bulk data (latent codes, layouts) crosses as typed
 * arrays rather than JSON number lists. A frame is:
 *   u32 JSON byte length | JSON (UTF-8) | pad to 8 | per buffer: u32 byte length, pad to 8, bytes, pad to 8
 * (little-endian), so every buffer starts 8-aligned and can be viewed as Float64Array too.
 * Typed arrays inside the value are replaced in the JSON by `{ "$typed": kind, "index": n }`.
 */

const TYPED_KINDS = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
} as const;
type TypedKind = keyof typeof TYPED_KINDS;
type AnyTyped = InstanceType<(typeof TYPED_KINDS)[TypedKind]>;

const MAX_DEPTH = 64;

function typedKindOf(value: unknown): TypedKind | null {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return null;
  const name = value.constructor.name;
  return Object.hasOwn(TYPED_KINDS, name) ? (name as TypedKind) : null;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

export function encodeFrame(value: unknown): Uint8Array {
  const buffers: AnyTyped[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const kind = typedKindOf(v);
    if (kind === null) return v;
    buffers.push(v as AnyTyped);
    return { $typed: kind, index: buffers.length - 1 };
  });
  const jsonBytes = new TextEncoder().encode(json);
  let size = align8(4 + jsonBytes.byteLength);
  const offsets: number[] = [];
  for (const b of buffers) {
    offsets.push(size);
    size = align8(size + 8 + b.byteLength);
  }
  const frame = new Uint8Array(size);
  const view = new DataView(frame.buffer);
  view.setUint32(0, jsonBytes.byteLength, true);
  frame.set(jsonBytes, 4);
  buffers.forEach((b, i) => {
    const at = offsets[i] ?? 0;
    view.setUint32(at, b.byteLength, true);
    frame.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at + 8);
  });
  return frame;
}

/** Throws on a malformed frame; callers turn that into a refusal, never a crash. */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('frame too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.byteLength) throw new Error('frame JSON length out of range');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + jsonLength));
  const parsed: unknown = JSON.parse(text);
  let cursor = align8(4 + jsonLength);
  const taken: AnyTyped[] = [];
  const revive = (node: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error('frame nested too deeply');
    if (Array.isArray(node)) return node.map((item) => revive(item, depth + 1));
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const kind = record['$typed'];
    if (typeof kind === 'string' && Object.keys(record).length === 2 && 'index' in record) {
      if (!Object.hasOwn(TYPED_KINDS, kind)) throw new Error('unknown typed array kind');
      if (record['index'] !== taken.length) throw new Error('typed arrays out of order');
      const Ctor = TYPED_KINDS[kind as TypedKind];
      const byteLength = readLength(kind as TypedKind);
      const bytes = frame.slice(cursor, cursor + byteLength);
      cursor = align8(cursor + byteLength);
      const typed = new Ctor(bytes.buffer, 0, byteLength / Ctor.BYTES_PER_ELEMENT);
      taken.push(typed);
      return typed;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      // Own data properties only; '__proto__' as a plain key is kept as data for schemas to refuse.
      Object.defineProperty(out, k, {
        value: revive(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const readLength = (kind: TypedKind): number => {
    if (cursor + 8 > frame.byteLength) throw new Error('frame truncated');
    const length = view.getUint32(cursor, true);
    cursor += 8;
    if (length % TYPED_KINDS[kind].BYTES_PER_ELEMENT !== 0 || cursor + length > frame.byteLength) {
      throw new Error('typed array length out of range');
    }
    return length;
  };
  return revive(parsed, 0);
}
