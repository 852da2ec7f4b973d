/**
 * A data folder that cannot be written, through the real app core and engine process.
 *
 * How the faults are made, honestly: tests run as root in CI, where `chmod 0o555` stops nothing,
 * and a tiny tmpfs cannot be mounted there. So:
 * - "read-only" points a folder of the run (or the whole runs folder) at a sysfs directory by
 *   symlink: the kernel refuses to create anything in sysfs even for root (EACCES / EPERM, or
 *   EROFS where /sys is mounted read-only), exactly the errors a read-only folder gives. Skipped
 *   where no such directory exists (not Linux).
 * - a settings file that cannot be replaced is a folder named `settings.json`: renaming a file
 *   over a folder fails (EISDIR) whoever you are.
 * A full disk (ENOSPC) is injected at the fs seam in `disk-full.test.ts`.
 */
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { TINY_SETTINGS, startCoreWithTinyRun, trainTinyRun } from '../support/tiny-run';

/** A directory nobody may create entries in, or null where the system has none. */
async function unwritableDirectory(): Promise<string | null> {
  const candidate = '/sys/kernel/mm';
  try {
    await mkdir(path.join(candidate, `latent-studio-probe-${process.pid}`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EPERM' || code === 'EACCES' || code === 'EROFS' ? candidate : null;
  }
  return null;
}

let core: AppCore;
let runsRoot: string;
let runId: string;
let readOnly: string | null;

beforeAll(async () => {
  readOnly = await unwritableDirectory();
  ({ core, runsRoot, runId } = await startCoreWithTinyRun('wasm'));
}, 180_000);
afterAll(() => core?.dispose());

/** The messages a user should see, without an errno code or a path. */
const READ_ONLY = /^The data folder is read-only/;

describe('engine:restart', () => {
  it('restarts even when the backend setting cannot be saved', async () => {
    const settingsFile = path.join(core.dataDirectory, 'settings.json');
    await rm(settingsFile, { force: true });
    await mkdir(path.join(settingsFile, 'in-the-way'), { recursive: true });
    const pid = core.engine.pid;

    const restarted = await core.dispatch('engine:restart', { backend: 'wasm' });
    expect(restarted).toMatchObject({ ok: true, value: { state: 'ready' } });
    expect(core.engine.pid).not.toBe(pid);
    expect(await readdir(settingsFile)).toEqual(['in-the-way']);
    await rm(settingsFile, { recursive: true });
  }, 60_000);
});

describe.skipIf(process.platform !== 'linux')('a read-only data folder', () => {
  it('turns an export into a plain-words refusal', async ({ skip }) => {
    if (!readOnly) return skip();
    const exportsDir = path.join(runsRoot, runId, 'exports');
    await rm(exportsDir, { recursive: true, force: true });
    await symlink(readOnly, exportsDir);
    try {
      for (const format of ['projector', 'csv'] as const) {
        const answer = await core.dispatch('latent:export', { runId, epoch: 1, method: 'umap', format });
        expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(READ_ONLY) });
      }
    } finally {
      await rm(exportsDir);
    }
  });

  it('refuses to start a run in a read-only runs folder in plain words, and trains once it is writable', async ({
    skip,
  }) => {
    if (!readOnly) return skip();
    const aside = `${runsRoot}.aside`;
    await rename(runsRoot, aside);
    await symlink(readOnly, runsRoot);
    try {
      const answer = await core.dispatch('train:start', TINY_SETTINGS);
      expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(READ_ONLY) });
    } finally {
      await rm(runsRoot);
      await rename(aside, runsRoot);
    }
    await writeFile(path.join(runsRoot, 'probe'), 'writable again');
    expect(await readFile(path.join(runsRoot, 'probe'), 'utf8')).toBe('writable again');
    await rm(path.join(runsRoot, 'probe'));
    expect(await trainTinyRun(core)).toMatch(/^\d{8}-/);
  }, 120_000);
});
