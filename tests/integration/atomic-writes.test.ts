/**
 * Every atomic write has a temporary name of its own, so writes of the same file at the same time
 * (the same export asked for twice, from two windows) all succeed and leave one whole file: through
 * the real engine process, and the helper itself.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import { writeFileAtomic, writeLinesAtomic } from '../../src/main/engine/fs/atomic-write';
import type { ExportedFile } from '../../src/shared/projection-types';
import type { Result } from '../../src/shared/result';
import { tempFolder } from '../support/temp-folder';
import { TINY_SETTINGS } from '../support/tiny-run';
import { coreWithTinyRunForFile } from '../support/core-for-file';

let core: AppCore;
let runId: string;

coreWithTinyRunForFile('wasm', (started) => ({ core, runId } = started));

const rows = (text: string, separator: string) =>
  text
    .split(separator)
    .filter(Boolean)
    .map((line) => line.split(separator === '\n' ? '\t' : ','));

describe('concurrent exports of the same run', () => {
  it('all succeed, and every file parses whole', async () => {
    const formats = Array.from({ length: 10 }, (_, i): 'csv' | 'projector' => (i % 2 ? 'csv' : 'projector'));
    const answers = await Promise.all(
      formats.map((format) => core.dispatch('latent:export', { runId, epoch: 1, method: 'umap', format })),
    );
    const failures = answers.filter((a) => !a.ok);
    expect(failures).toEqual([]);

    const exportsDir = path.join(core.dataDirectory, 'runs', runId, 'exports');
    const count = TINY_SETTINGS.displayCount;
    const files = answers.flatMap((a) => (a as Result<{ files: ExportedFile[] }> & { ok: true }).value.files);
    for (const { name, bytes } of files) {
      const text = await readFile(path.join(exportsDir, name), 'utf8');
      expect(Buffer.byteLength(text)).toBe(bytes);
      if (name.endsWith('.csv')) {
        const table = rows(text, '\r\n');
        expect(table).toHaveLength(count + 1);
        expect(new Set(table.map((r) => r.length)).size).toBe(1);
      } else if (name.endsWith('vectors.tsv')) {
        const table = rows(text, '\n');
        expect(table).toHaveLength(count);
        for (const row of table) {
          expect(row).toHaveLength(TINY_SETTINGS.latentDim);
          expect(row.every((v) => Number.isFinite(Number(v)))).toBe(true);
        }
      } else {
        expect(rows(text, '\n')).toHaveLength(count + 1);
      }
    }
    const left = await readdir(exportsDir, { recursive: true });
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('the atomic-write helper', () => {
  const directory = tempFolder('atomic');

  it('lets 50 writes of one file race: all succeed, one whole version wins, no temporary is left', async () => {
    const file = path.join(directory(), 'same.json');
    const versions = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(10_000) }));
    await Promise.all(
      versions.map((text, i) =>
        i % 2 ? writeFileAtomic(file, text) : writeLinesAtomic(file, text.match(/.{1,100}/g)!),
      ),
    );
    expect(versions).toContain(await readFile(file, 'utf8'));
    expect(await readdir(directory())).toEqual(['same.json']);
  });

  it('removes its temporary when a streamed write fails', async () => {
    const failing = function* (): Generator<string> {
      yield 'first line\n';
      throw new Error('the data ran out');
    };
    await expect(writeLinesAtomic(path.join(directory(), 'broken.csv'), failing())).rejects.toThrow(
      'the data ran out',
    );
    expect(await readdir(directory())).not.toContain('broken.csv');
    expect((await readdir(directory())).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
