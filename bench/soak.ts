/**
 * `npm run bench -- soak [--minutes 30] [--count 20000]`: memory and leaks over a long run.
 *
 * 1. Generates once (reused while complete) `count` distinct 64×64 RGB JPEGs in 10 class folders
 *    under <tmp>/latent-studio-bench/soak-<count>/.
 * 2. Engine, in this plain Node process (bench/support/soak-engine.ts): the engine's EngineHost
 *    opens the folder and trains the default MLP VAE on it epoch after epoch, with part-way map
 *    updates, checkpoints, the gallery's per-epoch reconstructions and the map's projections all
 *    as in the app. One line per epoch (time, loss, `tf.memory().numTensors`, RSS, JS heap), then
 *    RSS start / peak / end and whether the tensor count stayed flat after epoch 1.
 * 3. Renderer (bench/support/soak-renderer.ts): the built browser host (`npm run build` first) in
 *    Chromium trains MNIST with the map redrawn every 2 batches; the page's JS heap is read after a
 *    forced GC through the DevTools protocol every `--interval` seconds, and its least-squares
 *    slope against the number of map updates decides "no growth".
 *
 * The two parts run one after the other, the engine for 2/3 of `--minutes` and the renderer for
 * 1/3: on 2 cores, running them together would have the browser host's engine, Chromium's software
 * GL and the in-process engine fight over the CPU, and the in-process RSS would then also carry
 * whatever the other part's pressure made the allocator keep. Apart, each part's figures are its
 * own. The folder's generation and first open (decode, cache) are not counted in the budget.
 *   --minutes M   total training time (default 30)
 *   --count N     images in the generated folder (default 20000)
 *   --interval S  seconds between renderer heap readings (default: minutes·2, 5 to 30)
 *   --part P      engine, renderer or both (default both)
 */
import os from 'node:os';
import path from 'node:path';
import { soakEngine } from './support/soak-engine';
import { ensureSoakFolder } from './support/soak-folder';
import { soakRenderer } from './support/soak-renderer';
import { clock } from './support/soak-stats';
import { benchOptions } from './support/options';

const values = benchOptions({
  minutes: '30',
  count: '20000',
  interval: undefined,
  part: 'both',
});
const MINUTES = Number(values.minutes);
const COUNT = Number(values.count);
const PART = values.part;
const INTERVAL = values.interval ? Number(values.interval) : Math.min(30, Math.max(5, MINUTES * 2));
if (!(MINUTES > 0) || !(COUNT >= 20) || !['engine', 'renderer', 'both'].includes(PART)) {
  console.error('usage: npm run bench -- soak [--minutes 30] [--count 20000] [--interval S] [--part both]');
  process.exit(2);
}
const BENCH_DIR = path.join(os.tmpdir(), 'latent-studio-bench');

function load(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

async function main(): Promise<void> {
  const started = performance.now();
  const engineSeconds = PART === 'both' ? (MINUTES * 60 * 2) / 3 : PART === 'engine' ? MINUTES * 60 : 0;
  const rendererSeconds = MINUTES * 60 - engineSeconds;
  const summary: string[] = [
    `soak: ${MINUTES} min (engine ${clock(engineSeconds)}, renderer ${clock(rendererSeconds)}), ` +
      `${COUNT} images, ${os.cpus().length} CPUs, load average at start ${load()}`,
  ];
  console.log(`\n${summary[0]}`);

  if (engineSeconds > 0) {
    const folder = path.join(BENCH_DIR, `soak-${COUNT}`);
    const generateStart = performance.now();
    const written = await ensureSoakFolder(folder, COUNT);
    if (written > 0) console.log(`generated in ${((performance.now() - generateStart) / 1000).toFixed(1)} s`);
    console.log(`\n— engine (in-process), ${folder}`);
    const engine = await soakEngine({
      folder,
      cacheRoot: path.join(BENCH_DIR, 'soak-cache'),
      seconds: engineSeconds,
      displayCount: Math.min(2_000, COUNT),
    });
    summary.push('', ...engine.lines.filter((line) => !/^\s+\d+\s+\d+:\d\d\s|^epoch\s/.test(line)));
    summary.push(`load average after the engine part: ${load()}`);
  }
  if (rendererSeconds > 0) {
    console.log('\n— renderer (browser host in Chromium)');
    const renderer = await soakRenderer({ seconds: rendererSeconds, interval: INTERVAL });
    summary.push('', ...renderer.lines);
    summary.push(`load average after the renderer part: ${load()}`);
  }
  console.log(`\n===== summary (${clock((performance.now() - started) / 1000)} in all) =====`);
  for (const line of summary) console.log(line);
  // The engine's projection worker thread would keep the process alive.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
