/**
 * `npm run bench -- projection`: the latent-map layouts of src/main/engine/projection on 10,000
 * MNIST codes (the MLP VAE, 20-D, after 2 epochs; trained once and cached in the temp folder),
 * against the references in the same run:
 *   - t-SNE (perplexity 30, 1000 iterations, PCA init): ours vs scikit-learn's Barnes-Hut TSNE
 *     (Debian python3, bench/reference/sklearn_tsne.py), time and 10-NN label agreement;
 *   - a warm-started t-SNE / UMAP update from the epoch-1 layout to the epoch-2 codes (the app's
 *     per-epoch refresh), time and agreement;
 *   - UMAP: ours vs umap-js 1.4 with its defaults (`new UMAP().fit(rows)`), time and agreement.
 * Targets: t-SNE ≤ 0.5× scikit-learn's time with agreement ≥ its − 0.01; a warm update ≤ 2 s.
 * Each comparison runs ours and the reference in turn, --rounds times, and keeps each one's fastest
 * run, so a burst of load from other processes does not decide the ratio.
 *   - rendering: 100,000 points in headless Chromium, frame times of a scripted pan/zoom.
 *   --only LIST   comma-separated sections: tsne,warm,umap,render (default all)
 *   --rounds R    turns each (default 2)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UMAP } from 'umap-js';
import { neighbourLabelAgreement } from '../src/main/engine/projection/neighbourhood';
import { defaultWarmIterations, project, type ProjectionInput } from '../src/main/engine/projection/project';
import { DEFAULT_PROJECTION_SETTINGS, type ProjectionSettings } from '../src/shared/projection-types';
import { CODES_DIRECTORY, mnistCodes, type MnistCodes } from './support/mnist-codes';
import { measureRenderFrames } from './support/render-frames';
import { benchOptions } from './support/options';

const args = benchOptions({
  only: 'tsne,warm,umap,render',
  rounds: '2',
});
const SECTIONS = new Set(args.only.split(','));
const ROUNDS = Math.max(1, Number(args.rounds));
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
const TSNE: ProjectionSettings = {
  ...DEFAULT_PROJECTION_SETTINGS,
  method: 'tsne',
  perplexity: 30,
  iterations: 1000,
};
/** umap-js runs 200 epochs on more than 7,500 points; ours is timed at the same count. */
const UMAP_EPOCHS = 200;
const UMAP_SETTINGS: ProjectionSettings = {
  ...DEFAULT_PROJECTION_SETTINGS,
  method: 'umap',
  iterations: UMAP_EPOCHS,
};

interface Row {
  name: string;
  seconds: number | null;
  agreement: number | null;
  /** The row's time relative to this reference's. */
  versus?: Row;
  note?: string;
}

function timed<T>(run: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = run();
  return { value, seconds: (performance.now() - start) / 1000 };
}

const inputOf = (data: MnistCodes, codes = data.codes): ProjectionInput => ({
  values: codes,
  count: data.count,
  dim: data.dim,
});

function ours(
  name: string,
  data: MnistCodes,
  settings: ProjectionSettings,
  init?: Float32Array,
  codes?: Float32Array,
): { row: Row; positions: Float32Array } {
  const { value, seconds } = timed(() => project(inputOf(data, codes), { settings, init }));
  const positions = value!.positions;
  return { row: { name, seconds, agreement: neighbourLabelAgreement(positions, data.labels) }, positions };
}

async function sklearnTsne(data: MnistCodes): Promise<Row> {
  const name = 'scikit-learn TSNE (Barnes-Hut)';
  try {
    await mkdir(CODES_DIRECTORY, { recursive: true });
    const out = path.join(CODES_DIRECTORY, 'sklearn-tsne-positions.f32');
    const script = path.join(__dirname, 'reference/sklearn_tsne.py');
    const stdout = execFileSync(
      PYTHON,
      [
        script,
        data.codesFile,
        '--dim',
        String(data.dim),
        '--out',
        out,
        '--perplexity',
        '30',
        '--iterations',
        '1000',
      ],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      seconds: number;
      sklearn: string;
    };
    const bytes = await readFile(out);
    const positions = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const agreement = neighbourLabelAgreement(positions, data.labels);
    return { name: `${name} ${result.sklearn}`, seconds: result.seconds, agreement };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    console.warn(`scikit-learn reference unavailable (${PYTHON} with sklearn): ${reason}`);
    return { name, seconds: null, agreement: null, note: 'unavailable' };
  }
}

