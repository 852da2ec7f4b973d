/**
 * `latent-studio train --model conv` on a format whose preset is the MLP (28 px grey digits) gets
 * the conv model's own layer sizes, not the MLP's 400 hidden units as channels; flags still win.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli-process';
import { tempFolder } from '../support/temp-folder';

const dir = tempFolder('cli-model-choice');

async function trainedSettings(name: string, flags: string[]): Promise<Record<string, unknown>> {
  const out = path.join(dir(), name);
  const { code, stderr } = await cli([
    'train',
    ...['--data', 'mnist', '--out', out, '--epochs', '1', '--train-limit', '64', '--test-limit', '32'],
    ...['--backend', 'wasm', ...flags],
  ]);
  expect(code, stderr).toBe(0);
  const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8')) as {
    settings: Record<string, unknown>;
  };
  return config.settings;
}

describe('latent-studio train --model', () => {
  it('gives a conv model on MNIST the conv layer sizes, and --width still wins', async () => {
    expect(await trainedSettings('conv', ['--model', 'conv'])).toMatchObject({
      model: 'conv',
      width: 32,
      depth: 2,
      latentDim: 20,
    });
    expect(await trainedSettings('narrow', ['--model', 'conv', '--width', '16'])).toMatchObject({
      model: 'conv',
      width: 16,
      depth: 2,
    });
  });
});
