/**
 * A run's newest model as an ONNX folder: `encoder.onnx`, `decoder.onnx`, `model-config.json`
 * (sizes, likelihood, settings), and a README with Python and JS snippets plus the same snippets
 * as runnable `sample.py` and `sample.mjs`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write';
import { appVersion } from '../../gallery/app-version';
import { newestCheckpoint } from '../export-model';
import { formatOfWeights } from '../weights-format';
import { CheckpointCorruptError } from '../../train/checkpoint';
import { RunStore } from '../../train/run-store';
import { ModelWeights } from './model-weights';
import { ONNX_OPSET } from './onnx-model-bytes';
import { readme, SAMPLE_MJS, SAMPLE_PY } from './onnx-snippets';
import { ONNX_NAMES, vaeToOnnx } from './vae-onnx';

export const ONNX_CONFIG_FORMAT = 'latent-studio-onnx';

/** Writes the folder into `destination` and returns the paths written, the models first. */
export async function exportOnnx(runDirectory: string, destination: string): Promise<string[]> {
  const run = RunStore.openAt(runDirectory);
  const config = await run.readConfig();
  const checkpoint = await newestCheckpoint(run.checkpointsDir);
  const { settings } = config;
  const format = formatOfWeights(settings.model, checkpoint.values);
  if (!format) throw new CheckpointCorruptError('The checkpoint’s image format cannot be worked out.');
  const modelValues = new Map([...checkpoint.values].filter(([, value]) => value.group === 'model'));
  const version = appVersion();
  const { encoder, decoder } = vaeToOnnx({
    model: settings.model,
    format,
    latentDim: settings.latentDim,
    weights: new ModelWeights(modelValues),
    metadata: {
      likelihood: settings.likelihood,
      latentDim: String(settings.latentDim),
      imageSize: String(format.size),
      channels: String(format.channels),
      runId: config.runId,
      epoch: String(checkpoint.manifest.epoch),
    },
    appVersion: version,
  });
  const image = ['N', format.size, format.size, format.channels];
  const latent = ['N', settings.latentDim];
  // Raw, as the model stores them; the loss floors them (see loss.ts) before use.
  const learned = ['likelihood/log_sigma', 'likelihood/log_scale'].flatMap((name) => {
    const value = modelValues.get(name);
    return value ? [[name, Array.from(value.data)] as const] : [];
  });
  const modelConfig = {
    format: ONNX_CONFIG_FORMAT,
    version: 1,
    opset: ONNX_OPSET,
    latentDim: settings.latentDim,
    imageSize: format.size,
    channels: format.channels,
    likelihood: settings.likelihood,
    pixelScaling: 'float32 in [0, 1] (byte / 255), NHWC',
    encoder: {
      file: 'encoder.onnx',
      inputs: { [ONNX_NAMES.x]: image },
      outputs: { [ONNX_NAMES.mean]: latent, [ONNX_NAMES.logvar]: latent },
    },
    decoder: {
      file: 'decoder.onnx',
      inputs: { [ONNX_NAMES.z]: latent },
      outputs: { [ONNX_NAMES.pixels]: image },
      output: 'sigmoid of the decoder’s outputs: the pixel probabilities or means the app draws',
    },
    learnedLikelihoodParameters: Object.fromEntries(learned),
    epoch: checkpoint.manifest.epoch,
    runId: config.runId,
    datasetName: config.datasetName,
    settings,
    app: { name: 'Latent Studio', version },
  };
  const facts = {
    latentDim: settings.latentDim,
    size: format.size,
    channels: format.channels,
    likelihood: settings.likelihood,
    model: settings.model,
    epoch: checkpoint.manifest.epoch,
    datasetName: config.datasetName,
  };
  const contents: [string, string | Uint8Array][] = [
    ['encoder.onnx', encoder],
    ['decoder.onnx', decoder],
    ['model-config.json', JSON.stringify(modelConfig, null, 2)],
    ['README.md', readme(facts)],
    ['sample.py', SAMPLE_PY],
    ['sample.mjs', SAMPLE_MJS],
  ];
  await mkdir(destination, { recursive: true });
  const written: string[] = [];
  for (const [name, body] of contents) {
    const file = path.join(destination, name);
    await writeFileAtomic(file, body);
    written.push(file);
  }
  return written;
}
