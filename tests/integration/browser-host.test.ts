import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppCore } from '../../src/main/core/app-core';
import { mediaKeyFor } from '../../src/server/access-token';
import { startBrowserHost, type BrowserHost } from '../../src/server/browser-host';
import { HOST_PROTOCOL, STALE_TOKEN_CLOSE_CODE } from '../../src/shared/host-protocol';
import { decodeFrame, encodeFrame } from '../../src/shared/wire-codec';
import { startTestCore } from '../support/engine-core';
import { closeAnswer, hostProtocols, openHostSocket } from '../support/host-socket';

let core: AppCore;
let host: BrowserHost;
let token: string;

beforeAll(async () => {
  core = await startTestCore('cpu');
  const staticDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-static-'));
  await writeFile(path.join(staticDirectory, 'index.html'), '<!doctype html><title>Latent Studio</title>');
  await writeFile(path.join(path.dirname(staticDirectory), 'outside-secret.txt'), 'secret');
  token = 'test-token-0123456789abcdefghij';
  host = await startBrowserHost({ core, staticDirectory, host: '127.0.0.1', port: 0, token });
});
afterAll(async () => {
  await host?.close();
  core?.dispose();
});

const base = () => `http://127.0.0.1:${host.port}`;
const mediaKey = () => mediaKeyFor(token);

function call(
  ws: WebSocket,
  message: unknown,
): Promise<{ t: string; id: number | null; result: { ok: boolean; code?: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const reply = decodeFrame(new Uint8Array(data)) as { t: string };
      if (reply.t !== 'res') return;
      ws.off('message', onMessage);
      resolve(reply as never);
    };
    ws.on('message', onMessage);
    ws.send(typeof message === 'string' ? message : encodeFrame(message));
  });
}

describe('browser host', () => {
  it('binds to loopback and prints the token in the fragment, which no request carries', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${token}`);
  });

  it('serves the app shell (public, no data) with a strict CSP and no cookie', async () => {
    const page = await fetch(`${base()}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Latent Studio</title>');
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
  });

  it('never takes the token from a cookie', async () => {
    const cookie = `latent_studio_${host.port}=${token}`;
    await expect(openHostSocket(base(), null, { Origin: base(), Cookie: cookie })).rejects.toThrow(/401/);
    const media = `${base()}/media/image/20261121-043000-ab12/0.png`;
    expect((await fetch(media, { headers: { cookie } })).status).toBe(401);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of [
      '/../outside-secret.txt',
      '/%2e%2e/outside-secret.txt',
      '/..%2foutside-secret.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const response = await fetch(`${base()}${p}`);
      expect(response.status, p).toBe(404);
    }
    expect((await fetch(`${base()}/`, { method: 'POST' })).status).toBe(405);
  });

  it('serves media only with the media key, and nothing outside a run', async () => {
    const image = `${base()}/media/image/20261121-043000-ab12/0.png`;
    expect((await fetch(image)).status).toBe(401);
    expect((await fetch(`${image}?key=${token}`)).status).toBe(401);
    const missing = await fetch(`${image}?key=${mediaKey()}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no latent map|no such/i);
    for (const p of [
      '/media/export/20261121-043000-ab12/..%2F..%2Fsettings.json',
      '/media/image/%2E%2E%2Fruns/0.png',
    ]) {
      expect([400, 404]).toContain((await fetch(`${base()}${p}?key=${mediaKey()}`)).status);
    }
    // An export folder (a projector export) is not a file: 404, where it used to reset the connection.
    const run = '20261121-043000-ab12';
    const folder = path.join(core.dataDirectory, 'runs', run, 'exports', 'projector-epoch-1');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'vectors.tsv'), '1\t2\n');
    const asFolder = await fetch(`${base()}/media/export/${run}/projector-epoch-1?key=${mediaKey()}`);
    expect(asFolder.status).toBe(404);
    const inFolder = await fetch(
      `${base()}/media/export/${run}/projector-epoch-1/vectors.tsv?key=${mediaKey()}`,
    );
    expect(await inFolder.text()).toBe('1\t2\n');
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(openHostSocket(base(), null)).rejects.toThrow(/401/);
    // A wrong token from the host's own page is told apart (see the stale-token tests), never served.
    expect(await closeAnswer(base(), 'wrong-token')).toEqual({ code: STALE_TOKEN_CLOSE_CODE, reason: '' });
    await expect(closeAnswer(base(), 'wrong-token', { Origin: 'http://evil.example' })).rejects.toThrow(
      /401/,
    );
    await expect(openHostSocket(base(), token, { Origin: 'http://evil.example' })).rejects.toThrow(/401/);
    await expect(openHostSocket(base(), token, {})).rejects.toThrow(/401/);
  });

  it('greets a socket with the media key, and only that', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, hostProtocols(token), {
      headers: { Origin: base() },
    });
    // Listening before the upgrade completes, so the first frame cannot be missed.
    const first = new Promise<unknown>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(decodeFrame(new Uint8Array(data)))),
    );
    expect(await first).toEqual({ t: 'hello', mediaKey: mediaKey() });
    expect(ws.protocol).toBe(HOST_PROTOCOL);
    ws.close();
  });

  it('speaks the contract over the socket and refuses malformed messages', async () => {
    const ws = await openHostSocket(base(), token);
    const pong = await call(ws, { t: 'req', id: 1, name: 'app:ping', args: {} });
    expect(pong).toMatchObject({ t: 'res', id: 1, result: { ok: true } });
    const bad = await call(ws, { t: 'req', id: 2, name: 'train:start', args: { epochs: 'lots' } });
    expect(bad).toMatchObject({ id: 2, result: { ok: false, code: 'INVALID_PAYLOAD' } });
    expect(await call(ws, 'plain text')).toMatchObject({
      id: null,
      result: { ok: false, code: 'INVALID_PAYLOAD' },
    });
    expect(await call(ws, { t: 'nope' })).toMatchObject({
      id: null,
      result: { ok: false, code: 'INVALID_PAYLOAD' },
    });
    const unknown = await call(ws, { t: 'req', id: 3, name: 'fs:read', args: {} });
    expect(unknown).toMatchObject({ id: 3, result: { ok: false, code: 'UNKNOWN_CHANNEL' } });
    // Still serving after all that.
    expect(await call(ws, { t: 'req', id: 4, name: 'app:ping', args: {} })).toMatchObject({
      id: 4,
      result: { ok: true },
    });
    ws.close();
  });
});
