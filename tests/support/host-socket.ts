/** Opens a WebSocket to a browser host as its page does: same origin, the token as a subprotocol. */
import WebSocket from 'ws';
import { HOST_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../src/shared/host-protocol';

export function hostProtocols(token: string | null): string[] {
  return token === null ? [HOST_PROTOCOL] : [HOST_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** Resolves once open; rejects with `HTTP <status>` when the upgrade is refused. */
export function openHostSocket(
  origin: string,
  token: string | null,
  headers: Record<string, string> = { Origin: origin },
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws`, hostProtocols(token), { headers });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
      ws.terminate();
    });
  });
}

/**
 * Offers `token` and resolves with how the host closed the socket (a stale token is answered with
 * an upgrade closed at once); rejects with `HTTP <status>` when the upgrade is refused, or when the
 * socket was served (a `hello` frame arrived) instead of closed.
 */
export function closeAnswer(
  origin: string,
  token: string,
  headers: Record<string, string> = { Origin: origin },
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws`, hostProtocols(token), { headers });
    ws.once('message', () => {
      reject(new Error('the socket was served'));
      ws.terminate();
    });
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
      ws.terminate();
    });
  });
}
