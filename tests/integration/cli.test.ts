/**
 * The command line as a user runs it: a child process on the TypeScript sources, a real image
 * folder written with sharp, real run folders. Each command's files are checked by reading them
 * back (metrics, checkpoints, CSV, PNGs decoded with sharp, model files), and every failure kind
 * by its exit code.
 */
import { cp, readFile, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, flags, helpText, refusal } from '../support/cli-process';
import { BLACK, BLUE, GREEN, RED, WHITE, removeTempDir } from '../support/image-fixtures';
import { stripesWorkspace } from '../support/stripes-workspace';

const CLASSES = { red: [RED, BLACK], blue: [BLUE, WHITE], green: [GREEN, BLACK, GREEN] } as const;
const PER_CLASS = 12;
const LATENT = 4;

let dir: string;
let data: string;
let cache: string;
let run: string;
const imageCount = Object.keys(CLASSES).length * PER_CLASS;

beforeAll(async () => {
  ({ dir, data, cache, run } = await stripesWorkspace('cli', PER_CLASS, CLASSES, 'shapes'));
});

afterAll(async () => {
  await removeTempDir(dir);
});

describe('latent-studio command line', () => {
  it('prints help for the tool and each command, exit code 0', async () => {
    const tool = await cli(['--help']);
    expect(tool.code).toBe(0);
    for (const command of ['train', 'encode', 'sample', 'export']) expect(tool.stderr).toContain(command);
    expect(await helpText('train')).toContain('--epochs');
  });

  it('refuses bad command lines with exit code 2 and says what is wrong', async () => {
    expect(await refusal(['train', '--data', data, '--out', run, '--epochs', 'zero'])).toContain(
      '--epochs must be a number',
    );
    expect(await refusal(['train', '--data', data, '--out', run, '--epoch', '1'])).toMatch(/--epoch/);
    const missing = await cli(['encode', '--run', run]);
    expect(missing.code).toBe(2);
    expect((await cli(['fly'])).code).toBe(2);
  });

  it('trains one epoch into a run folder with progress on stderr', async () => {
    const args = ['--size', '28', '--channels', 'gray', '--epochs', '1', '--latent', String(LATENT)];
    const { code, stderr } = await cli([
      'train',
      ...flags({ data }),
      ...args,
      ...flags({ batch: '8', backend: 'wasm', cache, out: run }),
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^backend: WebAssembly/m);
    expect(stderr).toMatch(/^epoch 1\/1 {2}batch \d+\/\d+ {2}loss \d+\.\d+ {2}[\d,]+ img\/s {2}ETA \d+s$/m);
    expect(stderr).toMatch(/^epoch 1\/1 done: loss /m);
    const metrics = (await readFile(path.join(run, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(metrics).toHaveLength(1);
    expect(JSON.parse(metrics[0]!).epoch).toBe(1);
    expect((await stat(path.join(run, 'checkpoints', 'epoch-0001', 'tensors.bin'))).size).toBeGreaterThan(0);
    const status = JSON.parse(await readFile(path.join(run, 'status.json'), 'utf8'));
    expect(status.state).toBe('completed');
    // Its split, as the app keeps it, so continuing in the app never trains on a held-out file.
    const split = JSON.parse(await readFile(path.join(run, 'split.json'), 'utf8'));
    expect(split).toMatchObject({ rule: expect.anything() });
    // The latent map's files, so the run opens in the app with its map.
    expect(await readdir(path.join(run, 'layouts'))).toEqual(
      expect.arrayContaining(['points.json', 'epoch-0001.means.f32']),
    );
  });

  it('refuses to train into a folder that already holds a run', async () => {
    expect(await refusal(['train', '--data', data, '--out', run])).toContain('already holds a run');
  });

  it('encodes every image of the folder to CSV', async () => {
    const csvFile = path.join(dir, 'codes.csv');
    const { code, stderr } = await cli(['encode', ...flags({ run, data, cache, out: csvFile })]);
    expect(code, stderr).toBe(0);
    const rows = (await readFile(csvFile, 'utf8')).trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      `"file","label","split",${Array.from({ length: LATENT }, (_, k) => `"z${k}"`).join(',')}`,
    );
    expect(rows).toHaveLength(imageCount + 1);
    const parts = new Set<string>();
    for (const row of rows.slice(1)) {
      const [file, label, part, ...codes] = row.split(',');
      parts.add(part!);
      expect(file).toMatch(/^"(red|blue|green)\/\d+\.png"$/);
      expect(label).toBe(file!.split('/')[0] + '"');
      expect(codes).toHaveLength(LATENT);
      for (const value of codes) expect(Number.isFinite(Number(value))).toBe(true);
    }
    // Every class of 12 has a test and a validation image (split.ts), so all three parts show.
    expect([...parts].sort()).toEqual(['"test"', '"train"', '"validation"']);
  });

  it('samples PNGs from the prior with a manifest of their codes', async () => {
    const out = path.join(dir, 'samples');
    const { code, stderr } = await cli([
      'sample',
      ...flags({ run, n: '8', seed: '3' }),
      '--grid',
      ...flags({ out }),
    ]);
    expect(code, stderr).toBe(0);
    const pngs = (await readdir(out)).filter((name) => /^sample-\d+\.png$/.test(name));
    expect(pngs).toHaveLength(8);
    for (const name of pngs) {
      const { width, height } = await sharp(path.join(out, name)).metadata();
      expect([width, height]).toEqual([28, 28]);
    }
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.latents).toHaveLength(8);
    for (const latent of manifest.latents) expect(latent).toHaveLength(LATENT);
    expect(manifest.files).toContain('grid.png');
  });

  it('exports the model as model.json and weights.bin', async () => {
    const out = path.join(dir, 'model');
    const { code, stderr } = await cli(['export', '--run', run, '--out', out]);
    expect(code, stderr).toBe(0);
    const modelJson = JSON.parse(await readFile(path.join(out, 'model.json'), 'utf8'));
    expect(modelJson.latentStudio.imageSize).toBe(28);
    expect((await stat(path.join(out, 'weights.bin'))).size).toBeGreaterThan(0);
  });

  it('exits 3 for a missing run and 4 for a damaged checkpoint', async () => {
    const missing = await cli([
      'sample',
      ...flags({ run: path.join(dir, 'no-such-run'), out: path.join(dir, 'x') }),
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no run in');
    const damaged = path.join(dir, 'damaged');
    await cp(run, damaged, { recursive: true });
    await truncate(path.join(damaged, 'checkpoints', 'epoch-0001', 'tensors.bin'), 100);
    const corrupt = await cli(['sample', '--run', damaged, '--out', path.join(dir, 'y')]);
    expect(corrupt.code).toBe(4);
    expect(corrupt.stderr).toContain('truncated');
  });

  it('stops on Ctrl-C after the current batch and keeps the last checkpoint', async () => {
    const stopped = path.join(dir, 'stopped');
    let signalled = false;
    const { code, stderr } = await cli(
      [
        'train',
        ...flags({
          data,
          size: '28',
          channels: 'gray',
          latent: '2',
          epochs: '10000',
          cache,
          backend: 'wasm',
          out: stopped,
        }),
      ],
      (text, child) => {
        if (!signalled && text.includes('epoch 1/10000 done')) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/^cancelled: .*newest checkpoint: epoch \d+/m);
    expect(JSON.parse(await readFile(path.join(stopped, 'status.json'), 'utf8')).state).toBe('cancelled');
    expect((await readdir(path.join(stopped, 'checkpoints'))).some((name) => name.startsWith('epoch-'))).toBe(
      true,
    );
  });
});
