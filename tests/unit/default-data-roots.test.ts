import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultDataRoots, hasImagesNearTop, shownPath } from '../../src/main/core/default-data-roots';
import { tempFolder } from '../support/temp-folder';

const base = tempFolder('default-roots', { each: true });
let home: string;

beforeEach(async () => {
  home = path.join(base(), 'home');
  await mkdir(home);
});

async function folderWith(folder: string, files: string[]): Promise<string> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), 'x');
  }
  await mkdir(folder, { recursive: true });
  return folder;
}

describe('the browser host’s default data roots', () => {
  it('offers ~/Pictures when it is a folder, shown home-relative', async () => {
    await mkdir(path.join(home, 'Pictures'));
    const cwd = await folderWith(path.join(base(), 'work'), ['notes.txt']);
    const roots = await defaultDataRoots({ home, cwd });
    expect(roots.map(({ origin, shownAs }) => ({ origin, shownAs }))).toEqual([
      { origin: 'pictures', shownAs: `~${path.sep}Pictures` },
    ]);
  });

  it('offers nothing without Pictures and without images in the current folder', async () => {
    const cwd = await folderWith(path.join(base(), 'work'), ['readme.md', 'src/index.ts', '.cache/a.png']);
    expect(await defaultDataRoots({ home, cwd })).toEqual([]);
  });

  it('ignores a Pictures that is a file, not a folder', async () => {
    await writeFile(path.join(home, 'Pictures'), 'not a folder');
    expect(await defaultDataRoots({ home, cwd: path.join(base()) })).toEqual([]);
  });

  it('offers the current folder when it has images at its top or in a subfolder', async () => {
    const top = await folderWith(path.join(base(), 'top'), ['a.PNG']);
    const nested = await folderWith(path.join(base(), 'nested'), ['cats/a.jpg', 'dogs/b.webp']);
    for (const cwd of [top, nested]) {
      const roots = await defaultDataRoots({ home, cwd });
      expect(roots).toMatchObject([{ origin: 'current-folder', folder: cwd }]);
    }
  });

  it('never offers the app’s own folder (npm start runs there; its docs hold images)', async () => {
    const app = await folderWith(path.join(base(), 'latent-studio'), ['docs/screenshot.png']);
    expect(await defaultDataRoots({ home, cwd: app })).toMatchObject([{ origin: 'current-folder' }]);
    expect(await defaultDataRoots({ home, cwd: app, appFolder: app })).toEqual([]);
    const docs = path.join(app, 'docs');
    expect(await defaultDataRoots({ home, cwd: docs, appFolder: app })).toEqual([]);
  });

  it('looks only one level down: images two folders deep do not count', async () => {
    const deep = await folderWith(path.join(base(), 'deep'), ['a/b/c.png']);
    expect(await hasImagesNearTop(deep)).toBe(false);
    expect(await defaultDataRoots({ home, cwd: deep })).toEqual([]);
  });

  it('offers both, Pictures first', async () => {
    await mkdir(path.join(home, 'Pictures'));
    const cwd = await folderWith(path.join(base(), 'shoot'), ['x.jpeg']);
    const roots = await defaultDataRoots({ home, cwd });
    expect(roots.map((r) => r.origin)).toEqual(['pictures', 'current-folder']);
  });

  it('never offers the whole home folder, or a current folder inside Pictures twice', async () => {
    await folderWith(path.join(home, 'Pictures'), ['cats/a.png']);
    await writeFile(path.join(home, 'b.png'), 'x');
    expect((await defaultDataRoots({ home, cwd: home })).map((r) => r.origin)).toEqual(['pictures']);
    expect((await defaultDataRoots({ home, cwd: base() })).map((r) => r.origin)).toEqual(['pictures']);
    const inside = path.join(home, 'Pictures', 'cats');
    expect((await defaultDataRoots({ home, cwd: inside })).map((r) => r.origin)).toEqual(['pictures']);
  });

  it('resolves a linked Pictures to its real folder', async () => {
    const real = await folderWith(path.join(base(), 'photos'), ['a.png']);
    await symlink(real, path.join(home, 'Pictures'));
    expect(await defaultDataRoots({ home, cwd: base() })).toMatchObject([
      { origin: 'pictures', folder: real },
    ]);
  });

  it('names folders outside home by their full path', () => {
    expect(shownPath('/srv/images', '/home/me')).toBe('/srv/images');
    expect(shownPath('/home/me/Pictures', '/home/me')).toBe(`~${path.sep}Pictures`);
  });
});
