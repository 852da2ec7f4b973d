/**
 * The browser host under hostile clients, with a run training behind it: malformed WebSocket
 * frames, upgrades reset by the client, a flood of requests, a client that never reads, a rebound
 * host name. Each must cost that client its socket at most; the host keeps answering and the run
 * keeps training. (Before these fixes the first frame below ended the host with "Unhandled 'error'
 * event", and a reset upgrade could end it with ECONNRESET.)
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { startBrowserHost, type BrowserHost } from '../../src/server/browser-host';
import { decodeFrame, encodeFrame } from '../../src/shared/wire-codec';
import { engineReady, nextEvent, startTestCore } from '../support/engine-core';
import { openHostSocket } from '../support/host-socket';
import { closedByHost, frame, rawUpgrade, upgradeRequest } from '../support/raw-websocket';
import { trainArgs } from '../support/valid-requests';

const TOKEN = 'attack-token-0123456789abcdefghij';
const BUFFER_LIMIT = 512 * 1024;
let core: AppCore;
let host: BrowserHost;
let progressEvents = 0;

const origin = () => `http://127.0.0.1:${host.port}`;

beforeAll(async () => {
  core = await startTestCore('cpu');
  const staticDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-static-'));
  await writeFile(path.join(staticDirectory, 'index.html'), '<!doctype html><title>Latent Studio</title>');
  host = await startBrowserHost({
    core,
    staticDirectory,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    socketLimits: { maxBufferedBytes: BUFFER_LIMIT },
  });
  await engineReady(core);
  core.events.subscribe((name) => {
    if (name === 'train:did-progress') progressEvents++;
  });
  // A long run, so it is training through every attack below.
  const started = await core.dispatch(
    'train:start',
    trainArgs({
      trainLimit: 2_048,
      batchSize: 32,
      epochs: 50,
    }),
  );
  expect(started.ok).toBe(true);
  await nextEvent(core, 'train:did-progress', () => true, 120_000);
}, 180_000);

afterAll(async () => {
  await host?.close();
  await core?.shutdown();
});

/** The page's view of the host: its files, and a socket that answers a ping. */
async function expectHostAnswers(): Promise<void> {
  expect((await fetch(`${origin()}/`)).status).toBe(200);
  const ws = await openHostSocket(origin(), TOKEN);
  const reply = new Promise<unknown>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const message = decodeFrame(new Uint8Array(data)) as { t: string; id?: number };
      if (message.t === 'res' && message.id === 1) resolve(message);
    });
  });
  ws.send(encodeFrame({ t: 'req', id: 1, name: 'app:ping', args: {} }));
  expect(await reply).toMatchObject({ result: { ok: true } });
  ws.close();
}

async function expectStillTraining(): Promise<void> {
  const before = progressEvents;
  await nextEvent(core, 'train:did-progress', () => true, 30_000);
  expect(progressEvents).toBeGreaterThan(before);
  expect(core.engine.runningJob).not.toBeNull();
}

