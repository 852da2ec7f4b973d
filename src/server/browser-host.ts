/**
 * The browser host: serves the built renderer over HTTP and speaks the contract over a WebSocket,
 * so the same renderer and engine run in any browser (a remote GPU box through an SSH tunnel, or
 * the UI tests in Chromium). Every request needs the per-start token; WebSocket upgrades must also
 * come from the host's own origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail } from '../shared/result';
import { decodeFrame, encodeFrame } from '../shared/wire-codec';
import type { AppCore } from '../main/core/app-core';
import { cookieName, readCookie, tokensMatch } from './access-token';
import { serveMedia } from './media-route';
import { serveStatic } from './static-files';

export interface BrowserHostOptions {
  core: AppCore;
  /** Folder of the built renderer (out/renderer). */
  staticDirectory: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
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
/** A slow tab gets fewer progress updates rather than an ever-growing send buffer. */
const PROGRESS_DROP_BUFFERED_BYTES = 8 * 1024 * 1024;

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function isRequestEnvelope(value: unknown): value is { t: 'req'; id: number; name: unknown; args: unknown } {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v['t'] === 'req' && Number.isSafeInteger(v['id']);
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core, staticDirectory, token } = options;
  let cookie = '';
  const authorised = (request: IncomingMessage) => tokensMatch(token, readCookie(request, cookie));

  const server = createServer((request, response) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'Method not allowed.');
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokensMatch(token, given)) return refuse(response, 401, 'Wrong access token.');
      url.searchParams.delete('token');
      response.writeHead(302, {
        'Set-Cookie': `${cookie}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      return response.end();
    }
    if (!authorised(request)) {
      return refuse(
        response,
        401,
        'Open the address printed by `npm run serve`: it carries the access token.',
      );
    }
    if (url.pathname.startsWith('/media/')) {
      void serveMedia(core, url.pathname.slice('/media/'.length), response);
      return;
    }
    void serveStatic(staticDirectory, url.pathname, response).then((served) => {
      if (!served) refuse(response, 404, 'Not found.');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const sameOrigin = request.headers.origin === `http://${request.headers.host}`;
    if (url.pathname !== '/ws' || !authorised(request) || !sameOrigin) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
    };
    const unsubscribe = core.events.subscribe((name, payload) => {
      if (name === 'train:did-progress' && ws.bufferedAmount > PROGRESS_DROP_BUFFERED_BYTES) return;
      send({ t: 'evt', name, payload });
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        if (!isBinary) throw new Error('text frame');
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        message = decodeFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch {
        send({ t: 'res', id: null, result: fail('INVALID_PAYLOAD', 'Malformed message.') });
        return;
      }
      if (!isRequestEnvelope(message)) {
        send({ t: 'res', id: null, result: fail('INVALID_PAYLOAD', 'Malformed request envelope.') });
        return;
      }
      void core
        .dispatch(message.name, message.args)
        .then((result) => send({ t: 'res', id: message.id, result }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  cookie = cookieName(port);
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${hostForUrl}:${port}/?token=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
