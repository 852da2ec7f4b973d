/**
 * `npm run bench -- decode`: folder-dataset decode throughput. 256×256 JPEGs → 64×64 RGB centre
 * crop with decodeImage at several concurrencies, against Pillow (Debian python3-pil, one process:
 * open, convert('RGB'), ImageOps.fit with LANCZOS, tobytes) on the same files in the same run.
 * The files are generated once and cached in the temp dir. Pillow and sharp take turns for
 * several rounds and each keeps its best, so a burst of other work on the machine hurts neither.
 *   --count N          images (default 10000)
 *   --source-size S    side of the generated JPEGs (default 256; each size is cached separately)
 *   --concurrency L    comma-separated decodes in flight to time (default 1,2,4,8)
 *   --rounds R         turns each (default 2)
 *   --explore          also time the sharp knobs: operation cache, libvips threads, path vs buffer
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { decodeImage } from '../src/main/engine/data/folder/decode-image';
import { ensureJpegFolder, inPool } from './support/jpeg-folder';
import type { Preprocessing } from '../src/shared/dataset-types';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    count: { type: 'string', default: '10000' },
    'source-size': { type: 'string', default: '256' },
    concurrency: { type: 'string', default: '1,2,4,8' },
    rounds: { type: 'string', default: '2' },
    explore: { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.count);
const CONCURRENCIES = values.concurrency.split(',').map(Number);
const ROUNDS = Number(values.rounds);
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
const SOURCE_SIZE = Number(values['source-size']);
const PREPROCESSING: Preprocessing = { size: 64, channels: 'rgb', fit: 'crop', background: '#000000' };
const BENCH_DIR = path.join(os.tmpdir(), 'latent-studio-bench');
const DATA_DIR = path.join(BENCH_DIR, `jpeg-${SOURCE_SIZE}`);
const DUMP_COUNT = 16;

interface Timing {
  imagesPerSecond: number;
  /** Process CPU time (all threads) per image: what it costs, whatever the parallelism. */
  cpuMicrosecondsPerImage: number;
}

async function timeDecoding(
  files: string[],
  concurrency: number,
  decode: (file: string) => Promise<unknown>,
): Promise<Timing> {
  await inPool(files.slice(0, 200), concurrency, decode);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await inPool(files, concurrency, decode);
  const cpu = process.cpuUsage(cpuStart);
  return {
    imagesPerSecond: files.length / ((performance.now() - start) / 1000),
    cpuMicrosecondsPerImage: (cpu.user + cpu.system) / files.length,
  };
}

const decodeWithPreprocessing = (file: string) => decodeImage(file, PREPROCESSING);

function runPillow(listFile: string, dumpFile: string): Timing {
  const script = path.join(__dirname, 'reference/pillow_decode.py');
  const args = [listFile, '--size', String(PREPROCESSING.size), '--dump', dumpFile];
  const out = execFileSync(PYTHON, [script, ...args, '--dump-count', String(DUMP_COUNT)], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Timing;
}

/** Mean absolute difference between Pillow's and decodeImage's pixels, 0–255. */
async function meanDifference(files: string[], dumpFile: string): Promise<number> {
  const pillow = await readFile(dumpFile);
  let total = 0;
  for (let i = 0; i < DUMP_COUNT; i++) {
    const ours = await decodeWithPreprocessing(files[i]!);
    const theirs = pillow.subarray(i * ours.length, (i + 1) * ours.length);
    for (let j = 0; j < ours.length; j++) total += Math.abs(ours[j]! - theirs[j]!);
  }
  return total / pillow.length;
}

/** The decodeImage pipeline written against sharp directly, to feed it a path instead of bytes. */
function sharpPipeline(input: string | Buffer) {
  const { size, background } = PREPROCESSING;
  return sharp(input, { limitInputPixels: 100_000_000, failOn: 'error', pages: 1, autoOrient: true })
    .flatten({ background })
    .resize(size, size, { fit: 'cover', position: 'centre' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer();
}

/** Each knob against the chosen settings, interleaved over the rounds like the main table. */
async function explore(files: string[], concurrency: number): Promise<void> {
  const threads = sharp.concurrency();
  const variants: { name: string; setUp: () => void; decode: (file: string) => Promise<unknown> }[] = [
    {
      name: 'chosen: cache off, 1 libvips thread/image',
      setUp: () => undefined,
      decode: decodeWithPreprocessing,
    },
    {
      name: 'operation cache on (sharp default)',
      setUp: () => sharp.cache(true),
      decode: decodeWithPreprocessing,
    },
    {
      name: `libvips threads/image = ${os.availableParallelism()} (CPU count)`,
      setUp: () => sharp.concurrency(0),
      decode: decodeWithPreprocessing,
    },
    {
      name: 'file read by Node, given as a Buffer',
      setUp: () => undefined,
      decode: async (f) => sharpPipeline(await readFile(f)),
    },
    { name: 'file path given to libvips', setUp: () => undefined, decode: (f) => sharpPipeline(f) },
  ];
  const best = new Map<string, Timing>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, setUp, decode } of variants) {
      setUp();
      keepBest(best, name, await timeDecoding(files, concurrency, decode));
      sharp.cache(false);
      sharp.concurrency(threads);
    }
  }
  console.log(`\nsharp settings, ${concurrency} decodes in flight        img/s   CPU µs/img`);
  for (const [name, timing] of best) console.log(`${name.padEnd(46)}${formatTiming(timing)}`);
}

