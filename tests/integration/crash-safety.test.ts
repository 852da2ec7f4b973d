/**
 * Data safety under crashes, through the real app core and engine process: 50 save cycles each
 * start (or continue) a tiny run and kill the engine with SIGKILL at a seeded random moment, landing
 * in checkpoint saves, metrics, status, reconstruction and layout writes. After every kill the run
 * folders must still parse and open; at the end every run folder is listed and opens, and the newest
 * run's map loads and it trains on.
 */
import { mulberry32 } from '../../src/main/engine/random';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/main/core/app-core';
import type { EventName } from '../../src/shared/contract';
import { RUN_ID_PATTERN, type RunSummary } from '../../src/shared/run-types';
import { trainArgs } from '../support/valid-requests';
import { nextEvent, startReadyCore } from '../support/engine-core';

const CYCLES = 50;
const SEED = 0x5afe;
/** Four epochs of 256 images take about a second on wasm; a kill lands well before the end. */
const SETTINGS = trainArgs({
  trainLimit: 256,
  testLimit: 128,
  displayCount: 64,
  batchSize: 64,
  epochs: 4,
});
/** Where a kill is timed from, and the most milliseconds after it. */
const ANCHORS: { after: 'dispatch' | EventName; maxDelayMs: number }[] = [
  { after: 'dispatch', maxDelayMs: 900 },
  { after: 'train:did-save-checkpoint', maxDelayMs: 60 },
  { after: 'train:did-end-epoch', maxDelayMs: 300 },
];

type Reply = { ok: true; value: unknown } | { ok: false; code: string; message: string };

async function names(directory: string): Promise<string[]> {
  return readdir(directory).catch(() => [] as string[]);
}

/** Every file below `directory`, as paths relative to it. */
async function walk(directory: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(directory, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(directory, relative)));
    else files.push(relative);
  }
  return files;
}

const isTemporary = (relative: string) =>
  relative.endsWith('.tmp') || relative.split(path.sep).some((part) => part.startsWith('.partial-'));

/**
 * What is on disk after a kill: every data file (temporaries aside) whole, and the runs found.
 * Returns the run folders and how many temporaries were left behind.
 */
async function checkDisk(runsRoot: string): Promise<{ runIds: string[]; temporaries: number }> {
  const runIds = (await names(runsRoot)).filter((n) => RUN_ID_PATTERN.test(n));
  let temporaries = 0;
  for (const runId of runIds) {
    const runDirectory = path.join(runsRoot, runId);
    const files = await walk(runDirectory);
    expect(files, `${runId} has a config`).toContain('config.json');
    for (const file of files) {
      if (isTemporary(file)) {
        temporaries++;
        continue;
      }
      if (file.endsWith('.json')) {
        const text = await readFile(path.join(runDirectory, file), 'utf8');
        expect(() => JSON.parse(text) as unknown, `${runId}/${file} parses`).not.toThrow();
      }
      if (file === 'metrics.jsonl') {
        const lines = (await readFile(path.join(runDirectory, file), 'utf8')).split('\n').filter(Boolean);
        for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      }
    }
  }
  return { runIds, temporaries };
}

/** Listed checkpoints are exactly the whole `epoch-NNNN` folders: no temporary taken for one. */
async function expectCheckpointsMatchDisk(runsRoot: string, summary: RunSummary): Promise<void> {
  const directory = path.join(runsRoot, summary.runId, 'checkpoints');
  const onDisk = (await names(directory)).filter((n) => /^epoch-\d{4,}$/.test(n));
  expect(summary.checkpointEpochs).toEqual(onDisk.map((n) => Number(n.slice(6))).sort((a, b) => a - b));
  for (const name of onDisk) {
    const manifest = JSON.parse(await readFile(path.join(directory, name, 'manifest.json'), 'utf8')) as {
      byteLength: number;
    };
    expect((await stat(path.join(directory, name, 'tensors.bin'))).size).toBe(manifest.byteLength);
  }
}

/** A run opens; one with no checkpoint may instead be refused, but with a typed code. */
async function expectOpens(core: AppCore, summary: RunSummary): Promise<boolean> {
  const opened = (await core.dispatch('runs:open', { runId: summary.runId })) as Reply;
  if (summary.checkpointEpochs.length > 0) {
    expect(opened, `runs:open ${summary.runId}`).toMatchObject({ ok: true });
  } else if (!opened.ok) {
    expect(['NOT_FOUND', 'CHECKPOINT_CORRUPT']).toContain(opened.code);
  }
  return opened.ok;
}

async function listRuns(core: AppCore): Promise<RunSummary[]> {
  const listed = (await core.dispatch('runs:list', {})) as Reply;
  expect(listed.ok).toBe(true);
  return (listed as { value: RunSummary[] }).value;
}

