// Over 300 lines: one benchmark whose phases (scan, cancel, resume, reopen, train) run in order on one engine; helpers live in bench/support.
/**
 * `npm run bench -- big-folder`: a generated 100,000-image ImageFolder through the real engine
 * process (app core + forked engine, as the integration tests run it): the first scan cancelled
 * at ~40 %, opening it again (does it resume or restart?), reopening it unchanged from the cache,
 * and one training epoch from the cached pixels. Each phase prints its wall time, images/s and
 * the engine's resident memory (start / peak / end, from /proc), set against the raw pixel size
 * of the dataset so a reader sees whether memory follows the pixels or more.
 *   --count N       images (default 100000), in 10 class folders; generated once and reused
 *   --size S        PNG side in pixels (default 32); the dataset is prepared at 32² RGB
 *   --cancel-at F   fraction of the decode at which the first scan is cancelled (default 0.4)
 *   --backend B     engine backend (default auto)
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppCore } from '../src/main/core/app-core';
import type { EventName, Events } from '../src/shared/contract';
import type {
  DatasetOpenFailure,
  DatasetSummary,
  Preprocessing,
  ScanProgress,
} from '../src/shared/dataset-types';
import type { TrainProgress } from '../src/shared/types';
import { engineReady, startTestCore } from '../tests/support/engine-core';
import { trainArgs } from '../tests/support/valid-requests';
import { ensureBigFolder } from './support/big-folder-images';
import { directoryBytes, MB, RssSampler, type MemoryFigures } from './support/big-folder-memory';
import { benchOptions } from './support/options';

const values = benchOptions({
  count: '100000',
  size: '32',
  'cancel-at': '0.4',
  backend: 'auto',
});
const COUNT = Number(values.count);
const SIZE = Number(values.size);
const CANCEL_AT = Number(values['cancel-at']);
const CLASSES = 10;
const BENCH_DIR = path.join(os.tmpdir(), 'latent-studio-bench');
const FOLDER_NAME = `big-folder-${COUNT}`;
const DATA_DIR = path.join(BENCH_DIR, `big-folder-data-${COUNT}`);
const PREPROCESSING: Preprocessing = { size: 32, channels: 'rgb', fit: 'crop', background: '#000000' };
const RAW_BYTES = COUNT * PREPROCESSING.size * PREPROCESSING.size * 3;
const PRINT_EVERY_MS = 2000;
/** Scans and training get this long before the bench gives up. */
const PHASE_TIMEOUT_MS = 60 * 60_000;

