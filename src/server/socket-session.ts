/**
 * One browser tab's WebSocket: requests in, replies and events out, with bounds so that one bad or
 * stuck client never costs the host (or the training everyone else is watching): a protocol error
 * closes that socket only, requests in flight are capped, and a client that stops reading is closed
 * before its send buffer grows without end.
 */
import type { WebSocket } from 'ws';
import type { HelloFrame } from '../shared/host-protocol';
import { fail } from '../shared/result';
import { decodeFrame, encodeFrame } from '../shared/wire-codec';
import type { AppCore } from '../main/core/app-core';

export interface SocketLimits {
  /** Requests one socket may have awaiting a reply; more are refused with BUSY at once. */
  maxInFlight: number;
  /** Outgoing bytes a socket may hold unsent; past this the client is not reading and is closed. */
  maxBufferedBytes: number;
  /** Past this, progress events (which the next one supersedes) are dropped for a slow tab. */
  progressDropBytes: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxInFlight: 32,
  maxBufferedBytes: 64 * 1024 * 1024,
  progressDropBytes: 8 * 1024 * 1024,
};

function isRequestEnvelope(value: unknown): value is { t: 'req'; id: number; name: unknown; args: unknown } {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v['t'] === 'req' && Number.isSafeInteger(v['id']);
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function serveSocket(ws: WebSocket, core: AppCore, mediaKey: string, limits: SocketLimits): void {
  // Invalid UTF-8, an unmasked frame, a bad opcode or an oversized frame: ws reports it here and
  // closes; without a listener the 'error' event would end the whole host.
  ws.on('error', () => ws.terminate());
  let inFlight = 0;

  const send = (message: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(encodeFrame(message));
    if (ws.bufferedAmount > limits.maxBufferedBytes) ws.terminate();
  };
  const hello: HelloFrame = { t: 'hello', mediaKey };
  send(hello);

  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name === 'train:did-progress' && ws.bufferedAmount > limits.progressDropBytes) return;
    send({ t: 'evt', name, payload });
  });
  ws.on('close', unsubscribe);

  ws.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      if (!isBinary) throw new Error('text frame');
      message = decodeFrame(toBytes(data));
    } catch {
      send({ t: 'res', id: null, result: fail('INVALID_PAYLOAD', 'Malformed message.') });
      return;
    }
    if (!isRequestEnvelope(message)) {
      send({ t: 'res', id: null, result: fail('INVALID_PAYLOAD', 'Malformed request envelope.') });
      return;
    }
    const { id } = message;
    if (inFlight >= limits.maxInFlight) {
      send({
        t: 'res',
        id,
        result: fail('BUSY', `Too many requests at once (${limits.maxInFlight}); wait for some replies.`),
      });
      return;
    }
    inFlight++;
    void core
      .dispatch(message.name, message.args)
      .catch(() => fail('INTERNAL', 'The request failed inside the host.'))
      .then((result) => send({ t: 'res', id, result }))
      .finally(() => inFlight--);
  });
}
