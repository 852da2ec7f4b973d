/**
 * A trained VAE as two ONNX models: `encoder.onnx` (x → mean, logvar) and `decoder.onnx`
 * (z → pixels), built from the architecture's layers and the model's own weights.
 */
import { convGraphs } from './conv-graph';
import { mlpGraphs } from './mlp-graph';
import type { ModelWeights } from './model-weights';
import { onnxModelBytes } from './onnx-model-bytes';
import { OnnxGraph } from './onnx-graph';
import { resConvGraphs } from './resconv-graph';
import type { ImageFormat, VaeGraphs } from './vae-graphs';

/** The architectures that export. The app trains 'mlp' and 'conv'; 'resconv' is built in code. */
export const ONNX_ARCHITECTURES = { mlp: mlpGraphs, conv: convGraphs, resconv: resConvGraphs } as const;
export type OnnxArchitecture = keyof typeof ONNX_ARCHITECTURES;

/** Names of the graphs' inputs and outputs: the README's snippets use them. */
export const ONNX_NAMES = { x: 'x', mean: 'mean', logvar: 'logvar', z: 'z', pixels: 'pixels' } as const;

export interface VaeOnnxOptions {
  /** Model kind as the run's settings name it; anything not in ONNX_ARCHITECTURES is refused. */
  model: string;
  format: ImageFormat;
  latentDim: number;
  weights: ModelWeights;
  /** Written into both files' metadata (likelihood, run id, …). */
  metadata: Record<string, string>;
  appVersion: string;
}

export class OnnxUnsupportedError extends Error {
  override name = 'OnnxUnsupportedError';
}

function isOnnxArchitecture(model: string): model is OnnxArchitecture {
  return Object.hasOwn(ONNX_ARCHITECTURES, model);
}

function graphsFor(model: string): VaeGraphs {
  if (!isOnnxArchitecture(model)) {
    throw new OnnxUnsupportedError(
      `ONNX export supports the ${Object.keys(ONNX_ARCHITECTURES).join(', ')} models; this run's model is “${model}”.`,
    );
  }
  return ONNX_ARCHITECTURES[model];
}

export function vaeToOnnx(options: VaeOnnxOptions): { encoder: Uint8Array; decoder: Uint8Array } {
  const graphs = graphsFor(options.model);
  const { size, channels } = options.format;
  const image = [size, size, channels];
  const shared = { metadata: options.metadata, producerVersion: options.appVersion };

  const encoder = new OnnxGraph();
  const x = encoder.input(ONNX_NAMES.x);
  const encoded = graphs.encoder(encoder, options.weights, x, options.format);
  encoder.output(encoded.mean, ONNX_NAMES.mean);
  encoder.output(encoded.logVariance, ONNX_NAMES.logvar);

  const decoder = new OnnxGraph();
  const z = decoder.input(ONNX_NAMES.z);
  const logits = graphs.decoder(decoder, options.weights, z, options.format);
  // The app shows sigmoid(logits) for every likelihood: Bernoulli probabilities, Gaussian and
  // logistic means.
  decoder.output(decoder.op('Sigmoid', [logits], 'decoder/sigmoid'), ONNX_NAMES.pixels);

  return {
    encoder: onnxModelBytes(encoder, {
      ...shared,
      graphName: 'latent_studio_encoder',
      doc: 'q(z | x) of a Latent Studio VAE: the mean and log-variance of each image’s latent Gaussian.',
      inputs: [
        { name: ONNX_NAMES.x, shape: image, doc: 'Images, NHWC, float32 pixels in [0, 1] (byte / 255).' },
      ],
      outputs: [
        { name: ONNX_NAMES.mean, shape: [options.latentDim], doc: 'Mean of q(z | x).' },
        { name: ONNX_NAMES.logvar, shape: [options.latentDim], doc: 'Log-variance of q(z | x).' },
      ],
    }),
    decoder: onnxModelBytes(decoder, {
      ...shared,
      graphName: 'latent_studio_decoder',
      doc: 'p(x | z) of a Latent Studio VAE: the pixel means (probabilities) the app draws, NHWC in [0, 1].',
      inputs: [
        { name: ONNX_NAMES.z, shape: [options.latentDim], doc: 'Latent codes; the prior is N(0, I).' },
      ],
      outputs: [{ name: ONNX_NAMES.pixels, shape: image, doc: 'Decoded images, NHWC, in [0, 1].' }],
    }),
  };
}
