/**
 * `latent-studio export`: a run's newest checkpoint as model.json + weights.bin (TensorFlow.js
 * style, the default) or as encoder.onnx + decoder.onnx with a README and samples (`--format onnx`).
 */
import path from 'node:path';
import { MODEL_EXPORT_FORMATS } from '../shared/export-types';
import { exportModel } from '../main/engine/model-io/export-model';
import { exportOnnx } from '../main/engine/model-io/onnx/write-onnx-export';
import { listCheckpoints } from '../main/engine/train/checkpoint';
import { choiceOption, required, stringOptions, type OptionSpec, type OptionValues } from './args';
import { defineCommand } from './command';
import { EXIT, notFoundError, type ExitCode } from './exit-codes';
import { log } from './log';
import { openRunConfig } from './run-model';
import { RUN_HELP, RUN_OPTION } from './run-option';

const SUMMARY = "write a run's model as model.json + weights.bin, or as ONNX";

const OPTIONS: Record<string, OptionSpec> = { ...RUN_OPTION, ...stringOptions('out', 'format') };

const HELP = `Usage: latent-studio export --run RUN --out DIR [--format tfjs|onnx]

Writes the run's newest checkpoint into DIR.

tfjs (default): DIR/model.json (a TensorFlow.js weights manifest plus the run's settings and image
format) and DIR/weights.bin (float32, little-endian). The app's Import model opens it as a new run.

onnx: DIR/encoder.onnx (x: float32 [N, H, W, C] pixels in [0, 1] → mean, logvar: [N, latent]) and
DIR/decoder.onnx (z: [N, latent] → pixels: [N, H, W, C] in [0, 1], as the app draws them), with
model-config.json, a README.md and runnable sample.py (onnxruntime) and sample.mjs
(onnxruntime-node) that decode z ~ N(0, I) into a grid.

${RUN_HELP}
  --out DIR            where the files go (created if missing)
  --format F           tfjs or onnx (default tfjs)
  -h, --help           this help`;

async function run(values: OptionValues): Promise<ExitCode> {
  const out = path.resolve(required(values, 'out'));
  const format = choiceOption(values, 'format', MODEL_EXPORT_FORMATS, 'tfjs');
  const { store } = await openRunConfig(required(values, 'run'));
  if (!(await listCheckpoints(store.checkpointsDir)).length) {
    throw notFoundError(`--run: ${store.directory} has no checkpoint yet`);
  }
  // A model ONNX cannot hold fails with its message and exit code 1, like any run-time failure.
  const files =
    format === 'onnx' ? await exportOnnx(store.directory, out) : await exportModel(store.directory, out);
  for (const file of files) log(`wrote ${file}`);
  return EXIT.ok;
}

export const exportCommand = defineCommand('export', SUMMARY, HELP, OPTIONS, run);
