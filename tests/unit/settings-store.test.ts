/** The settings file: the last opened run survives a restart; a damaged file or field costs only itself. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/main/core/settings-store';

async function freshStore(): Promise<{ store: SettingsStore; file: string; directory: string }> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-settings-'));
  return { store: new SettingsStore(directory), file: path.join(directory, 'settings.json'), directory };
}

describe('settings store: last run', () => {
  it('has no last run on a first start', async () => {
    const { store } = await freshStore();
    expect(await store.load()).toEqual({ backend: 'auto', lastRunId: null });
  });

  it('keeps the last run across a new store (a restart) and beside the backend choice', async () => {
    const { store, directory } = await freshStore();
    await store.saveBackend('cpu');
    await store.saveLastRun('20261121-043000-ab12');
    expect(await new SettingsStore(directory).load()).toEqual({
      backend: 'cpu',
      lastRunId: '20261121-043000-ab12',
    });
  });

  it('loses neither of two saves made at once', async () => {
    const { store } = await freshStore();
    await Promise.all([store.saveLastRun('20261121-043000-ab12'), store.saveBackend('wasm')]);
    expect(await store.load()).toEqual({ backend: 'wasm', lastRunId: '20261121-043000-ab12' });
  });

  it('reads a damaged last run as none, and keeps the backend choice', async () => {
    const { store, file } = await freshStore();
    for (const lastRunId of ['../../etc', 42, { runId: 'x' }, '20261121-043000-AB12']) {
      await writeFile(file, JSON.stringify({ backend: 'cpu', lastRunId }));
      expect(await store.load(), JSON.stringify(lastRunId)).toEqual({ backend: 'cpu', lastRunId: null });
    }
  });

  it('reads a file that is not settings as defaults, and a later save repairs it', async () => {
    const { store, file } = await freshStore();
    for (const text of ['{"backend": "cpu", "lastRun', '[1,2]', 'null', '']) {
      await writeFile(file, text);
      expect(await store.load(), text).toEqual({ backend: 'auto', lastRunId: null });
    }
    await store.saveLastRun('20261121-043000-ab12');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      backend: 'auto',
      lastRunId: '20261121-043000-ab12',
    });
  });
});
