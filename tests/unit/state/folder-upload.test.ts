/**
 * FolderUploadState (state/folder-upload.svelte.ts) against a fake Api: the send loop, cancel,
 * and the race CI caught — a cancelled upload's last call answering after the next upload began.
 */
import { describe, expect, it } from 'vitest';
import { ok, type Result } from '../../../src/shared/result';
import type { UploadReceived } from '../../../src/shared/uploads';
import type { PickedFolder } from '../../../src/renderer/src/lib/folder-files';
import { FolderUploadState } from '../../../src/renderer/src/state/folder-upload.svelte';
import { deferred, FakeApi } from '../../support/fake-api';

const MB = 1024 * 1024;
const ROOT = { id: 'uploads', name: 'Uploads', origin: 'uploads' as const };

/** `count` PNG files of `size` bytes each under `name/cls/`. */
function folder(name: string, count: number, size: number): PickedFolder {
  return {
    name,
    files: Array.from({ length: count }, (_, i) => ({
      relativePath: `cls/${name}-${i}.png`,
      file: new File([new Uint8Array(size)], `${name}-${i}.png`),
    })),
  };
}

const received = (files: number): Result<UploadReceived> =>
  ok({ received: files, skipped: [], uploadBytes: files });

describe('FolderUploadState', () => {
  it('sends every call, then finishes and hands the folder on', async () => {
    const handed: string[] = [];
    const api = new FakeApi({
      'dataset:upload-begin': () => ok({ uploadId: 'u1' }),
      'dataset:upload-files': ({ files }) => received(files.length),
      'dataset:upload-finish': () => ok({ root: ROOT, relativePath: 'pets', files: 3, bytes: 3 * MB }),
    });
    const state = new FolderUploadState(api, (_root, relativePath) => handed.push(relativePath));
    // Three 3 MB files: two calls of at most 8 MB.
    await state.upload(folder('pets', 3, 3 * MB));
    expect(api.names()).toEqual([
      'dataset:upload-begin',
      'dataset:upload-files',
      'dataset:upload-files',
      'dataset:upload-finish',
    ]);
    expect(state.phase).toBe('done');
    expect(state.fraction).toBe(1);
    expect(state.error).toBeNull();
    expect(handed).toEqual(['pets']);
  });

  it('a cancelled upload never sends again, even when its last call answers after the next upload began', async () => {
    const held = deferred<Result<UploadReceived>>();
    let ids = 0;
    const api = new FakeApi({
      'dataset:upload-begin': () => ok({ uploadId: `u${++ids}` }),
      // The first upload's first call is held in flight; every other call answers at once.
      'dataset:upload-files': ({ uploadId, files }) =>
        uploadId === 'u1' ? held.promise : received(files.length),
      'dataset:upload-cancel': () => ok({ removed: true }),
      'dataset:upload-finish': ({ uploadId }) =>
        ok({ root: ROOT, relativePath: uploadId === 'u2' ? 'pets' : 'large', files: 1, bytes: 1 }),
    });
    const state = new FolderUploadState(api, () => {});
    const first = state.upload(folder('large', 4, 5 * MB));
    await expect.poll(() => api.names().includes('dataset:upload-files')).toBe(true);
    await state.cancel();
    expect(state.phase).toBe('cancelled');

    await state.upload(folder('pets', 1, 1000));
    expect(state.phase).toBe('done');
    // The cancelled upload's call answers now; before the fix its loop carried on with u1.
    held.resolve(received(1));
    await first;
    const afterwards = api.calls.filter((call) => JSON.stringify(call.args).includes('"u1"'));
    expect(afterwards.map((call) => call.name)).toEqual(['dataset:upload-files', 'dataset:upload-cancel']);
    expect(state.phase).toBe('done');
    expect(state.error).toBeNull();
    expect(state.result?.relativePath).toBe('pets');
  }, 30_000);
});
