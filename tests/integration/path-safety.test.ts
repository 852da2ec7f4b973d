/**
 * Every request that names a file or folder, through the real app core and engine process: only
 * folders the user picked in the dialog (desktop) or the host's data roots (browser) are reachable;
 * `..`, absolute paths, NUL bytes and symlinks that lead out are refused before the engine sees
 * them, and media paths never leave a run's folder.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/main/core/app-core';
import { forkLauncher } from '../../src/main/core/fork-launcher';
import { ENGINE_SOURCE, engineReady } from '../support/engine-core';
import { solid } from '../support/image-fixtures';

const PREPROCESSING = { size: 32, channels: 'rgb', fit: 'crop', background: '#000000' } as const;
let base: string;
let desktop: AppCore;
let browser: AppCore;
/** What the desktop's folder dialog answers next. */
let dialogAnswer: string | null = null;

async function core(dataRoots: string[], chooseFolder?: () => Promise<string | null>): Promise<AppCore> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-paths-data-'));
  return createAppCore({
    launcher: forkLauncher({ entry: ENGINE_SOURCE, execArgv: ['--import', 'tsx'] }),
    dataDirectory,
    info: {
      name: 'Latent Studio',
      version: 'test',
      host: chooseFolder ? 'desktop' : 'browser',
      platform: 'linux',
    },
    backendOverride: 'cpu',
    dataRoots,
    ...(chooseFolder ? { chooseFolder } : {}),
  });
}

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-paths-'));
  const root = path.join(base, 'allowed');
  for (const label of ['a', 'b']) {
    await mkdir(path.join(root, 'shapes', label), { recursive: true });
    for (let i = 0; i < 3; i++)
      await solid(8, 8, [i * 80, 0, 0])
        .png()
        .toFile(path.join(root, 'shapes', label, `${i}.png`));
  }
  await mkdir(path.join(base, 'private', 'photos'), { recursive: true });
  await solid(8, 8, [0, 0, 255])
    .png()
    .toFile(path.join(base, 'private', 'photos', 'secret.png'));
  await writeFile(path.join(base, 'private', 'model.json'), '{}');
  await symlink(path.join(base, 'private'), path.join(root, 'escape'));
  browser = await core([root]);
  desktop = await core([], async () => dialogAnswer);
  await Promise.all([engineReady(browser), engineReady(desktop)]);
}, 120_000);
afterAll(() => {
  browser?.dispose();
  desktop?.dispose();
});

async function onlyRoot(app: AppCore): Promise<string> {
  const listed = await app.dispatch('dataset:list-roots', {});
  expect(listed.ok).toBe(true);
  return (listed as { value: { id: string }[] }).value[0]!.id;
}

describe('paths from the page', () => {
  it('refuses symlinks out of an allowed root on every request that takes a folder', async () => {
    const rootId = await onlyRoot(browser);
    const escape = { rootId, relativePath: 'escape' };
    const folder = { kind: 'folder', ...escape };
    expect(await browser.dispatch('dataset:browse', escape)).toMatchObject({
      ok: false,
      code: 'PATH_REFUSED',
    });
    expect(
      await browser.dispatch('dataset:preview', { source: folder, preprocessing: PREPROCESSING }),
    ).toMatchObject({
      ok: false,
      code: 'PATH_REFUSED',
    });
    expect(
      await browser.dispatch('dataset:open', { source: folder, preprocessing: PREPROCESSING }),
    ).toMatchObject({
      ok: false,
      code: 'PATH_REFUSED',
    });
    expect(await browser.dispatch('model:import', escape)).toMatchObject({ ok: false, code: 'PATH_REFUSED' });
    expect(await browser.dispatch('model:import', { rootId, relativePath: 'escape/photos' })).toMatchObject({
      ok: false,
      code: 'PATH_REFUSED',
    });
  });

  it.each([
    ['a parent segment', '..'],
    ['a parent segment inside', 'shapes/../../private'],
    ['an absolute path', path.join(os.tmpdir(), 'private')],
    ['a NUL byte', 'shapes\0/a'],
    ['a backslash', 'shapes\\..\\..'],
  ])('refuses %s before anything reads the disk', async (_name, relativePath) => {
    const rootId = await onlyRoot(browser);
    for (const [name, args] of [
      ['dataset:browse', { rootId, relativePath }],
      ['model:import', { rootId, relativePath }],
      ['dataset:open', { source: { kind: 'folder', rootId, relativePath }, preprocessing: PREPROCESSING }],
    ] as const) {
      expect(await browser.dispatch(name, args), name).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    }
  });

  it('refuses a root the host never offered', async () => {
    expect(
      await browser.dispatch('model:import', { rootId: 'ffffffffffff', relativePath: '' }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('accepts what is inside the root', async () => {
    const rootId = await onlyRoot(browser);
    const opened = await browser.dispatch('dataset:open', {
      source: { kind: 'folder', rootId, relativePath: 'shapes' },
      preprocessing: PREPROCESSING,
    });
    // The scan runs as a job in the engine: accepted, it answers with the job's id.
    expect(opened).toMatchObject({ ok: true, value: { jobId: expect.any(String) } });
  });

  it('on the desktop, reaches only the folder the dialog returned', async () => {
    expect(await desktop.dispatch('dataset:list-roots', {})).toEqual({ ok: true, value: [] });
    dialogAnswer = null;
    expect(await desktop.dispatch('dataset:choose-folder', {})).toEqual({ ok: true, value: null });
    dialogAnswer = path.join(base, 'allowed', 'shapes');
    const chosen = await desktop.dispatch('dataset:choose-folder', {});
    expect(chosen).toMatchObject({ ok: true, value: { name: 'shapes' } });
    const rootId = (chosen as { value: { id: string } }).value.id;
    expect(await desktop.dispatch('dataset:browse', { rootId, relativePath: '' })).toMatchObject({
      ok: true,
      value: { folders: ['a', 'b'] },
    });
    // The folder the dialog returned is the root: its parent is out of reach.
    expect(await desktop.dispatch('dataset:browse', { rootId, relativePath: '..' })).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
    });
    expect(await browser.dispatch('dataset:choose-folder', {})).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED',
    });
  });

  it.each([
    'export/20261121-000000-abcd/../../../etc/passwd',
    'export/20261121-000000-abcd/%2e%2e%2f%2e%2e%2fsecret',
    'export/..%2F..%2Fprivate/model.json',
    'export/20261121-000000-abcd/a%00.png',
    'image/../../private/photos/secret.png',
  ])('media path %s stays inside the runs', async (mediaPath) => {
    expect(await browser.media(mediaPath)).toMatchObject({ kind: 'missing' });
  });
});
