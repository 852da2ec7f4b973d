import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UploadStore } from '../../src/main/core/upload-store';
import { requestSchemas } from '../../src/shared/schemas';
import { UPLOAD_LIMITS, uploadFolderName, uploadPathProblem } from '../../src/shared/uploads';
import { tempFolder } from '../support/temp-folder';

const base = tempFolder('uploads', { each: true });
let area: string;

beforeEach(() => {
  area = path.join(base(), 'uploads');
});

const file = (relativePath: string, size = 10) => ({ relativePath, bytes: new Uint8Array(size).fill(7) });

async function begun(store: UploadStore, name = 'pets'): Promise<string> {
  const started = await store.begin(name);
  if (!started.ok) throw new Error(started.message);
  return started.value.uploadId;
}

describe('upload paths', () => {
  it('accepts plain relative paths, class folders included', () => {
    for (const p of ['a.png', 'cats/a.png', 'Ünïcode ök/фото 1.JPG', 'a/b/c/d/e/f/g.png'])
      expect(uploadPathProblem(p), p).toBeNull();
  });

  it('refuses parent links, absolute paths, hidden names and other tricks', () => {
    for (const p of [
      '',
      '../a.png',
      'cats/../../a.png',
      './a.png',
      '/etc/a.png',
      'cats//a.png',
      '.hidden.png',
      'cats/.git/a.png',
      'a\\..\\b.png',
      'a\0.png',
      'nul.png.',
      'trailing /a.png',
      'c:a.png',
      'a/b/c/d/e/f/g/h/i.png',
      `${'x'.repeat(129)}.png`,
      `${'d/'.repeat(300)}a.png`,
    ])
      expect(uploadPathProblem(p), JSON.stringify(p)).not.toBeNull();
  });

  it('is enforced by the request schema, which refuses the whole call', () => {
    const uploadId = '6f1c1b1e-8a4e-4b9b-9a57-0d6a1b2c3d4e';
    const schema = requestSchemas['dataset:upload-files'];
    expect(schema.safeParse({ uploadId, files: [file('cats/a.png')] }).success).toBe(true);
    expect(schema.safeParse({ uploadId, files: [file('../a.png')] }).success).toBe(false);
    expect(schema.safeParse({ uploadId: 'x', files: [file('a.png')] }).success).toBe(false);
    expect(schema.safeParse({ uploadId, files: [] }).success).toBe(false);
    const big = Math.floor(UPLOAD_LIMITS.callBytes / 2) + 1;
    expect(schema.safeParse({ uploadId, files: [file('a.png', big), file('b.png', big)] }).success).toBe(
      false,
    );
  });

  it('tidies an upload’s name into a folder name', () => {
    expect(uploadFolderName('My Photos')).toBe('My Photos');
    expect(uploadFolderName('../../etc')).toBe('etc');
    expect(uploadFolderName('...')).toBe('upload');
    expect(uploadFolderName('a/b\\c:d')).toBe('a-b-c-d');
    expect(uploadFolderName('x'.repeat(300))).toHaveLength(64);
  });
});

