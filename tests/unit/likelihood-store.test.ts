/**
 * `runs/<id>/likelihood.json` on real files: estimates read back as written, newest last and
 * capped; a missing file is none; a damaged file or entry is skipped on read and moved aside,
 * never lost, before the next write replaces it.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SavedLikelihood } from '../../src/shared/likelihood-types';
import {
  appendLikelihood,
  LIKELIHOOD_FILE,
  MAX_SAVED,
  readLikelihoods,
} from '../../src/main/engine/train/likelihood-store';
import { tempFolder } from '../support/temp-folder';

const dir = tempFolder('likelihood-store', { each: true });

function entry(n: number, extra: Partial<SavedLikelihood> = {}): SavedLikelihood {
  return {
    epoch: n,
    checkpoint: n % 2 ? 'best' : 'newest',
    split: 'test',
    seed: 1,
    automatic: n % 3 === 0,
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    estimate: {
      samples: 100,
      images: 1000,
      dimensions: 784,
      negativeElbo: 105 + n,
      nll: 100 + n,
      bitsPerDim: n % 2 ? null : (100 + n) / (784 * Math.LN2),
    },
    ...extra,
  };
}

const file = () => path.join(dir(), LIKELIHOOD_FILE);
const asideFiles = async () => (await readdir(dir())).filter((name) => name.includes('.damaged-'));

describe('likelihood store', () => {
  it('reads a missing file as no estimates', async () => {
    expect(await readLikelihoods(dir())).toEqual({ estimates: [], skipped: 0, damaged: false });
  });

  it('reads back what it wrote, newest last', async () => {
    await appendLikelihood(dir(), entry(1));
    const returned = await appendLikelihood(dir(), entry(2));
    const read = await readLikelihoods(dir());
    expect(read).toEqual({ estimates: [entry(1), entry(2)], skipped: 0, damaged: false });
    expect(returned).toEqual(read.estimates);
  });

  it('keeps the newest MAX_SAVED, dropping the oldest', async () => {
    // Appended all at once: the writes queue, so none reads a list another is replacing.
    await Promise.all(Array.from({ length: MAX_SAVED + 3 }, (_, i) => appendLikelihood(dir(), entry(i + 1))));
    const { estimates } = await readLikelihoods(dir());
    expect(estimates.map((e) => e.epoch)).toEqual(Array.from({ length: MAX_SAVED }, (_, i) => i + 4));
  });

  it('skips a damaged entry, keeps the rest, and moves the file aside before the next write', async () => {
    await appendLikelihood(dir(), entry(1));
    const written = JSON.parse(await readFile(file(), 'utf8')) as { estimates: unknown[] };
    const damaged = { ...entry(2), estimate: { ...entry(2).estimate, nll: null } };
    const original = JSON.stringify({ ...written, estimates: [...written.estimates, damaged, 'junk'] });
    await writeFile(file(), original);
    expect(await readLikelihoods(dir())).toEqual({ estimates: [entry(1)], skipped: 2, damaged: false });

    await appendLikelihood(dir(), entry(3));
    expect((await readLikelihoods(dir())).estimates).toEqual([entry(1), entry(3)]);
    const aside = await asideFiles();
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(dir(), aside[0]!), 'utf8')).toBe(original);
  });

  it.each([
    ['truncated JSON', '{"version":1,"estimates":[{"epoch":'],
    ['another shape', '[1, 2, 3]'],
    ['a future version', '{"version":2,"estimates":[]}'],
  ])('reads %s as damaged without throwing, and keeps it aside on write', async (_, text) => {
    await writeFile(file(), text);
    expect(await readLikelihoods(dir())).toEqual({ estimates: [], skipped: 0, damaged: true });
    await appendLikelihood(dir(), entry(1));
    expect(await readLikelihoods(dir())).toEqual({ estimates: [entry(1)], skipped: 0, damaged: false });
    const aside = await asideFiles();
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(dir(), aside[0]!), 'utf8')).toBe(text);
  });

  it('reads a folder in the file’s place as damaged', async () => {
    await mkdir(file());
    expect(await readLikelihoods(dir())).toMatchObject({ estimates: [], damaged: true });
  });

  it('does not keep a non-finite estimate (JSON would make it null)', async () => {
    await appendLikelihood(dir(), entry(1));
    const bad = entry(2, { estimate: { ...entry(2).estimate, nll: Number.NaN } });
    expect(await appendLikelihood(dir(), bad)).toEqual([entry(1)]);
    expect((await readLikelihoods(dir())).estimates).toEqual([entry(1)]);
    expect(await asideFiles()).toEqual([]);
  });
});
