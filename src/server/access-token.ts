/**
 * The per-start access token of the browser host, and how a page proves it holds it.
 *
 * No cookie carries it: browsers send a cookie for 127.0.0.1 to every port of that address, so any
 * other local service would receive the token (and could overwrite it). Instead the printed address
 * carries the token in its fragment (never sent over HTTP); the page keeps it in its own origin's
 * storage (scoped to this port) and offers it as a WebSocket subprotocol. Media, which `<img>` loads
 * without headers, carries a key derived from the token that can read media and nothing else.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HOST_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../shared/host-protocol';

export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The read-only key for `/media/…?key=`: leaking it exposes run images, never control of the host. */
export function mediaKeyFor(token: string): string {
  return createHmac('sha256', token).update('latent-studio media').digest('base64url');
}

/** The token a WebSocket upgrade offers in `Sec-WebSocket-Protocol`, or null. */
export function tokenFromProtocols(request: IncomingMessage): string | null {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  const offered = header.split(',').map((p) => p.trim());
  if (!offered.includes(HOST_PROTOCOL)) return null;
  const carrier = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return carrier ? carrier.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}
