import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FolderRoots } from '../../src/main/core/folder-roots';
import { requestSchemas } from '../../src/shared/schemas';

let base: string;
let roots: FolderRoots;
let rootId: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-roots-'));
  const root = path.join(base, 'photos');
  await mkdir(path.join(root, 'cats', 'indoor'), { recursive: true });
  await mkdir(path.join(root, 'dogs'), { recursive: true });
  await mkdir(path.join(root, '.thumbnails'), { recursive: true });
  await mkdir(path.join(base, 'secrets'), { recursive: true });
  await writeFile(path.join(root, 'cats', 'a.png'), 'x');
  await writeFile(path.join(root, 'cats', 'b.JPG'), 'x');
  await writeFile(path.join(root, 'cats', 'notes.txt'), 'x');
  await symlink(path.join(base, 'secrets'), path.join(root, 'escape'));
  await symlink(path.join(root, 'dogs'), path.join(root, 'dogs-link'));
  roots = new FolderRoots();
  rootId = (await roots.add(root)).id;
});

describe('allowed folder roots', () => {
  it('lists roots by id and name, never by full path', () => {
    expect(roots.list()).toEqual([{ id: rootId, name: 'photos' }]);
    expect(JSON.stringify(roots.list())).not.toContain(base);
  });

  it('browses sub-folders and counts image files, hiding hidden folders and links that lead out', async () => {
    const top = await roots.browse(rootId, '');
    expect(top).toMatchObject({ ok: true, value: { folders: ['cats', 'dogs', 'dogs-link'], imageFiles: 0 } });
    expect(await roots.browse(rootId, 'cats')).toMatchObject({
      ok: true,
      value: { folders: ['indoor'], imageFiles: 2 },
    });
  });

  it('resolves folders inside the root, including links that stay inside', async () => {
    expect(await roots.resolve(rootId, 'cats/indoor')).toEqual({
      ok: true,
      value: path.join(base, 'photos', 'cats', 'indoor'),
    });
    expect(await roots.resolve(rootId, 'dogs-link')).toEqual({
      ok: true,
      value: path.join(base, 'photos', 'dogs'),
    });
  });

  it.each([
    ['a link that leads outside', 'escape', 'PATH_REFUSED'],
    ['a parent segment', 'cats/../..', 'PATH_REFUSED'],
    ['a NUL byte', 'cats\0', 'PATH_REFUSED'],
    ['a backslash', 'cats\\..\\..', 'PATH_REFUSED'],
    ['a missing folder', 'birds', 'NOT_FOUND'],
    ['a file instead of a folder', 'cats/a.png', 'NOT_FOUND'],
  ])('refuses %s', async (_name, relativePath, code) => {
    expect(await roots.resolve(rootId, relativePath)).toMatchObject({ ok: false, code });
    expect(await roots.browse(rootId, relativePath)).toMatchObject({ ok: false, code });
  });

  it('refuses an unknown root', async () => {
    expect(await roots.resolve('ffffffffffff', '')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('the request schema already refuses paths that are not plain relative paths', () => {
    const browse = requestSchemas['dataset:browse'];
    for (const relativePath of ['..', 'a/../b', '/etc', 'a//b', './a', 'a\\b', 'a\0b', 'x'.repeat(5000)]) {
      expect(browse.safeParse({ rootId, relativePath }).success, relativePath).toBe(false);
    }
    expect(browse.safeParse({ rootId, relativePath: 'cats/indoor' }).success).toBe(true);
    expect(browse.safeParse({ rootId: '../x', relativePath: '' }).success).toBe(false);
  });
});