function keepBest(best: Map<string, Timing>, name: string, timing: Timing): void {
  const previous = best.get(name);
  if (!previous || timing.imagesPerSecond > previous.imagesPerSecond) best.set(name, timing);
}

function formatTiming({ imagesPerSecond, cpuMicrosecondsPerImage }: Timing): string {
  return `${imagesPerSecond.toFixed(0).padStart(8)}${cpuMicrosecondsPerImage.toFixed(0).padStart(13)}`;
}

async function main(): Promise<void> {
  const files = await ensureJpegFolder(DATA_DIR, COUNT, SOURCE_SIZE);
  // Both sides read from the page cache: neither pays for the first, cold read.
  await inPool(files, 8, (file) => readFile(file));
  const listFile = path.join(BENCH_DIR, `files-${files.length}.txt`);
  const dumpFile = path.join(BENCH_DIR, 'pillow-dump.bin');
  await writeFile(listFile, files.join('\n'));

  const best = new Map<string, Timing>();
  let pillowAvailable = true;
  for (let round = 0; round < ROUNDS; round++) {
    if (pillowAvailable) {
      try {
        keepBest(best, 'Pillow', runPillow(listFile, dumpFile));
      } catch (error) {
        console.warn(
          `Pillow reference unavailable (${PYTHON} with PIL): ${(error as Error).message.split('\n')[0]}`,
        );
        pillowAvailable = false;
      }
    }
    for (const concurrency of CONCURRENCIES) {
      keepBest(best, `sharp ${concurrency}`, await timeDecoding(files, concurrency, decodeWithPreprocessing));
    }
  }

  const pillow = best.get('Pillow');
  const sharpRows = CONCURRENCIES.map((concurrency) => ({
    concurrency,
    timing: best.get(`sharp ${concurrency}`)!,
  }));
  const fastest = sharpRows.reduce((a, b) => (b.timing.imagesPerSecond > a.timing.imagesPerSecond ? b : a));
  const ratio = (t: Timing) =>
    pillow ? `${(t.imagesPerSecond / pillow.imagesPerSecond).toFixed(2)}×` : 'n/a';

  console.log(
    `\ndecode + centre-crop resize: ${files.length} JPEGs ${SOURCE_SIZE}² → ${PREPROCESSING.size}² RGB, ` +
      `best of ${ROUNDS} round(s)\n${os.availableParallelism()} CPUs, libvips threads per image ` +
      `${sharp.concurrency()}, UV_THREADPOOL_SIZE ${process.env['UV_THREADPOOL_SIZE'] ?? '4 (default)'}`,
  );
  console.log('implementation                   img/s   CPU µs/img   vs Pillow');
  if (pillow) console.log(`${'Pillow, 1 process (reference)'.padEnd(30)}${formatTiming(pillow)}       1.00×`);
  for (const { concurrency, timing } of sharpRows) {
    const name = `decodeImage × ${concurrency}${concurrency === fastest.concurrency ? ' (best)' : ''}`;
    console.log(`${name.padEnd(30)}${formatTiming(timing)}${ratio(timing).padStart(12)}`);
  }
  if (pillow) {
    const difference = await meanDifference(files, dumpFile);
    console.log(
      `same pictures? mean |sharp − Pillow| over ${DUMP_COUNT} images: ${difference.toFixed(2)} of 255`,
    );
  }
  if (values.explore) await explore(files, fastest.concurrency);
}

void main();
