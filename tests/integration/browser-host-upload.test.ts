/**
 * Uploading a folder through the real browser host: real PNG and JPEG files sent over its
 * WebSocket in several calls, the upload moved into its own folder under the "Uploads" root, and
 * that folder opened like any other (the engine previews its classes).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createAppCore, type AppCore } from '../../src/main/core/app-core';
import { forkLauncher } from '../../src/main/core/fork-launcher';
import { startBrowserHost, type BrowserHost } from '../../src/server/browser-host';
import type { Result } from '../../src/shared/result';
import { UPLOAD_LIMITS, type UploadFile } from '../../src/shared/uploads';
import { decodeFrame, encodeFrame } from '../../src/shared/wire-codec';
import { ENGINE_SOURCE, engineReady } from '../support/engine-core';
import { openHostSocket } from '../support/host-socket';

let core: AppCore;
let host: BrowserHost;
let ws: WebSocket;
let dataDirectory: string;
const token = 'test-token-upload-0123456789abcdef';
let nextId = 1;

beforeAll(async () => {
  dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-upload-'));
  core = await createAppCore({
    launcher: forkLauncher({ entry: ENGINE_SOURCE, execArgv: ['--import', 'tsx'] }),
    dataDirectory,
    info: { name: 'Latent Studio', version: 'test', host: 'browser', platform: process.platform },
    backendOverride: 'cpu',
    uploadsDirectory: path.join(dataDirectory, 'uploads'),
  });
  const staticDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-static-'));
  await writeFile(path.join(staticDirectory, 'index.html'), '<!doctype html><title>Latent Studio</title>');
  host = await startBrowserHost({ core, staticDirectory, host: '127.0.0.1', port: 0, token });
  ws = await openHostSocket(`http://127.0.0.1:${host.port}`, token);
});
afterAll(async () => {
  ws?.close();
  await host?.close();
  core?.dispose();
});

/** One request over the socket, as the page's WebSocket client sends it. */
function invoke<T>(name: string, args: unknown): Promise<Result<T>> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const reply = decodeFrame(new Uint8Array(data)) as { t: string; id: number; result: Result<T> };
      if (reply.t !== 'res' || reply.id !== id) return;
      ws.off('message', onMessage);
      resolve(reply.result);
    };
    ws.on('message', onMessage);
    ws.send(encodeFrame({ t: 'req', id, name, args }));
  });
}

async function pictureFile(relativePath: string, colour: [number, number, number]): Promise<UploadFile> {
  const image = sharp({
    create: { width: 40, height: 40, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } },
  });
  const bytes = relativePath.endsWith('.png') ? await image.png().toBuffer() : await image.jpeg().toBuffer();
  return { relativePath, bytes: new Uint8Array(bytes) };
}

describe('uploading a folder to the browser host', () => {
  it('offers the uploads area as the root "Uploads"', async () => {
    const roots = await invoke<{ id: string; name: string; origin?: string }[]>('dataset:list-roots', {});
    expect(roots).toMatchObject({ ok: true, value: [{ name: 'Uploads', origin: 'uploads' }] });
  });

  it('takes real images in several calls, skips the rest with reasons, and opens as a dataset', async () => {
    const files = [
      await pictureFile('cats/a.png', [200, 40, 40]),
      await pictureFile('cats/b.jpg', [210, 50, 30]),
      await pictureFile('cats/c.png', [190, 30, 50]),
      await pictureFile('dogs/a.jpeg', [30, 40, 200]),
      await pictureFile('dogs/b.png', [40, 60, 210]),
      await pictureFile('dogs/c.jpg', [20, 30, 190]),
      { relativePath: 'dogs/readme.txt', bytes: new TextEncoder().encode('not a picture') },
    ];
    const begun = await invoke<{ uploadId: string }>('dataset:upload-begin', { name: 'pets' });
    if (!begun.ok) throw new Error(begun.message);
    const { uploadId } = begun.value;
    const first = await invoke('dataset:upload-files', { uploadId, files: files.slice(0, 3) });
    const second = await invoke('dataset:upload-files', { uploadId, files: files.slice(3) });
    expect(first).toMatchObject({ ok: true, value: { received: 3, skipped: [] } });
    expect(second).toMatchObject({
      ok: true,
      value: { received: 3, skipped: [{ relativePath: 'dogs/readme.txt' }] },
    });
    const finished = await invoke<{
      root: { id: string; name: string };
      relativePath: string;
      files: number;
    }>('dataset:upload-finish', { uploadId });
    expect(finished).toMatchObject({
      ok: true,
      value: { root: { name: 'Uploads' }, relativePath: 'pets', files: 6 },
    });
    if (!finished.ok) return;
    const { root, relativePath } = finished.value;
    expect(await invoke('dataset:browse', { rootId: root.id, relativePath })).toMatchObject({
      ok: true,
      value: { folders: ['cats', 'dogs'] },
    });
    await engineReady(core);
    const preview = await invoke<{ classNames: string[] }>('dataset:preview', {
      source: { kind: 'folder', rootId: root.id, relativePath },
      preprocessing: { size: 28, channels: 'rgb', fit: 'crop', background: '#000000' },
    });
    expect(preview).toMatchObject({ ok: true, value: { classNames: ['cats', 'dogs'] } });
  });

  it('carries a call of nearly the full 8 MB over one frame; cancel leaves nothing', async () => {
    const begun = await invoke<{ uploadId: string }>('dataset:upload-begin', { name: 'big' });
    if (!begun.ok) throw new Error(begun.message);
    const { uploadId } = begun.value;
    const half = UPLOAD_LIMITS.callBytes / 2 - 1024;
    const big = [0, 1].map((i) => ({
      relativePath: `big-${i}.png`,
      bytes: new Uint8Array(half).fill(i + 1),
    }));
    expect(await invoke('dataset:upload-files', { uploadId, files: big })).toMatchObject({
      ok: true,
      value: { received: 2 },
    });
    const incoming = path.join(dataDirectory, 'uploads', '.incoming', uploadId);
    expect(existsSync(incoming)).toBe(true);
    expect(await invoke('dataset:upload-cancel', { uploadId })).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(existsSync(incoming)).toBe(false);
    expect((await readdir(path.join(dataDirectory, 'uploads'))).sort()).toEqual(['.incoming', 'pets']);
  });

  it('refuses unsafe paths and a call over 8 MB before any handler runs', async () => {
    const begun = await invoke<{ uploadId: string }>('dataset:upload-begin', { name: 'bad' });
    if (!begun.ok) throw new Error(begun.message);
    const { uploadId } = begun.value;
    const bytes = new Uint8Array(10);
    for (const relativePath of ['../escape.png', '/etc/x.png', '.hidden.png', 'a/../../b.png']) {
      const refused = await invoke('dataset:upload-files', { uploadId, files: [{ relativePath, bytes }] });
      expect(refused, relativePath).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    }
    const tooMuch = [0, 1].map((i) => ({
      relativePath: `x-${i}.png`,
      bytes: new Uint8Array(UPLOAD_LIMITS.callBytes / 2 + 1),
    }));
    expect(await invoke('dataset:upload-files', { uploadId, files: tooMuch })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
    expect(existsSync(path.join(dataDirectory, 'escape.png'))).toBe(false);
    expect(await invoke('dataset:upload-finish', { uploadId })).toMatchObject({ ok: false, code: 'EMPTY' });
  });
});