describe('the uploads area', () => {
  it('keeps relative paths, skips non-images, empty and repeated files with the reason', async () => {
    const store = new UploadStore(area);
    await store.open();
    const id = await begun(store);
    const first = await store.addFiles(id, [file('cats/a.png'), file('dogs/b.jpg'), file('notes.txt')]);
    expect(first).toMatchObject({ ok: true, value: { received: 2, uploadBytes: 20 } });
    expect(first.ok && first.value.skipped).toEqual([
      { relativePath: 'notes.txt', reason: expect.stringMatching(/not an image/i) },
    ]);
    const second = await store.addFiles(id, [
      file('cats/A.PNG'),
      file('cats/empty.png', 0),
      file('cats/c.png'),
    ]);
    expect(second.ok && second.value.skipped.map((s) => s.relativePath)).toEqual([
      'cats/A.PNG',
      'cats/empty.png',
    ]);
    // Nothing is visible in the area until it is finished.
    expect((await readdir(area)).filter((n) => !n.startsWith('.'))).toEqual([]);
    const done = await store.finish(id);
    expect(done).toEqual({ ok: true, value: { relativePath: 'pets', files: 3, bytes: 30 } });
    expect((await readdir(path.join(area, 'pets', 'cats'))).sort()).toEqual(['a.png', 'c.png']);
    expect(await readFile(path.join(area, 'pets', 'dogs', 'b.jpg'))).toEqual(
      Buffer.from(file('x', 10).bytes),
    );
  });

  it('gives each upload a new folder, never writing over an earlier one', async () => {
    const store = new UploadStore(area);
    await store.open();
    await mkdir(path.join(area, 'pets'));
    await writeFile(path.join(area, 'pets', 'mine.png'), 'keep me');
    await writeFile(path.join(area, 'pets-2'), 'a file, not a folder');
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = await begun(store);
      await store.addFiles(id, [file('mine.png')]);
      const done = await store.finish(id);
      if (done.ok) names.push(done.value.relativePath);
    }
    expect(names).toEqual(['pets-3', 'pets-4']);
    expect(await readFile(path.join(area, 'pets', 'mine.png'), 'utf8')).toBe('keep me');
    expect(await readFile(path.join(area, 'pets-2'), 'utf8')).toBe('a file, not a folder');
  });

  it('skips files over the per-file cap and refuses a call that would pass the upload cap', async () => {
    const store = new UploadStore(area, { fileBytes: 100, uploadBytes: 250 });
    await store.open();
    const id = await begun(store);
    const skipped = await store.addFiles(id, [file('big.png', 101), file('a.png', 100)]);
    expect(skipped.ok && skipped.value.skipped[0]?.reason).toMatch(/larger than/i);
    expect(await store.addFiles(id, [file('b.png', 100)])).toMatchObject({ ok: true });
    const over = await store.addFiles(id, [file('c.png', 100)]);
    expect(over).toMatchObject({ ok: false, code: 'TOO_LARGE', message: expect.stringMatching(/in parts/) });
    const done = await store.finish(id);
    expect(done.ok && done.value.files).toBe(2);
  });

  it('refuses past the area’s total cap, counting finished uploads and those in progress', async () => {
    await mkdir(area, { recursive: true });
    await writeFile(path.join(area, 'earlier.png'), new Uint8Array(150));
    const store = new UploadStore(area, { areaBytes: 300 });
    await store.open();
    const a = await begun(store, 'a');
    const b = await begun(store, 'b');
    expect(await store.addFiles(a, [file('x.png', 100)])).toMatchObject({ ok: true });
    const full = await store.addFiles(b, [file('y.png', 100)]);
    expect(full).toMatchObject({ ok: false, code: 'TOO_LARGE', message: expect.stringMatching(/full/) });
    // Cancelling `a` gives its room back.
    expect(await store.cancel(a)).toBe(true);
    expect(await store.addFiles(b, [file('y.png', 100)])).toMatchObject({ ok: true });
  });

  it('cancel removes the partial upload; a finish or files after it are refused', async () => {
    const store = new UploadStore(area);
    await store.open();
    const id = await begun(store);
    await store.addFiles(id, [file('cats/a.png')]);
    const incoming = path.join(area, '.incoming', id);
    expect(existsSync(path.join(incoming, 'cats', 'a.png'))).toBe(true);
    expect(await store.cancel(id)).toBe(true);
    expect(existsSync(incoming)).toBe(false);
    expect(await store.cancel(id)).toBe(false);
    expect(await store.finish(id)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await store.addFiles(id, [file('b.png')])).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('an upload with no image at all finishes with a clear refusal and leaves nothing', async () => {
    const store = new UploadStore(area);
    await store.open();
    const id = await begun(store, 'docs');
    await store.addFiles(id, [file('a.txt')]);
    expect(await store.finish(id)).toMatchObject({ ok: false, code: 'EMPTY' });
    expect(await readdir(path.join(area, '.incoming'))).toEqual([]);
  });

  it('clears what a stopped host left half-uploaded when it opens again', async () => {
    const first = new UploadStore(area);
    await first.open();
    const id = await begun(first);
    await first.addFiles(id, [file('a.png')]);
    await new UploadStore(area).open();
    expect(existsSync(path.join(area, '.incoming'))).toBe(false);
  });

  it('never follows a link placed inside an upload out of it', async () => {
    const outside = path.join(base(), 'outside');
    await mkdir(outside);
    const store = new UploadStore(area);
    await store.open();
    const id = await begun(store);
    await symlink(outside, path.join(area, '.incoming', id, 'cats'));
    const result = await store.addFiles(id, [file('cats/a.png')]);
    expect(result).toMatchObject({ ok: false, code: 'PATH_REFUSED' });
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('cancelling while files are being written', () => {
  it('waits for the write under way, then removes everything', async () => {
    const store = new UploadStore(area);
    await store.open();
    const id = await begun(store);
    const files = Array.from({ length: 50 }, (_, i) => file(`c${i % 5}/f${i}.png`, 1000));
    const writing = store.addFiles(id, files);
    const cancelled = store.cancel(id);
    expect(await writing).toMatchObject({ ok: true, value: { received: 50 } });
    expect(await cancelled).toBe(true);
    expect(existsSync(path.join(area, '.incoming', id))).toBe(false);
    expect(await store.addFiles(id, [file('late.png')])).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
