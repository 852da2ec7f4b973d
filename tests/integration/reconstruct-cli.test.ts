/**
 * `latent-studio reconstruct` as a user runs it: a run trained by `train` on a real colour folder,
 * then the grid PNG (decoded back with sharp), the per-image CSV and the printed MSE and PSNR,
 * checked against the CSV and against PSNR's definition.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, flags, helpText, refusal } from '../support/cli-process';
import { removeTempDir } from '../support/image-fixtures';
import { stripesWorkspace } from '../support/stripes-workspace';

const PER_CLASS = 15;
const SIZE = 28;

let dir: string;
let data: string;
let run: string;
const common = () => [
  '--size',
  String(SIZE),
  '--channels',
  'rgb',
  '--cache',
  path.join(dir, 'cache'),
  '--backend',
  'wasm',
];

beforeAll(async () => {
  ({ dir, data, run } = await stripesWorkspace('reconstruct-cli', PER_CLASS));
  const trained = await cli([
    'train',
    ...flags({ data }),
    ...common(),
    ...flags({ model: 'mlp', epochs: '2', latent: '3', batch: '8', out: run }),
  ]);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await removeTempDir(dir);
});

/** CSV rows as records (the file's cells hold no commas or inner quotes here). */
function rows(csv: string): Record<string, string>[] {
  const cells = (line: string) => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const names = cells(header!);
  return lines.map((line) => Object.fromEntries(cells(line).map((cell, i) => [names[i]!, cell])));
}

describe('latent-studio reconstruct', () => {
  it('is listed in the tool help and has its own --help', async () => {
    expect((await cli(['--help'])).stderr).toMatch(/^ {2}reconstruct /m);
    expect(await helpText('reconstruct')).toContain('PSNR');
  });

  it("writes the test split's pairs, per-image errors and the mean PSNR", async () => {
    const out = path.join(dir, 'recon-test');
    const { code, stdout, stderr } = await cli([
      'reconstruct',
      ...flags({ run, data }),
      ...common(),
      ...flags({ out, scale: '1' }),
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^reconstruct: \d+ images \(the test split of stripes\)/m);
    const table = rows(await readFile(path.join(out, 'errors.csv'), 'utf8'));
    expect(table.length).toBeGreaterThan(0);
    expect(table.length).toBeLessThan(2 * PER_CLASS);
    for (const row of table) {
      expect(row.split).toBe('test');
      expect(['red', 'blue']).toContain(row.label);
      const mse = Number(row.mse);
      expect(mse).toBeGreaterThan(0);
      expect(Number(row.psnr_db)).toBeCloseTo(-10 * Math.log10(mse), 2);
    }
    const meanPsnr = table.reduce((sum, row) => sum + Number(row.psnr_db), 0) / table.length;
    const printed = /^PSNR: +(\d+\.\d+) dB \(mean over images; (\d+\.\d+) dB from the mean MSE\)$/m.exec(
      stdout,
    );
    expect(printed, stdout).toBeTruthy();
    expect(Number(printed![1])).toBeCloseTo(meanPsnr, 1);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(summary.images).toBe(table.length);
    expect(summary.split).toBe('test');
    // Every pair is in the grid: 8 pairs per row, two tiles each, with 2 px gaps between tiles.
    const grid = await sharp(path.join(out, 'reconstructions.png')).metadata();
    const tiles = Math.min(16, 2 * table.length);
    expect(grid.width).toBe(tiles * SIZE + (tiles - 1) * 2);
    expect(grid.channels).toBe(3);
  }, 60_000);

  it('reconstructs every image with --split all and caps the grid with --grid', async () => {
    const out = path.join(dir, 'recon-all');
    const { code, stderr } = await cli([
      'reconstruct',
      ...flags({ run, data }),
      ...common(),
      ...flags({ out, split: 'all', grid: '4', scale: '1' }),
    ]);
    expect(code, stderr).toBe(0);
    const table = rows(await readFile(path.join(out, 'errors.csv'), 'utf8'));
    expect(table).toHaveLength(2 * PER_CLASS);
    expect(new Set(table.map((r) => r.split))).toEqual(new Set(['train', 'validation', 'test']));
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(summary.gridPairs).toBe(4);
    const grid = await sharp(path.join(out, 'reconstructions.png')).metadata();
    expect(grid.width).toBe(8 * SIZE + 7 * 2);
  }, 60_000);

  it('refuses a bad --grid with exit code 2 and a missing run with 3', async () => {
    expect(
      await refusal(['reconstruct', '--run', run, '--out', path.join(dir, 'x'), '--grid', '0']),
    ).toContain('--grid');
    const missing = await cli(['reconstruct', '--run', path.join(dir, 'nope'), '--out', path.join(dir, 'y')]);
    expect(missing.code).toBe(3);
  });
});
