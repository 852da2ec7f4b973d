/**
 * A full disk, in process: real training, real run folders and the engine host's request handling,
 * with ENOSPC (or EROFS) injected at the one seam every write goes through, node's `fs/promises`
 * `writeFile`, for chosen file names only. A real full disk cannot be had in CI (no tmpfs to
 * mount, and root ignores permissions); the error injected has node's own shape (code, errno,
 * syscall, message), so everything above the seam runs as it would.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { wholeSet } from '../../src/main/engine/data/image-set';
import { loadMnist } from '../../src/main/engine/data/mnist';
import { EngineHost } from '../../src/main/engine/engine-host';
import type { FromEngine } from '../../src/main/engine/protocol';
import { LayoutStore } from '../../src/main/engine/latent/layout-store';
import { TrainingJob, type TrainingData } from '../../src/main/engine/train/training-job';
import { DEFAULT_PROJECTION_SETTINGS } from '../../src/shared/projection-types';
import type { TrainState } from '../../src/shared/types';
import { makeTempDir } from '../support/image-fixtures';
import { TINY_SETTINGS } from '../support/tiny-run';
import { createMnistRun } from '../support/mnist-run';

const fault = vi.hoisted(() => ({ code: null as string | null, files: /$^/ }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile: typeof actual.writeFile = async (file, data, options) => {
    if (fault.code && fault.files.test(String(file))) {
      const text = fault.code === 'ENOSPC' ? 'no space left on device' : 'read-only file system';
      const error: NodeJS.ErrnoException = new Error(`${fault.code}: ${text}, write`);
      Object.assign(error, {
        code: fault.code,
        errno: fault.code === 'ENOSPC' ? -28 : -30,
        syscall: 'write',
      });
      throw error;
    }
    return actual.writeFile(file, data, options);
  };
  return { ...actual, writeFile, default: { ...actual, writeFile } };
});

let data: TrainingData;
let runsRoot: string;

beforeAll(async () => {
  await selectBackend('cpu');
  const mnist = await loadMnist();
  data = { train: wholeSet(mnist.train), test: wholeSet(mnist.test) };
  runsRoot = path.join(await makeTempDir('disk-full'), 'runs');
  await mkdir(runsRoot);
});

async function trainWithFault(code: string, files: RegExp) {
  const settings = { ...TINY_SETTINGS, epochs: 2 };
  const run = await createMnistRun(runsRoot, settings);
  const states: { state: TrainState; error: string | null }[] = [];
  const job = new TrainingJob(
    'disk-full',
    settings,
    {
      onState: (state, error) => states.push({ state, error }),
      onProgress: () => undefined,
      onEpochEnd: () => undefined,
    },
    { run },
  );
  Object.assign(fault, { code, files });
  try {
    await job.run(async () => data);
  } finally {
    fault.code = null;
  }
  job.model?.dispose();
  return { run, final: states.at(-1)! };
}

describe('a checkpoint save that fails', () => {
  it('says the disk is full in plain words and leaves no partial checkpoint folder', async () => {
    // The tensors are written, then the manifest fails: the folder holds half a checkpoint.
    const { run, final } = await trainWithFault('ENOSPC', /manifest\.json$/);
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/^The data folder is full: free some space/);
    expect(final.error).not.toMatch(/ENOSPC|\//);
    expect(await readdir(run.checkpointsDir)).toEqual([]);
    const status = JSON.parse(await readFile(path.join(run.directory, 'status.json'), 'utf8')) as {
      state: string;
      error: string;
    };
    expect(status).toMatchObject({ state: 'failed', error: final.error });
  });

  it('says a read-only folder is read-only', async () => {
    const { run, final } = await trainWithFault('EROFS', /tensors\.bin$/);
    expect(final.error).toMatch(/^The data folder is read-only/);
    expect(await readdir(run.checkpointsDir)).toEqual([]);
  });
});

describe('engine requests on a full disk', () => {
  it('answer in plain words', async () => {
    const run = await createMnistRun(runsRoot, TINY_SETTINGS);
    await new LayoutStore(run.directory).writePoints({
      count: 1,
      latentDim: 2,
      datasetId: 'mnist',
      datasetIndices: [0],
      labels: [0],
      classNames: ['zero'],
      names: ['a.png'],
      heldOut: [1],
      metadata: [],
    });
    const replies: FromEngine[] = [];
    const host = new EngineHost((message) => replies.push(message), {
      cacheRoot: path.join(runsRoot, '..', 'cache'),
      runsRoot,
    });
    Object.assign(fault, { code: 'ENOSPC', files: /projection\.json/ });
    try {
      await host.receive({
        type: 'command',
        id: 1,
        name: 'latent:project',
        args: { runId: run.runId, epoch: null, settings: DEFAULT_PROJECTION_SETTINGS },
      });
    } finally {
      fault.code = null;
    }
    expect(replies).toEqual([
      {
        type: 'reply',
        id: 1,
        result: { ok: false, code: 'INTERNAL', message: expect.stringMatching(/^The data folder is full/) },
      },
    ]);
  });
});