async function readyCore(dataDirectory: string): Promise<AppCore> {
  const core = await startReadyCore('wasm', [], dataDirectory);
  return core;
}

/** Kills the engine and waits until the core has seen it die (so the next core starts alone). */
async function killEngine(core: AppCore): Promise<void> {
  const died = nextEvent(core, 'engine:did-change-status', (s) => s.state !== 'ready', 10_000);
  process.kill(core.engine.pid!, 'SIGKILL');
  await died;
  core.dispose();
}

describe('crash safety', () => {
  // About 100–150 s on two cores (50 engine boots); the limit leaves room for a busy CI machine.
  it('keeps every run folder whole and openable across 50 engine kills at random save points', async () => {
    const t0 = performance.now();
    const next = mulberry32(SEED);
    const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'latent-studio-crash-'));
    const runsRoot = path.join(dataDirectory, 'runs');
    let kills = 0;
    let continued = 0;
    let temporaries = 0;
    let previous: string | null = null;

    // The next cycle's engine boots while this one trains: a boot takes about a second and reads
    // nothing under runs/ until asked, so the overlap only saves time.
    let upcoming = readyCore(dataDirectory);
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const core = await upcoming;
        upcoming = readyCore(dataDirectory);
        let killed = false;
        let resumed: string | null = null;
        try {
          // The run the last kill hit opens straight away in a new engine.
          const runs = await listRuns(core);
          if (previous) {
            const hit = runs.find((r) => r.runId === previous);
            if (hit) await expectOpens(core, hit);
          }
          const resumable = runs.filter((r) => r.checkpointEpochs.length > 0);
          const anchor = ANCHORS[Math.floor(next() * ANCHORS.length)]!;
          const delayMs = Math.floor(next() * anchor.maxDelayMs);
          const resume = resumable.length > 0 && next() < 0.4 ? resumable[0]! : null;
          const anchored =
            anchor.after === 'dispatch'
              ? Promise.resolve()
              : nextEvent(core, anchor.after, () => true, 30_000);
          const dispatched = resume
            ? core.dispatch('train:continue', {
                runId: resume.runId,
                epochs: resume.checkpointEpochs.at(-1)! + SETTINGS.epochs,
              })
            : core.dispatch('train:start', SETTINGS);
          if (resume) {
            continued++;
            resumed = resume.runId;
          }
          // A kill timed from the dispatch may land before the reply; the reply then fails.
          const reply = dispatched.then((r) => r as Reply).catch(() => null);
          if (anchor.after !== 'dispatch') expect(await reply).toMatchObject({ ok: true });
          await anchored;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await killEngine(core);
          killed = true;
          kills++;
          await reply;
        } finally {
          if (!killed) core.dispose();
        }
        const disk = await checkDisk(runsRoot);
        temporaries = disk.temporaries;
        previous = resumed ?? disk.runIds.sort().at(-1) ?? null;
      }
    } catch (error) {
      // Never leave the booted engine of a cycle that will not run.
      void upcoming.then((c) => c.dispose());
      throw error;
    }

    const core = await upcoming;
    try {
      const onDisk = (await names(runsRoot)).filter((n) => RUN_ID_PATTERN.test(n)).sort();
      const runs = await listRuns(core);
      expect(runs.map((r) => r.runId).sort()).toEqual(onDisk);
      let opened = 0;
      for (const run of runs) {
        await expectCheckpointsMatchDisk(runsRoot, run);
        if (await expectOpens(core, run)) opened++;
      }
      const newest = runs.find((r) => r.checkpointEpochs.length > 0)!;
      expect(newest).toBeDefined();
      const points = (await core.dispatch('latent:get-points', { runId: newest.runId })) as Reply;
      expect(points).toMatchObject({ ok: true });
      for (const epoch of (points as { value: { epochs: number[] } }).value.epochs) {
        expect(
          await core.dispatch('latent:get-epoch', { runId: newest.runId, epoch, method: 'pca' }),
        ).toMatchObject({ ok: true });
      }
      const target = newest.checkpointEpochs.at(-1)! + 1;
      const completed = nextEvent(core, 'train:did-change-state', (s) => s.state === 'completed', 60_000);
      expect(await core.dispatch('train:continue', { runId: newest.runId, epochs: target })).toMatchObject({
        ok: true,
      });
      await completed;
      const after = (await listRuns(core)).find((r) => r.runId === newest.runId)!;
      expect(after.checkpointEpochs.at(-1)).toBe(target);
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `crash safety: ${CYCLES} cycles, ${kills} kills (${continued} during continued runs), ${runs.length} runs, ` +
          `${opened} opened, ${temporaries} temporaries ignored, ${seconds.toFixed(1)} s`,
      );
    } finally {
      core.dispose();
    }
  }, 300_000);
});
