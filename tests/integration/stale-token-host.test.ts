/**
 * A tab left open while the browser host restarted (a new token) is told so, through a real host:
 * on loopback, its own page gets the new address; another origin gets the plain 401; a guessed
 * token or a host other machines reach gets the message without the address.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { newAccessToken } from '../../src/server/access-token';
import { startBrowserHost, type BrowserHost } from '../../src/server/browser-host';
import { STALE_TOKEN_CLOSE_CODE } from '../../src/shared/host-protocol';
import { startTestCore } from '../support/engine-core';
import { closeAnswer, openHostSocket } from '../support/host-socket';

let core: AppCore;
let staticDirectory: string;
const hosts: BrowserHost[] = [];

async function start(host: string, port: number, token: string): Promise<BrowserHost> {
  const started = await startBrowserHost({ core, staticDirectory, host, port, token });
  hosts.push(started);
  return started;
}

beforeAll(async () => {
  core = await startTestCore('cpu');
  staticDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-static-'));
  await writeFile(path.join(staticDirectory, 'index.html'), '<!doctype html><title>Latent Studio</title>');
});
afterAll(async () => {
  for (const host of hosts) await host.close();
  core?.dispose();
});

describe('a tab holding an earlier start token', () => {
  it('on loopback: its own page gets the new address; other origins and guesses do not', async () => {
    const earlier = newAccessToken();
    const first = await start('127.0.0.1', 0, earlier);
    const port = first.port;
    await first.close();
    const token = newAccessToken();
    await start('127.0.0.1', port, token);
    const origin = `http://127.0.0.1:${port}`;

    const answer = await closeAnswer(origin, earlier);
    expect(answer).toEqual({ code: STALE_TOKEN_CLOSE_CODE, reason: `${origin}/#token=${token}` });
    // The address handed over is the working one.
    const fresh = await openHostSocket(
      origin,
      new URLSearchParams(new URL(answer.reason).hash.slice(1)).get('token'),
    );
    fresh.close();

    // The tab reached the host as localhost: its own origin, not the printed one.
    const local = `http://localhost:${port}`;
    expect(await closeAnswer(local, earlier, { Host: `localhost:${port}`, Origin: local })).toEqual({
      code: STALE_TOKEN_CLOSE_CODE,
      reason: `${local}/#token=${token}`,
    });
    for (const foreign of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null']) {
      await expect(closeAnswer(origin, earlier, { Origin: foreign }), foreign).rejects.toThrow(/401/);
    }
    await expect(closeAnswer(origin, earlier, {})).rejects.toThrow(/401/);
    expect(await closeAnswer(origin, newAccessToken())).toEqual({ code: STALE_TOKEN_CLOSE_CODE, reason: '' });
  });

  it('on a bind other machines reach: the message only, never the address', async () => {
    const earlier = newAccessToken();
    const first = await start('127.0.0.1', 0, earlier);
    const port = first.port;
    await first.close();
    await start('0.0.0.0', port, newAccessToken());
    const origin = `http://127.0.0.1:${port}`;
    expect(await closeAnswer(origin, earlier)).toEqual({ code: STALE_TOKEN_CLOSE_CODE, reason: '' });
  });
});
