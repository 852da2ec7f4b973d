/**
 * `latent-studio train --flip on|off --schedule constant|cosine --start pca|random` as a user runs
 * them (a child process on the TypeScript sources): documented, checked before anything slow
 * loads, and on a small colour folder the preset's warm-up + cosine and PCA start apply unless
 * overridden, the flag's choice is recorded in config.json, and each epoch line and metrics line
 * gives the rate it ended at.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, helpText, refusal } from '../support/cli-process';
import { tempFolder } from '../support/temp-folder';

const dir = tempFolder('cli-flip-schedule');
let folder: string;

beforeAll(async () => {
  folder = path.join(dir(), 'shapes');
  for (const [label, colour] of [
    ['red', [220, 40, 30]],
    ['blue', [30, 60, 210]],
  ] as const) {
    await mkdir(path.join(folder, label), { recursive: true });
    for (let i = 0; i < 6; i++) {
      // A coloured block on the left of a grey ground: not its own mirror image.
      const pixels = Buffer.alloc(32 * 32 * 3, 128);
      for (let y = 4 + i; y < 20 + i; y++) {
        for (let x = 2 + i; x < 12 + i; x++) pixels.set(colour, (y * 32 + x) * 3);
      }
      await sharp(pixels, { raw: { width: 32, height: 32, channels: 3 } })
        .png()
        .toFile(path.join(folder, label, `${i}.png`));
    }
  }
});

describe('latent-studio train --flip, --schedule and --start', () => {
  it('are in the help and refuse values they do not know', async () => {
    const help = await helpText('train');
    expect(help).toContain('--flip on|off');
    expect(help).toContain('--schedule S');
    expect(help).toContain('--start pca|random');
    const out = path.join(dir(), 'refused');
    expect(await refusal(['train', '--data', 'mnist', '--out', out, '--flip', 'yes'])).toContain(
      '--flip must be one of on, off',
    );
    expect(await refusal(['train', '--data', 'mnist', '--out', out, '--schedule', 'one-cycle'])).toContain(
      '--schedule must be one of constant, cosine',
    );
    expect(await refusal(['train', '--data', 'mnist', '--out', out, '--start', 'zeros'])).toContain(
      '--start must be one of pca, random',
    );
    // The PCA start is conv only: an MLP has nothing to start from it.
    expect(
      await refusal(['train', '--data', 'mnist', '--out', out, '--model', 'mlp', '--start', 'pca']),
    ).toContain('--start pca applies only to --model conv');
  });

  it('takes the colour preset’s schedule and start, the flag’s flips, and reports the rate', async () => {
    const run = path.join(dir(), 'run');
    const { code, stderr } = await cli([
      'train',
      ...['--data', folder, '--cache', path.join(dir(), 'cache'), '--out', run],
      ...['--flip', 'off', '--epochs', '2', '--batch', '4', '--width', '8', '--latent', '4'],
      ...['--lr', '0.002', '--backend', 'wasm'],
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/lr 0\.002 \(warm-up \+ cosine\)/);
    expect(stderr).not.toContain('left-right flips');
    expect(stderr).toMatch(/^run: .*conv VAE.*, PCA start$/m);
    const config = JSON.parse(await readFile(path.join(run, 'config.json'), 'utf8')) as unknown;
    expect(config).toMatchObject({
      settings: {
        augmentFlip: false,
        learningRateSchedule: 'warmup-cosine',
        learningRate: 0.002,
        pcaStart: true,
      },
    });
    const lines = (await readFile(path.join(run, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { learningRate: number; baseLearningRate?: number });
    expect(lines).toHaveLength(2);
    expect(lines.map((m) => m.baseLearningRate)).toEqual([0.002, 0.002]);
    // The last planned step is at 10 % of the base rate.
    expect(lines[1]!.learningRate).toBeCloseTo(0.0002, 12);
    expect(stderr).toMatch(/^epoch 2\/2 done: .*, lr 2\.00e-4, /m);
  });
});
