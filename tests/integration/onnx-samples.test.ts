/**
 * The ONNX export as a user meets it: a real run folder (a conv model's checkpoint, RGB), exported
 * by the command line with `--format onnx`, then the folder's own sample.mjs run with Node and
 * onnxruntime-node, and its sample.py with Python when that has onnxruntime, numpy and Pillow.
 */
import { execFile } from 'node:child_process';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/main/engine/backend';
import { createModel } from '../../src/main/engine/model/create-model';
import { saveCheckpoint } from '../../src/main/engine/train/checkpoint';
import { RunStore } from '../../src/main/engine/train/run-store';
import { DEFAULT_TRAIN_SETTINGS } from '../../src/shared/train-defaults';
import type { TrainSettings } from '../../src/shared/types';
import { cli, refusal } from '../support/cli-process';
import { tempFolder } from '../support/temp-folder';
import { ONNX_EXPORT_FILES } from '../support/onnx-export-files';

const run = promisify(execFile);
const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  model: 'conv',
  likelihood: 'discretized-logistic',
  latentDim: 3,
  width: 8,
  depth: 2,
};

const dir = tempFolder('onnx-samples');
let runDirectory: string;
let out: string;

beforeAll(async () => {
  await selectBackend('cpu');
  const model = createModel(SETTINGS, 32, 3);
  const store = await RunStore.create(dir(), {
    datasetId: 'folder',
    datasetName: 'Test shapes',
    settings: SETTINGS,
  });
  await saveCheckpoint(store.checkpointsDir, { epoch: 1, runId: store.runId, testLoss: null }, model);
  model.dispose();
  runDirectory = store.directory;
  out = path.join(dir(), 'onnx');
  // The samples import onnxruntime-node as a user's project would: from a node_modules above them.
  await symlink(path.resolve('node_modules'), path.join(dir(), 'node_modules'), 'dir');
});

/** Python with what sample.py imports, or the reason to skip its test. */
async function pythonMissing(): Promise<string | null> {
  try {
    await run('python3', ['-c', 'import onnxruntime, numpy, PIL']);
    return null;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return text.split('\n').find((line) => line.includes('Error')) ?? text;
  }
}

describe('ONNX export from the command line, with its samples', () => {
  it('refuses an unknown format with exit code 2', async () => {
    expect(await refusal(['export', '--run', runDirectory, '--out', out, '--format', 'pytorch'])).toContain(
      '--format must be one of tfjs, onnx',
    );
  });

  it('writes the models, config, README and samples', async () => {
    const { code, stderr } = await cli(['export', '--run', runDirectory, '--out', out, '--format', 'onnx']);
    expect(code, stderr).toBe(0);
    for (const name of ONNX_EXPORT_FILES) {
      expect(stderr).toContain(path.join(out, name));
    }
    const config = JSON.parse(await readFile(path.join(out, 'model-config.json'), 'utf8'));
    expect(config).toMatchObject({
      latentDim: 3,
      imageSize: 32,
      channels: 3,
      likelihood: 'discretized-logistic',
    });
    expect(config.learnedLikelihoodParameters['likelihood/log_scale']).toHaveLength(3);
  });

  it('sample.mjs decodes z ~ N(0, I) into a PPM grid with onnxruntime-node', async () => {
    const grid = path.join(dir(), 'grid.ppm');
    await run(process.execPath, [path.join(out, 'sample.mjs'), '6', grid], { cwd: out });
    const bytes = await readFile(grid);
    // 6 samples: 3 columns × 2 rows of 32 px.
    const header = 'P6\n96 64\n255\n';
    expect(bytes.subarray(0, header.length).toString('ascii')).toBe(header);
    expect(bytes.length).toBe(header.length + 96 * 64 * 3);
    expect(new Set(bytes.subarray(header.length)).size).toBeGreaterThan(10);
  });

  it('sample.py decodes and re-encodes with onnxruntime (when Python has it)', async (context) => {
    const missing = await pythonMissing();
    if (missing) {
      console.log(`sample.py not run: python3 lacks onnxruntime, numpy or Pillow (${missing}).`);
      context.skip();
    }
    const png = path.join(dir(), 'grid.png');
    const { stdout } = await run('python3', [path.join(out, 'sample.py'), '4', png], { cwd: out });
    expect(stdout).toContain('wrote');
    expect((await readFile(png)).subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});
