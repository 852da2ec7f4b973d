/**
 * The browser host: serves the built renderer over HTTP and speaks the contract over a WebSocket,
 * so the same renderer and engine run in any browser (a remote GPU box through an SSH tunnel, or
 * the UI tests in Chromium).
 *
 * What needs the per-start token: the WebSocket (every request and event) and, through a key
 * derived from it, `/media/`. The renderer's own files are served to any request that names this
 * host (`Host` checked against DNS rebinding): they are the app's public bundle and hold no data.
 * See `access-token.ts` for why no cookie carries the token, and `stale-token.ts` for what a tab
 * holding an earlier start's token is told.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  HOST_PROTOCOL,
  MEDIA_KEY_PARAM,
  STALE_TOKEN_CLOSE_CODE,
  TOKEN_FRAGMENT_PARAM,
} from '../shared/host-protocol';
import type { AppCore } from '../main/core/app-core';
import { mediaKeyFor, tokenFromProtocols, tokensMatch } from './access-token';
import { rememberStartToken } from './earlier-tokens';
import { hostChecker } from './host-check';
import { serveMedia } from './media-route';
import { DEFAULT_SOCKET_LIMITS, serveSocket, type SocketLimits } from './socket-session';
import { staleTokenAddress } from './stale-token';
import { serveStatic } from './static-files';

export interface BrowserHostOptions {
  core: AppCore;
  /** Folder of the built renderer (out/renderer). */
  staticDirectory: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  /** More `Host` names to accept besides loopback and the bound address (`--allowed-host`). */
  allowedHostNames?: readonly string[];
  /** Per-socket bounds; the defaults suit a person with a few tabs. */
  socketLimits?: Partial<SocketLimits>;
  /** Open WebSockets at once; more are refused (503). */
  maxSockets?: number;
}

export interface BrowserHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_SOCKETS = 64;

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/** Answers an upgrade that will not become a WebSocket, then closes the connection. */
function refuseUpgrade(socket: Duplex, status: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core, staticDirectory, token } = options;
  const mediaKey = mediaKeyFor(token);
  const limits = { ...DEFAULT_SOCKET_LIMITS, ...options.socketLimits };
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const isEarlierToken = await rememberStartToken(core.dataDirectory, token);
  // Set once the port is known (port 0 picks one).
  let knownHost: (header: string | undefined) => boolean = () => false;

  const server = createServer((request, response) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
    if (!knownHost(request.headers.host)) return refuse(response, 421, 'Unknown host name.');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'Method not allowed.');
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (url.pathname.startsWith('/media/')) {
      if (!tokensMatch(mediaKey, url.searchParams.get(MEDIA_KEY_PARAM))) {
        return refuse(
          response,
          401,
          'Open the address printed by `npm run serve`: it carries the access token.',
        );
      }
      void serveMedia(core, url.pathname.slice('/media/'.length), response);
      return;
    }
    void serveStatic(staticDirectory, url.pathname, response).then((served) => {
      if (!served) refuse(response, 404, 'Not found.');
    });
  });
  server.on('clientError', (_error, socket: Duplex) => socket.destroy());

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (offered) => (offered.has(HOST_PROTOCOL) ? HOST_PROTOCOL : false),
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // First thing: a client may reset the connection at any moment, and an 'error' event with no
    // listener would end the host.
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const origin = `http://${request.headers.host}`;
    const sameOrigin = request.headers.origin === origin;
    const offered = tokenFromProtocols(request);
    if (url.pathname !== '/ws' || !knownHost(request.headers.host) || !sameOrigin || offered === null) {
      return refuseUpgrade(socket, '401 Unauthorized');
    }
    if (sockets.clients.size >= maxSockets) return refuseUpgrade(socket, '503 Service Unavailable');
    if (!tokensMatch(token, offered)) {
      // A browser hides a refused upgrade's status from the page, so a stale token is answered
      // with a socket closed at once, with a code that tells the page to stop retrying.
      const address = staleTokenAddress({ bind: options.host, origin, offered, isEarlierToken, token });
      sockets.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        ws.close(STALE_TOKEN_CLOSE_CODE, address ?? '');
      });
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, core, mediaKey, limits));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  knownHost = hostChecker({ bind: options.host, port, allowedNames: options.allowedHostNames });
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${hostForUrl}:${port}/#${TOKEN_FRAGMENT_PARAM}=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
