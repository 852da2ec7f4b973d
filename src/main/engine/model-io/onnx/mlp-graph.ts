/** `MlpVae` (vae-mlp.ts) as ONNX: dense layers on the flattened NHWC pixels. */
import { dense, relu, reshape } from './layer-ops';
import type { ModelWeights } from './model-weights';
import type { OnnxGraph } from './onnx-graph';
import type { VaeGraphs } from './vae-graphs';

/** `encoder/hidden`, `encoder/hidden_2`, …: as many as the weights hold. */
function hiddenNames(w: ModelWeights, prefix: string): string[] {
  const names: string[] = [];
  for (let i = 0; w.has(`${prefix}${i === 0 ? '' : `_${i + 1}`}/kernel`); i++) {
    names.push(`${prefix}${i === 0 ? '' : `_${i + 1}`}`);
  }
  return names;
}

export const mlpGraphs: VaeGraphs = {
  encoder(g: OnnxGraph, w: ModelWeights, x: string) {
    const flat = reshape(g, x, [0, -1], 'encoder/flatten');
    const hidden = hiddenNames(w, 'encoder/hidden').reduce(
      (h, name) => relu(g, dense(g, w, name, h), `${name}/relu`),
      flat,
    );
    return {
      mean: dense(g, w, 'encoder/mean', hidden),
      logVariance: dense(g, w, 'encoder/log_variance', hidden),
    };
  },
  decoder(g: OnnxGraph, w: ModelWeights, z: string, { size, channels }) {
    const hidden = hiddenNames(w, 'decoder/hidden').reduce(
      (h, name) => relu(g, dense(g, w, name, h), `${name}/relu`),
      z,
    );
    return reshape(g, dense(g, w, 'decoder/output', hidden), [0, size, size, channels], 'decoder/image');
  },
};