if (!Number.isInteger(COUNT) || COUNT < CLASSES || !Number.isInteger(SIZE) || SIZE < 8) {
  console.error('usage: big-folder [--count N ≥ 10] [--size S ≥ 8] [--cancel-at 0..1] [--backend B]');
  process.exit(2);
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (images: number, ms: number) =>
  `${Math.round(images / Math.max(ms / 1000, 1e-3)).toLocaleString('en-US')} img/s`;
const memoryLine = (m: MemoryFigures) =>
  `engine RSS ${mb(m.start)} → peak ${mb(m.peak)} → ${mb(m.end)} (peak ${(m.peak / RAW_BYTES).toFixed(2)}× the raw pixels)`;

/** Calls `listener` for every event named `name` until the returned function is called. */
function on<E extends EventName>(core: AppCore, name: E, listener: (payload: Events[E]) => void): () => void {
  return core.events.subscribe((eventName: EventName, payload: unknown) => {
    if (eventName === name) listener(payload as Events[E]);
  });
}

interface OpenOutcome {
  summary: DatasetSummary | null;
  failure: DatasetOpenFailure | null;
  ms: number;
  /** From the request to the first `decoding` progress (the listing and cache read before it). */
  listingMs: number | null;
  /** Files the engine still had to decode at its first `decoding` progress. */
  toDecode: number | null;
  /** Images accepted (reused + decoded) at the last progress. */
  lastAccepted: number;
  cancelledAt: { accepted: number; ms: number } | null;
  /** From `job:cancel` to `dataset:did-fail`. */
  cancelMs: number | null;
  memory: MemoryFigures;
}

async function openFolder(
  core: AppCore,
  sampler: RssSampler,
  rootId: string,
  label: string,
  cancelAt: number | null,
): Promise<OpenOutcome> {
  const outcome: OpenOutcome = {
    summary: null,
    failure: null,
    ms: 0,
    listingMs: null,
    toDecode: null,
    lastAccepted: 0,
    cancelledAt: null,
    cancelMs: null,
    memory: { start: 0, peak: 0, end: 0 },
  };
  let jobId: string | null = null;
  let cancelSent = 0;
  let lastPrint = 0;
  let decodeStarted = 0;
  let acceptedAtDecodeStart = 0;
  const early: ScanProgress[] = [];
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const started = performance.now();

  const onProgress = (p: ScanProgress) => {
    if (jobId === null) return void early.push(p);
    if (p.jobId !== jobId) return;
    const now = performance.now();
    outcome.lastAccepted = p.imagesAccepted;
    if (p.phase === 'decoding' && outcome.toDecode === null) {
      outcome.listingMs = now - started;
      outcome.toDecode = p.remaining + 1;
      decodeStarted = now;
      acceptedAtDecodeStart = p.imagesAccepted - 1;
    }
    if (now - lastPrint >= PRINT_EVERY_MS) {
      lastPrint = now;
      const done = p.phase === 'decoding' ? p.imagesAccepted + p.filesSkipped : p.filesSeen;
      const own =
        p.phase === 'decoding' && decodeStarted > 0
          ? `, decoding ${rate(p.imagesAccepted - acceptedAtDecodeStart, now - decodeStarted)}`
          : '';
      console.log(
        `    ${label}: ${p.phase.padEnd(8)} ${done.toLocaleString('en-US')}/${COUNT.toLocaleString('en-US')}` +
          ` (${Math.round(p.filesPerSecond).toLocaleString('en-US')} files/s by the engine${own}), engine RSS ${mb(sampler.current())}`,
      );
    }
    if (
      cancelAt !== null &&
      cancelSent === 0 &&
      p.phase === 'decoding' &&
      (p.imagesAccepted + p.filesSkipped) / p.filesSeen >= cancelAt
    ) {
      cancelSent = now;
      outcome.cancelledAt = { accepted: p.imagesAccepted + p.filesSkipped, ms: now - started };
      void core.dispatch('job:cancel', { jobId });
    }
  };
  const stops = [
    on(core, 'dataset:did-progress', onProgress),
    on(core, 'dataset:did-open', (e) => {
      if (e.jobId !== jobId) return;
      outcome.summary = e.summary;
      settle();
    }),
    on(core, 'dataset:did-fail', (e) => {
      if (e.jobId !== jobId) return;
      outcome.failure = e;
      if (cancelSent) outcome.cancelMs = performance.now() - cancelSent;
      settle();
    }),
  ];
  sampler.start();
  const reply = await core.dispatch('dataset:open', {
    source: { kind: 'folder', rootId, relativePath: FOLDER_NAME },
    preprocessing: PREPROCESSING,
  });
  if (!reply.ok) throw new Error(`dataset:open refused: ${reply.code} ${reply.message}`);
  jobId = (reply.value as { jobId: string }).jobId;
  early.splice(0).forEach(onProgress);
  const timer = setTimeout(() => {
    outcome.failure = { jobId: jobId!, code: 'FAILED', message: 'the bench timed out', skipped: [] };
    settle();
  }, PHASE_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
  outcome.ms = performance.now() - started;
  outcome.memory = sampler.stop();
  stops.forEach((stop) => stop());
  return outcome;
}

interface TrainOutcome {
  state: string;
  error: string | null;
  ms: number;
  /** From `train:start` to the first batch's progress: building the model and the batches. */
  firstBatchMs: number | null;
  /** The engine's own figure at the last progress of the epoch. */
  imagesPerSecond: number | null;
  trainImages: number;
  memory: MemoryFigures;
}

async function trainOneEpoch(
  core: AppCore,
  sampler: RssSampler,
  summary: DatasetSummary,
): Promise<TrainOutcome> {
  const settings = trainArgs({
    datasetId: summary.datasetId,
    trainLimit: 20_000,
    testLimit: 2_000,
    displayCount: 2_000,
    epochs: 1,
  });
  const trainImages = Math.min(settings.trainLimit, summary.split.train);
  let jobId: string | null = null;
  let last: TrainProgress | null = null;
  let firstBatchMs: number | null = null;
  let lastPrint = 0;
  let outcome: { state: string; error: string | null } | null = null;
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const started = performance.now();
  const stops = [
    on(core, 'train:did-progress', (p) => {
      if (jobId !== null && p.jobId !== jobId) return;
      last = p;
      const now = performance.now();
      firstBatchMs ??= now - started;
      if (now - lastPrint >= PRINT_EVERY_MS) {
        lastPrint = now;
        console.log(
          `    train: batch ${p.batch}/${p.batchesPerEpoch}, ${Math.round(p.imagesPerSecond).toLocaleString('en-US')} img/s,` +
            ` loss ${p.loss.toFixed(1)}, engine RSS ${mb(sampler.current())}`,
        );
      }
    }),
    on(core, 'train:did-change-state', (s) => {
      if (jobId !== null && s.jobId !== jobId) return;
      if (['completed', 'failed', 'diverged', 'cancelled'].includes(s.state)) {
        outcome = { state: s.state, error: s.error };
        settle();
      }
    }),
  ];
  sampler.start();
  const reply = await core.dispatch('train:start', settings);
  if (!reply.ok) throw new Error(`train:start refused: ${reply.code} ${reply.message}`);
  jobId = (reply.value as { jobId: string }).jobId;
  const timer = setTimeout(() => {
    outcome = { state: 'timed out', error: null };
    settle();
  }, PHASE_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
  const ms = performance.now() - started;
  const memory = sampler.stop();
  stops.forEach((stop) => stop());
  const final = outcome as { state: string; error: string | null } | null;
  const lastProgress = last as TrainProgress | null;
  return {
    state: final?.state ?? 'unknown',
    error: final?.error ?? null,
    ms,
    firstBatchMs,
    imagesPerSecond: lastProgress?.imagesPerSecond ?? null,
    trainImages,
    memory,
  };
}

function describeOpen(label: string, o: OpenOutcome): void {
  const s = o.summary;
  const listing = o.listingMs === null ? '' : `, listing + cache check ${seconds(o.listingMs)}`;
  if (s) {
    console.log(
      `  ${label}: ${seconds(o.ms)}, ${rate(s.count, o.ms)} overall${listing}; ${s.count.toLocaleString('en-US')} images` +
        ` (${s.skipped.length} skipped), decoded ${s.decoded.toLocaleString('en-US')}, from cache: ${s.fromCache}`,
    );
  } else {
    console.log(
      `  ${label}: ${o.failure?.code ?? 'no result'} after ${seconds(o.ms)}${listing} — ${o.failure?.message ?? ''}`,
    );
  }
  console.log(`    ${memoryLine(o.memory)}`);
}

async function main(): Promise<void> {
  const folder = path.join(BENCH_DIR, FOLDER_NAME);
  console.log(
    `\nbig folder: ${COUNT.toLocaleString('en-US')} PNGs ${SIZE}² in ${CLASSES} classes → ${PREPROCESSING.size}² RGB (${folder})`,
  );
  let lastGenPrint = 0;
  const generated = await ensureBigFolder(folder, COUNT, {
    size: SIZE,
    classes: CLASSES,
    onProgress: (written, missing) => {
      const now = performance.now();
      if (now - lastGenPrint < PRINT_EVERY_MS) return;
      lastGenPrint = now;
      console.log(`    generating: ${written.toLocaleString('en-US')}/${missing.toLocaleString('en-US')}`);
    },
  });
  console.log(
    generated.written === 0
      ? '  generation: reused the folder from an earlier run'
      : `  generation: ${generated.written.toLocaleString('en-US')} PNGs in ${seconds(generated.seconds * 1000)}` +
          ` (${rate(generated.written, generated.seconds * 1000)}; later runs reuse them)`,
  );
  console.log(
    `  folder on disk: ${mb(await directoryBytes(folder))}; raw pixels at 32² RGB: ${mb(RAW_BYTES)}`,
  );

  // A fresh data directory each run, so the first scan really is the first.
  await rm(DATA_DIR, { recursive: true, force: true });
  const core = await startTestCore(values.backend, [BENCH_DIR], DATA_DIR);
  try {
    await engineReady(core);
    const pid = core.engine.pid;
    if (pid === undefined) throw new Error('the engine process has no pid');
    const sampler = new RssSampler(pid);
    console.log(
      `  engine: pid ${pid}, backend ${core.engine.status.backend?.label ?? '?'}, idle RSS ${mb(sampler.current())}`,
    );
    const roots = await core.dispatch('dataset:list-roots', {});
    if (!roots.ok) throw new Error(`dataset:list-roots: ${roots.message}`);
    const rootId = (roots.value as { id: string }[])[0]!.id;
    const cacheDir = path.join(DATA_DIR, 'cache');

    console.log(`\n(1) first scan, cancelled at ~${Math.round(CANCEL_AT * 100)} % of the decode`);
    const first = await openFolder(core, sampler, rootId, 'first scan', CANCEL_AT);
    describeOpen('first scan', first);
    if (first.cancelledAt) {
      console.log(
        `    cancel sent at ${first.cancelledAt.accepted.toLocaleString('en-US')}/${COUNT.toLocaleString('en-US')} images` +
          ` after ${seconds(first.cancelledAt.ms)}; cancelled in ${first.cancelMs === null ? '?' : `${first.cancelMs.toFixed(1)} ms`}` +
          ` (last progress ${first.lastAccepted.toLocaleString('en-US')}); cache on disk after cancel: ${mb(await directoryBytes(cacheDir))}`,
      );
    }

    console.log('\n(2) open again after the cancel');
    const second = await openFolder(core, sampler, rootId, 'open again', null);
    describeOpen('open again', second);
    const decodedAgain = second.summary?.decoded ?? second.toDecode ?? 0;
    const alreadyDone = first.cancelledAt?.accepted ?? 0;
    const reused = (second.summary?.count ?? COUNT) - decodedAgain;
    const resumes = reused >= alreadyDone * 0.9 && alreadyDone > 0;
    console.log(
      `    ${resumes ? 'RESUMED' : 'RESTARTED'}: decoded ${decodedAgain.toLocaleString('en-US')} of ${COUNT.toLocaleString('en-US')};` +
        ` reused ${reused.toLocaleString('en-US')} of the ~${alreadyDone.toLocaleString('en-US')} decoded before the cancel`,
    );
    console.log(`    cache on disk: ${mb(await directoryBytes(cacheDir))}`);
    if (!second.summary) throw new Error('the second open did not finish; stopping');

    console.log('\n(3) reopen unchanged');
    const third = await openFolder(core, sampler, rootId, 'reopen', null);
    describeOpen('reopen', third);
    const summary = third.summary ?? second.summary;

    console.log(
      `\n(4) train 1 epoch from the cache (MLP VAE, trainLimit 20,000, testLimit 2,000, displayCount 2,000)`,
    );
    const train = await trainOneEpoch(core, sampler, summary);
    console.log(
      `  train: ${train.state}${train.error ? ` (${train.error})` : ''} in ${seconds(train.ms)}` +
        ` (first batch after ${train.firstBatchMs === null ? '?' : seconds(train.firstBatchMs)});` +
        ` ${train.imagesPerSecond === null ? '?' : Math.round(train.imagesPerSecond).toLocaleString('en-US')} img/s by the engine,` +
        ` ${rate(train.trainImages, train.ms)} over the whole run (map, test set and checkpoint included)`,
    );
    console.log(`    ${memoryLine(train.memory)}`);

    const scanPeak = Math.max(first.memory.peak, second.memory.peak);
    const idle = first.memory.start;
    const overhead = (scanPeak - idle) / RAW_BYTES;
    const verdict =
      RAW_BYTES < 64 * MB
        ? 'too few images to judge memory against the pixels (run the default 100,000)'
        : overhead <= 1.25
          ? 'memory follows the pixels (about one copy), not the folder'
          : overhead <= 2.5
            ? `ABOVE what the pixels need: ${overhead.toFixed(1)} copies of the raw pixels at the peak` +
              ' (one copy is the minimum for an in-memory dataset; this grows with the image count)'
            : `FAR ABOVE what the pixels need: ${overhead.toFixed(1)} copies of the raw pixels at the peak`;
    console.log(
      `\nsummary: ${COUNT.toLocaleString('en-US')} images; open after the cancel ${resumes ? 'resumed' : 'restarted'} (decoded ${second.summary.decoded.toLocaleString('en-US')} again);` +
        ` scan peak ${mb(scanPeak)} = idle ${mb(idle)} + ${mb(scanPeak - idle)} (${overhead.toFixed(2)}× the ${mb(RAW_BYTES)} raw pixels): ${verdict};` +
        ` cached reopen ${seconds(third.ms)} vs full open ${seconds(second.ms)} (${(second.ms / third.ms).toFixed(1)}×);` +
        ` reopen peak ${mb(third.memory.peak)}; training peak ${mb(train.memory.peak)}; cache ${mb(await directoryBytes(cacheDir))} on disk`,
    );
  } finally {
    core.dispose();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
