/**
 * `latent-studio evaluate` as a user runs it: a child process on the TypeScript sources, a run
 * trained for one epoch by `train` on a real image folder, then the held-out −ELBO, IWAE NLL and
 * bits/dim on stdout, bad command lines by their exit codes, and Ctrl-C.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, flags, helpText, refusal } from '../support/cli-process';
import { removeTempDir } from '../support/image-fixtures';
import { stripesWorkspace } from '../support/stripes-workspace';

const PER_CLASS = 15;

/** The three figures of the plain output. */
function figures(stdout: string): { elbo: number; nll: number; bits: number; k: number } {
  const elbo = /^-ELBO: +(\d+\.\d+) nats$/m.exec(stdout);
  const nll = /^IWAE NLL: +(\d+\.\d+) nats \(K = ([\d,]+)\)$/m.exec(stdout);
  const bits = /^bits\/dim: +(\d+\.\d+) /m.exec(stdout);
  expect(elbo && nll && bits, stdout).toBeTruthy();
  return {
    elbo: Number(elbo![1]),
    nll: Number(nll![1]),
    bits: Number(bits![1]),
    k: Number(nll![2]!.replaceAll(',', '')),
  };
}

let dir: string;
let data: string;
let cache: string;
let run: string;
const common = () => ['--size', '28', '--channels', 'gray', '--cache', cache, '--backend', 'wasm'];

beforeAll(async () => {
  ({ dir, data, cache, run } = await stripesWorkspace('evaluate-cli', PER_CLASS));
  const trained = await cli([
    'train',
    ...flags({ data }),
    ...common(),
    ...flags({ epochs: '1', latent: '3', batch: '8', out: run }),
  ]);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await removeTempDir(dir);
});

describe('latent-studio evaluate', () => {
  it('is listed in the tool help and has its own --help', async () => {
    expect((await cli(['--help'])).stderr).toMatch(/^ {2}evaluate /m);
    const help = await helpText('evaluate');
    expect(help).toContain('--samples K');
    expect(help).toContain('IWAE');
  });

  it("prints the −ELBO, the IWAE NLL and bits/dim for the run's held-out split", async () => {
    const { code, stdout, stderr } = await cli([
      'evaluate',
      ...flags({ run, data }),
      ...common(),
      ...flags({ samples: '50' }),
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^evaluate: \d+ images \(the test split of stripes\), K = 50, bernoulli/m);
    // The checkpoint the app evaluates: the best by validation (here the one epoch).
    expect(stderr).toMatch(/checkpoint of epoch 1 \(best by validation\)$/m);
    expect(stderr).toMatch(/^evaluate: \d+\/\d+ images, /m);
    const { elbo, nll, bits, k } = figures(stdout);
    expect(k).toBe(50);
    expect(nll).toBeGreaterThan(0);
    expect(nll).toBeLessThanOrEqual(elbo);
    expect(bits).toBeCloseTo(nll / (28 * 28 * Math.LN2), 3);
  }, 60_000);

  it('evaluates every image with --split all, and writes JSON with --json', async () => {
    const { code, stdout, stderr } = await cli([
      'evaluate',
      ...flags({ run, data }),
      ...common(),
      ...flags({ samples: '5', split: 'all', checkpoint: 'newest' }),
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/checkpoint of epoch 1 \(newest\)$/m);
    const record = JSON.parse(stdout);
    expect(record).toMatchObject({
      samples: 5,
      images: 2 * PER_CLASS,
      dimensions: 784,
      split: 'all',
      epoch: 1,
      checkpoint: 'newest',
    });
    expect(record.nll).toBeLessThanOrEqual(record.negativeElbo);
  }, 60_000);

  it('exits 3 for a missing run and 2 for bad options, saying why', async () => {
    const missing = await cli(['evaluate', '--run', path.join(dir, 'nope'), '--data', data]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/latent-studio evaluate: --run: no run in .*nope/);
    expect(await refusal(['evaluate', '--data', data])).toContain('--run is required');
    expect(await refusal(['evaluate', '--run', run, '--data', data, '--samples', '5001'])).toContain(
      '--samples must be a number from 1 up to 5000',
    );
    expect(await refusal(['evaluate', '--run', run, '--data', data, '--checkpoint', 'last'])).toContain(
      '--checkpoint must be one of best, newest',
    );
    expect(await refusal(['evaluate', '--run', run])).toContain('--data is required');
  }, 60_000);

  it('stops on Ctrl-C with exit code 130 and no figures', async () => {
    let signalled = false;
    const { code, stdout, stderr } = await cli(
      ['evaluate', '--run', run, '--data', data, ...common(), '--samples', '5000', '--split', 'all'],
      (text, child) => {
        if (!signalled && /^evaluate: \d+\/\d+ images/m.test(text)) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(signalled, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('cancelled: no estimate');
    expect(stdout).toBe('');
  }, 60_000);
});