/** A GET with the path and headers exactly as given (fetch would normalise both). */
function rawGet(
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: requestPath, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

const request = (id: number, name: string) => frame(0x2, encodeFrame({ t: 'req', id, name, args: {} }));

describe('browser host under hostile clients', () => {
  const malformed: [string, () => Buffer][] = [
    ['invalid UTF-8 in a text frame', () => frame(0x1, Uint8Array.of(0xff, 0xfe, 0xfd))],
    ['an unmasked client frame', () => frame(0x2, Uint8Array.of(1, 2, 3), { masked: false })],
    ['an unknown opcode', () => frame(0x3, Uint8Array.of(1, 2, 3))],
    ['RSV bits with no extension', () => frame(0x2, Uint8Array.of(1, 2, 3), { rsv: 0b100 })],
    [
      'a frame just over the size limit',
      () => frame(0x2, new Uint8Array(0), { declaredLength: 16 * 1024 * 1024 + 1 }),
    ],
  ];
  for (const [what, bytes] of malformed) {
    it(`closes only the socket that sent ${what}`, async () => {
      const bystander = await openHostSocket(origin(), TOKEN);
      const socket = await rawUpgrade({ port: host.port, token: TOKEN });
      socket.write(bytes());
      await closedByHost(socket);
      expect(bystander.readyState).toBe(bystander.OPEN);
      bystander.close();
      await expectHostAnswers();
    });
  }

  it('survives 300 upgrades reset by the client 0–10 ms after sending, with and without the token', async () => {
    const resets: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      resets.push(
        new Promise<void>((resolve) => {
          const socket = net.connect(host.port, '127.0.0.1', () => {
            socket.write(upgradeRequest({ port: host.port, token: i % 2 === 0 ? TOKEN : null }));
            setTimeout(() => socket.resetAndDestroy(), i % 11);
          });
          socket.on('error', () => undefined);
          socket.on('close', () => resolve());
        }),
      );
      if (i % 25 === 24) await Promise.all(resets.slice(-25));
    }
    await Promise.all(resets);
    await expectHostAnswers();
    await expectStillTraining();
  }, 60_000);

  it('refuses requests past the in-flight cap with BUSY, and answers the rest', async () => {
    const socket = await rawUpgrade({ port: host.port, token: TOKEN });
    const replies: { id: number; result: { ok: boolean; code?: string } }[] = [];
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // Server frames are unmasked; these replies are short (7-bit or 16-bit lengths).
      while (buffered.length >= 2) {
        const short = buffered[1]! & 0x7f;
        const [start, length] = short === 126 ? [4, buffered.readUInt16BE(2)] : [2, short];
        if (buffered.length < start + length) break;
        const message = decodeFrame(new Uint8Array(buffered.subarray(start, start + length))) as {
          t: string;
        };
        if (message.t === 'res') replies.push(message as never);
        buffered = buffered.subarray(start + length);
      }
    });
    // 100 requests the engine answers (so none is settled before the last arrives), in one write.
    socket.write(Buffer.concat(Array.from({ length: 100 }, (_, id) => request(id, 'runs:list'))));
    await expect.poll(() => replies.length, { timeout: 30_000 }).toBe(100);
    const busy = replies.filter((r) => r.result.code === 'BUSY');
    expect(busy.length).toBeGreaterThanOrEqual(100 - 32);
    expect(replies.filter((r) => r.result.ok).length).toBeGreaterThan(0);
    socket.destroy();
    await expectHostAnswers();
  }, 60_000);

  it('closes a client that sends requests but never reads the replies', async () => {
    const socket = await rawUpgrade({ port: host.port, token: TOKEN });
    socket.pause();
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    const deadline = Date.now() + 30_000;
    let sent = 0;
    while (!closed && Date.now() < deadline) {
      socket.write(Buffer.concat(Array.from({ length: 30 }, (_, i) => request(sent + i, 'app:get-info'))));
      sent += 30;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(closed).toBe(true);
    console.log(`a client that never reads was closed after ${sent} requests`);
    await expectHostAnswers();
    await expectStillTraining();
  }, 60_000);

  it('refuses a rebound host name on HTTP and WebSocket, and serves loopback names', async () => {
    expect((await rawGet('/', { host: `attacker.example:${host.port}` })).status).toBe(421);
    await expect(
      openHostSocket(origin(), TOKEN, {
        Host: `attacker.example:${host.port}`,
        Origin: `http://attacker.example:${host.port}`,
      }),
    ).rejects.toThrow(/401/);
    expect((await rawGet('/', { host: `localhost:${host.port}` })).status).toBe(200);
    expect((await rawGet('/', { host: `[::1]:${host.port}` })).status).toBe(200);
    expect((await rawGet('/', { host: `127.0.0.1:${host.port + 1}` })).status).toBe(421);
  });

  it('has no open redirect and sets no cookie, whatever the path', async () => {
    for (const p of [
      '//evil.example/',
      '/.//evil.example/?token=' + TOKEN,
      '/\\evil.example/',
      `/?token=${TOKEN}`,
    ]) {
      const response = await rawGet(p);
      expect([301, 302, 303, 307, 308], p).not.toContain(response.status);
      expect(response.headers.location, p).toBeUndefined();
      expect(response.headers['set-cookie'], p).toBeUndefined();
    }
  });
});