function umapJsDefaults(data: MnistCodes): Row {
  const rows = Array.from({ length: data.count }, (_, i) =>
    Array.from(data.codes.subarray(i * data.dim, (i + 1) * data.dim)),
  );
  const { value, seconds } = timed(() => new UMAP().fit(rows));
  const positions = Float32Array.from(value.flat());
  return {
    name: 'umap-js 1.4 defaults (NN-descent, 200 ep.)',
    seconds,
    agreement: neighbourLabelAgreement(positions, data.labels),
  };
}

function print(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(
    `${'implementation'.padEnd(48)}${'seconds'.padStart(9)}${'ratio'.padStart(9)}${'10-NN agr.'.padStart(12)}`,
  );
  for (const row of rows) {
    const ratio =
      row.seconds !== null && row.versus?.seconds ? `${(row.seconds / row.versus.seconds).toFixed(2)}×` : '';
    const seconds = row.seconds === null ? (row.note ?? '') : row.seconds.toFixed(2);
    const agreement = row.agreement === null ? '' : row.agreement.toFixed(4);
    console.log(`${row.name.padEnd(48)}${seconds.padStart(9)}${ratio.padStart(9)}${agreement.padStart(12)}`);
  }
}

/** Runs each contender in turn, ROUNDS times; each keeps its fastest run. */
async function rounds(contenders: (() => Row | Promise<Row>)[]): Promise<Row[]> {
  const best: (Row | undefined)[] = contenders.map(() => undefined);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [c, run] of contenders.entries()) {
      const row = await run();
      const kept = best[c];
      if (!kept || (row.seconds !== null && (kept.seconds === null || row.seconds < kept.seconds)))
        best[c] = row;
    }
  }
  return best as Row[];
}

async function main(): Promise<void> {
  const data = await mnistCodes();
  console.log(
    `${data.count} MNIST test codes, ${data.dim}-D (MLP VAE after 2 epochs); 10-NN label agreement in ` +
      `${data.dim}-D: ${neighbourLabelAgreement(data.codes, data.labels, 10, data.dim).toFixed(4)}; ` +
      `best of ${ROUNDS} run(s) each`,
  );

  if (SECTIONS.has('tsne')) {
    const [reference, mine] = await rounds([
      () => sklearnTsne(data),
      () => ours('ours (exact kNN + Barnes-Hut groups)', data, TSNE).row,
    ]);
    mine!.versus = reference;
    print('t-SNE, perplexity 30, 1000 iterations, PCA init (target: ≤ 0.50×, agreement ≥ ref − 0.01)', [
      reference!,
      mine!,
    ]);
  }

  if (SECTIONS.has('warm')) {
    const rows: Row[] = [];
    for (const settings of [TSNE, { ...UMAP_SETTINGS, iterations: 500 }]) {
      const label = settings.method === 'tsne' ? 't-SNE' : 'UMAP';
      const previous = ours(
        `${label} from scratch, epoch-1 codes`,
        data,
        settings,
        undefined,
        data.previousCodes,
      );
      const full = ours(`${label} from scratch, epoch-2 codes`, data, settings);
      const [warm] = await rounds([
        () =>
          ours(
            `${label} warm update epoch 1 → 2 (${defaultWarmIterations(settings)} it.)`,
            data,
            settings,
            previous.positions,
          ).row,
      ]);
      warm!.versus = full.row;
      rows.push(previous.row, full.row, warm!);
    }
    print('Warm-started per-epoch update of 10,000 points (target ≤ 2 s)', rows);
  }

  if (SECTIONS.has('umap')) {
    const [reference, same, longer] = await rounds([
      () => umapJsDefaults(data),
      () => ours(`ours (exact kNN, PCA init, ${UMAP_EPOCHS} ep.)`, data, UMAP_SETTINGS).row,
      () => ours('ours, 500 epochs', data, { ...UMAP_SETTINGS, iterations: 500 }).row,
    ]);
    same!.versus = reference;
    longer!.versus = reference;
    print('UMAP, 15 neighbours, min_dist 0.1', [reference!, same!, longer!]);
  }

  if (SECTIONS.has('render')) {
    // Software WebGL (SwiftShader) on this GPU-less box: a floor, not what a real GPU gives.
    const frames = await measureRenderFrames({ points: 100_000 });
    console.log(
      `\nRendering ${frames.points.toLocaleString('en-US')} points in headless Chromium (${frames.renderer})`,
    );
    console.log(
      `scripted pan/zoom: ${frames.frames} frames, median ${frames.medianMs.toFixed(1)} ms, ` +
        `p95 ${frames.p95Ms.toFixed(1)} ms; full-view draw ${frames.drawMs.toFixed(1)} ms`,
    );
  }
}

void main();
