import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppCore } from '../../src/main/core/app-core';
import { startBrowserHost, type BrowserHost } from '../../src/server/browser-host';
import { decodeFrame, encodeFrame } from '../../src/shared/wire-codec';
import { startTestCore } from '../support/engine-core';

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
const cookie = () => `latent_studio_${host.port}=${token}`;

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(
  ws: WebSocket,
  message: unknown,
): Promise<{ t: string; id: number | null; result: { ok: boolean; code?: string } }> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => resolve(decodeFrame(new Uint8Array(data)) as never));
    ws.send(typeof message === 'string' ? message : encodeFrame(message));
  });
}

describe('browser host', () => {
  it('binds to loopback and prints a tokenised URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${token}`);
  });

  it('refuses HTTP requests without the token, or with a wrong one', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/index.html`)).status).toBe(401);
    expect((await fetch(`${base()}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base()}/`, { headers: { cookie: 'latent_studio_1=nope' } })).status).toBe(401);
  });

  it('trades the token for an HttpOnly cookie and then serves the app with a strict CSP', async () => {
    const first = await fetch(`${base()}/?token=${token}`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await fetch(`${base()}/`, { headers: { cookie: cookie() } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Latent Studio</title>');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of [
      '/../outside-secret.txt',
      '/%2e%2e/outside-secret.txt',
      '/..%2foutside-secret.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const response = await fetch(`${base()}${p}`, { headers: { cookie: cookie() } });
      expect(response.status, p).toBe(404);
    }
    expect((await fetch(`${base()}/`, { method: 'POST', headers: { cookie: cookie() } })).status).toBe(405);
  });

  it('serves media only with the cookie, and nothing outside a run', async () => {
    const image = `${base()}/media/image/20261121-043000-ab12/0.png`;
    expect((await fetch(image)).status).toBe(401);
    const missing = await fetch(image, { headers: { cookie: cookie() } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no latent map|no such/i);
    for (const p of [
      '/media/export/20261121-043000-ab12/..%2F..%2Fsettings.json',
      '/media/image/%2E%2E%2Fruns/0.png',
    ]) {
      expect([400, 404]).toContain((await fetch(`${base()}${p}`, { headers: { cookie: cookie() } })).status);
    }
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    const origin = base();
    await expect(openSocket({ origin })).rejects.toThrow(/401/);
    await expect(openSocket({ origin: 'http://evil.example', cookie: cookie() })).rejects.toThrow(/401/);
    await expect(openSocket({ cookie: cookie() })).rejects.toThrow(/401/);
  });

  it('speaks the contract over the socket and refuses malformed messages', async () => {
    const ws = await openSocket({ origin: base(), cookie: cookie() });
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
