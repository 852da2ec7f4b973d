/**
 * `latent-studio train --early-stop N` and `--budget T` as a user runs them (a child process on the
 * TypeScript sources): the flags are documented and checked; a run on 16 MNIST digits at a high
 * learning rate overfits, stops early, prints why and records it in status.json and config.json;
 * a budget shorter than an epoch ends the run after its first epoch, at a checkpoint.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, flags, helpText, refusal } from '../support/cli-process';
import { tempFolder } from '../support/temp-folder';

const dir = tempFolder('cli-early-stop');

describe('latent-studio train --early-stop', () => {
  it('is in the help and refuses a patience that is not a whole number', async () => {
    expect(await helpText('train')).toContain('--early-stop N');
    // The range check is the one every numeric option has (its limits are the app's).
    expect(
      await refusal([
        'train',
        ...flags({ data: 'mnist', out: path.join(dir(), 'bad'), 'early-stop': '1.5' }),
      ]),
    ).toContain('--early-stop must be a whole number');
  });

  it('stops an overfitting run early, says why and records it', async () => {
    const run = path.join(dir(), 'run');
    const { code, stderr } = await cli([
      'train',
      ...flags({ data: 'mnist', out: run }),
      ...['--train-limit', '16', '--test-limit', '64', '--display', '16', '--batch', '16'],
      ...['--lr', '0.01', '--width', '256', '--latent', '8', '--seed', '3'],
      ...['--epochs', '40', '--early-stop', '2', '--backend', 'wasm'],
    ]);
    expect(code, stderr).toBe(0);
    const notice =
      /^Stopped early after epoch (\d+): .* since epoch (\d+), whose checkpoint is kept as the best\.$/m.exec(
        stderr,
      );
    expect(notice, stderr).not.toBeNull();
    const [epoch, bestEpoch] = [Number(notice![1]), Number(notice![2])];
    expect(epoch).toBeLessThan(40);
    expect(epoch - bestEpoch).toBe(2);
    const status = JSON.parse(await readFile(path.join(run, 'status.json'), 'utf8')) as unknown;
    expect(status).toMatchObject({ state: 'completed', stoppedEarly: { epoch, bestEpoch, patience: 2 } });
    const config = JSON.parse(await readFile(path.join(run, 'config.json'), 'utf8')) as unknown;
    expect(config).toMatchObject({ settings: { earlyStopPatience: 2, epochs: 40 } });
  });

  it('trains for a time budget and refuses one that is not a time', async () => {
    expect(
      await refusal(['train', ...flags({ data: 'mnist', out: path.join(dir(), 'bad'), budget: 'soon' })]),
    ).toContain('--budget must be a time like 5m');
    const run = path.join(dir(), 'budget');
    const { code, stderr } = await cli([
      'train',
      ...flags({ data: 'mnist', out: run }),
      ...['--train-limit', '64', '--test-limit', '64', '--display', '16', '--batch', '16'],
      ...['--epochs', '5', '--budget', '0.01s', '--backend', 'wasm'],
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^Stopped at the time budget after epoch 1: /m);
    const status = JSON.parse(await readFile(path.join(run, 'status.json'), 'utf8')) as unknown;
    expect(status).toMatchObject({ state: 'completed', stoppedAtBudget: { epoch: 1, budgetSeconds: 0.01 } });
    const config = JSON.parse(await readFile(path.join(run, 'config.json'), 'utf8')) as unknown;
    expect(config).toMatchObject({ settings: { timeBudgetMinutes: 0.01 / 60, epochs: 5 } });
  });
});
