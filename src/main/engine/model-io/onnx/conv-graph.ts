/**
 * `ConvVae` (vae-conv.ts) as ONNX: stride-2 convolutions down, stride-2 transposed convolutions up,
 * and the PCA start's linear path beside them when the weights have one.
 */
import { linearInputScaleOf } from '../../model/vae-conv';
import { conv, convTranspose2x, dense, relu, reshape, transpose, TO_NCHW, TO_NHWC } from './layer-ops';
import type { ModelWeights } from './model-weights';
import type { OnnxGraph } from './onnx-graph';
import type { VaeGraphs } from './vae-graphs';

export const convGraphs: VaeGraphs = {
  encoder(g: OnnxGraph, w: ModelWeights, x: string, { size, channels }) {
    const depth = w.countOf('encoder/conv', '/kernel');
    let h = transpose(g, x, TO_NCHW, 'encoder/nchw');
    let side = size;
    for (let i = 1; i <= depth; i++) {
      h = relu(g, conv(g, w, `encoder/conv${i}`, h, side, 2), `encoder/conv${i}/relu`);
      side /= 2;
    }
    // Flattened in NHWC order, as the tfjs model reshapes its NHWC activations.
    const flat = reshape(g, transpose(g, h, TO_NHWC, 'encoder/nhwc'), [0, -1], 'encoder/flatten');
    let mean = dense(g, w, 'encoder/mean', flat);
    if (w.has('encoder/linear/kernel')) {
      const inputSize = size * size * channels;
      const pixels = reshape(g, x, [0, -1], 'encoder/pixels');
      const scaled = g.op(
        'Mul',
        [pixels, g.weight('encoder/linear/input_scale', [], [linearInputScaleOf(inputSize)])],
        'encoder/linear/scaled',
      );
      mean = g.op('Add', [mean, dense(g, w, 'encoder/linear', scaled)], 'encoder/mean_with_linear');
    }
    return { mean, logVariance: dense(g, w, 'encoder/log_variance', flat) };
  },
  decoder(g: OnnxGraph, w: ModelWeights, z: string, { size, channels }) {
    const depth = w.countOf('decoder/deconv', '/kernel');
    const bottleneck = size / 2 ** depth;
    // The first transposed convolution's filter is [k, k, out, in]: `in` is the bottleneck's channels.
    const last = w.get('decoder/deconv1/kernel').shape[3]!;
    const start = relu(g, dense(g, w, 'decoder/dense', z), 'decoder/dense/relu');
    let h = transpose(
      g,
      reshape(g, start, [0, bottleneck, bottleneck, last], 'decoder/grid'),
      TO_NCHW,
      'decoder/nchw',
    );
    let side = bottleneck;
    for (let i = 1; i <= depth; i++) {
      h = convTranspose2x(g, w, `decoder/deconv${i}`, h, side);
      if (i < depth) h = relu(g, h, `decoder/deconv${i}/relu`);
      side *= 2;
    }
    const image = transpose(g, h, TO_NHWC, 'decoder/nhwc');
    if (!w.has('decoder/linear/kernel')) return image;
    const flat = reshape(g, image, [0, -1], 'decoder/flatten');
    const sum = g.op('Add', [flat, dense(g, w, 'decoder/linear', z)], 'decoder/with_linear');
    return reshape(g, sum, [0, size, size, channels], 'decoder/image');
  },
};
