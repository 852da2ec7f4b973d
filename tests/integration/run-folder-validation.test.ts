/**
 * Run folders are data from disk, checked like requests: through the real app core and engine
 * process, copies of a real run get a config outside the training limits, bad metrics lines and
 * files in odd shapes. A bad config is refused in plain words before any model is built and the
 * run still lists; bad metrics lines are skipped and counted; error messages never carry an
 * absolute path.
 */
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { Result } from '../../src/shared/result';
import type { RunDetails } from '../../src/shared/run-types';
import { nextEvent } from '../support/engine-core';
import { copyRun, listedRuns } from '../support/tiny-run';
import { coreWithTinyRunForFile } from '../support/core-for-file';

let core: AppCore;
let runsRoot: string;
let runId: string;

coreWithTinyRunForFile('wasm', (started) => ({ core, runsRoot, runId } = started));

async function editConfig(id: string, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(runsRoot, id, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(config);
  await writeFile(file, JSON.stringify(config));
}

function failure(result: Result<unknown>): { code: string; message: string } {
  expect(result.ok).toBe(false);
  return result as { code: string; message: string };
}

/** No absolute path: not the data folder, nor anything that starts like `/x` or `C:\`. */
function expectNoAbsolutePath(message: string): void {
  expect(message).not.toContain(core.dataDirectory);
  expect(message).not.toMatch(/(^|[\s'"(])(\/|[A-Za-z]:\\)[^\s]/);
}

describe('a run whose config.json is outside what train:start accepts', () => {
  it('is refused clearly by runs:open, train:continue and the gallery, and still lists', async () => {
    const bad = await copyRun(runsRoot, runId);
    await editConfig(bad, (config) => {
      (config['settings'] as Record<string, unknown>)['width'] = 100_000;
    });
    // The original run is opened first: a refusal must leave the explored model as it was.
    expect(await core.dispatch('runs:open', { runId })).toMatchObject({ ok: true });

    for (const refused of [
      await core.dispatch('runs:open', { runId: bad }),
      await core.dispatch('train:continue', { runId: bad, epochs: 2 }),
    ]) {
      const { code, message } = failure(refused);
      expect(code).toBe('NOT_FOUND');
      expect(message).toMatch(/config\.json/);
      expect(message).toMatch(/settings\.width/);
    }
    // The gallery asks for the run's config before it asks for a model.
    const sample = failure(
      await core.dispatch('gallery:sample', { runId: bad, count: 4, temperature: 1, seed: 1 }),
    );
    expect(sample.message).toMatch(/cannot be read/);
    expect(await core.dispatch('gallery:sample', { runId, count: 4, temperature: 1, seed: 1 })).toMatchObject(
      { ok: true },
    );

    const listed = await listedRuns(core);
    expect(listed.find((r) => r.runId === runId)).toMatchObject({ state: 'completed' });
    const unreadable = listed.find((r) => r.runId === bad);
    expect(unreadable).toMatchObject({ state: 'failed', checkpointEpochs: [] });
    expect(unreadable?.unreadable).toMatch(/settings\.width/);
    expect(unreadable?.error).toBe(unreadable?.unreadable);
  }, 60_000);

  it('refuses a preprocessing that dataset:open would refuse, and a config that is not JSON', async () => {
    const badPreprocessing = await copyRun(runsRoot, runId);
    await editConfig(badPreprocessing, (config) => {
      config['preprocessing'] = { size: 3, channels: 'rgb', fit: 'crop', background: '#000000' };
    });
    const notJson = await copyRun(runsRoot, runId);
    await writeFile(path.join(runsRoot, notJson, 'config.json'), '{"runId": ');

    expect(failure(await core.dispatch('runs:open', { runId: badPreprocessing })).message).toMatch(
      /preprocessing\.size/,
    );
    expect(failure(await core.dispatch('runs:open', { runId: notJson })).message).toMatch(/config\.json/);
    const listed = await listedRuns(core);
    expect(listed.find((r) => r.runId === badPreprocessing)?.unreadable).toMatch(/preprocessing/);
    expect(listed.find((r) => r.runId === notJson)?.unreadable).toMatch(/config\.json/);
  });
});

describe('metrics.jsonl lines', () => {
  it('skips and counts null, garbage and wrongly shaped lines; the run lists, opens and continues', async () => {
    const damaged = await copyRun(runsRoot, runId);
    await appendFile(
      path.join(runsRoot, damaged, 'metrics.jsonl'),
      'null\n{"epoch": 2, "tes\n{"epoch":"x"}\n',
    );

    const summary = (await listedRuns(core)).find((r) => r.runId === damaged);
    expect(summary).toMatchObject({ epochsDone: 1, skippedMetricLines: 3, state: 'completed' });
    const opened = await core.dispatch('runs:open', { runId: damaged });
    expect(opened).toMatchObject({ ok: true, value: { summary: { skippedMetricLines: 3 } } });
    expect((opened as { value: RunDetails }).value.metrics).toHaveLength(1);

    const finished = nextEvent(
      core,
      'train:did-change-state',
      (s) => s.runId === damaged && s.state === 'completed',
      120_000,
    );
    expect(await core.dispatch('train:continue', { runId: damaged, epochs: 2 })).toMatchObject({ ok: true });
    await finished;
    const continued = (await listedRuns(core)).find((r) => r.runId === damaged);
    // The continued run rewrote its metrics whole, from the lines that were readable.
    expect(continued).toMatchObject({ epochsDone: 2, state: 'completed' });
    expect(continued?.skippedMetricLines).toBeUndefined();
  }, 150_000);
});

describe('engine error messages', () => {
  it('name files relative to the data folder, never by absolute path', async () => {
    const noTensors = await copyRun(runsRoot, runId);
    await rm(path.join(runsRoot, noTensors, 'checkpoints', 'epoch-0001', 'tensors.bin'));
    const corrupt = failure(await core.dispatch('runs:open', { runId: noTensors }));
    expect(corrupt.code).toBe('CHECKPOINT_CORRUPT');
    expect(corrupt.message).toContain(`runs/${noTensors}/checkpoints/epoch-0001/tensors.bin`);
    expectNoAbsolutePath(corrupt.message);

    // `exports` is a file, so the export's folder cannot be made under it.
    const blocked = await copyRun(runsRoot, runId);
    await writeFile(path.join(runsRoot, blocked, 'exports'), 'not a folder');
    const exported = failure(
      await core.dispatch('latent:export', { runId: blocked, epoch: 1, method: 'pca', format: 'projector' }),
    );
    expect(exported.message).toContain(`runs/${blocked}/exports`);
    expectNoAbsolutePath(exported.message);

    const configFolder = await copyRun(runsRoot, runId);
    await rm(path.join(runsRoot, configFolder, 'config.json'));
    await mkdir(path.join(runsRoot, configFolder, 'config.json'));
    const opened = failure(await core.dispatch('runs:open', { runId: configFolder }));
    expect(opened.message).toMatch(/config\.json/);
    expectNoAbsolutePath(opened.message);
  });
});
