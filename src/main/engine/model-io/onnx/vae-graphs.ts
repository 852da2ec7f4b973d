/** What each architecture's ONNX emitter provides: its encoder and decoder as graph nodes. */
import type { ModelWeights } from './model-weights';
import type { OnnxGraph } from './onnx-graph';

export interface ImageFormat {
  size: number;
  channels: 1 | 3;
}

export interface VaeGraphs {
  /** From `x`, [N, H, W, C] pixels in [0, 1], to the values holding μ and log σ², [N, latent]. */
  encoder(
    g: OnnxGraph,
    w: ModelWeights,
    x: string,
    format: ImageFormat,
  ): { mean: string; logVariance: string };
  /** From `z`, [N, latent], to the value holding the decoder's logits, [N, H, W, C]. */
  decoder(g: OnnxGraph, w: ModelWeights, z: string, format: ImageFormat): string;
}
