/**
 * `ResConvVae` (vae-resconv.ts) as ONNX: the stem, pre-activation residual blocks, stride-2
 * convolutions down and nearest-upsample convolutions up, with group norms; levels and blocks are
 * read from the weights present, as the model's layout names them.
 */
import { groupsFor } from '../../model/group-norm';
import {
  conv,
  dense,
  groupNorm,
  relu,
  reshape,
  transpose,
  TO_NCHW,
  TO_NHWC,
  upsampleConv,
} from './layer-ops';
import type { ModelWeights } from './model-weights';
import type { OnnxGraph } from './onnx-graph';
import type { VaeGraphs } from './vae-graphs';

/** A feature map flowing through the graph: its value name and its NCHW size. */
interface Features {
  value: string;
  channels: number;
  side: number;
}

function normAct(g: OnnxGraph, w: ModelWeights, name: string, h: Features): Features {
  const { channels, side } = h;
  const normed = groupNorm(g, w, name, h.value, channels, side, groupsFor(channels));
  return { value: relu(g, normed, `${name}/relu`), channels, side };
}

/** A conv layer's output channels, from its [k, k, in, out] kernel. */
const outputsOf = (w: ModelWeights, name: string) => w.get(`${name}/kernel`).shape[3]!;

/** The level's residual blocks: x + conv2(act(norm2(conv1(act(norm1(x)))))), each. */
function blocks(g: OnnxGraph, w: ModelWeights, prefix: string, x: Features): Features {
  let h = x;
  const count = w.countOf(`${prefix}/block`, '/conv1/kernel');
  for (let b = 1; b <= count; b++) {
    const block = `${prefix}/block${b}`;
    const inner = conv(g, w, `${block}/conv1`, normAct(g, w, `${block}/norm1`, h).value, h.side, 1);
    const branch = conv(
      g,
      w,
      `${block}/conv2`,
      normAct(g, w, `${block}/norm2`, { ...h, value: inner }).value,
      h.side,
      1,
    );
    h = { ...h, value: g.op('Add', [h.value, branch], `${block}/sum`) };
  }
  return h;
}

/** Levels: the stem's, plus one per down convolution. */
const depthOf = (w: ModelWeights) => 1 + w.countOf('encoder/level', '/down/conv/kernel');

export const resConvGraphs: VaeGraphs = {
  encoder(g: OnnxGraph, w: ModelWeights, x: string, { size }) {
    const depth = depthOf(w);
    const image = transpose(g, x, TO_NCHW, 'encoder/nchw');
    let h: Features = {
      value: conv(g, w, 'encoder/stem', image, size, 2),
      channels: outputsOf(w, 'encoder/stem'),
      side: size / 2,
    };
    for (let level = 1; level <= depth; level++) {
      h = blocks(g, w, `encoder/level${level}`, h);
      if (level < depth) {
        const prefix = `encoder/level${level}/down`;
        const normed = normAct(g, w, `${prefix}/norm`, h);
        h = {
          value: conv(g, w, `${prefix}/conv`, normed.value, h.side, 2),
          channels: outputsOf(w, `${prefix}/conv`),
          side: h.side / 2,
        };
      }
    }
    h = normAct(g, w, 'encoder/out/norm', h);
    const flat = reshape(g, transpose(g, h.value, TO_NHWC, 'encoder/nhwc'), [0, -1], 'encoder/flatten');
    return {
      mean: dense(g, w, 'encoder/mean', flat),
      logVariance: dense(g, w, 'encoder/log_variance', flat),
    };
  },
  decoder(g: OnnxGraph, w: ModelWeights, z: string, { size }) {
    const depth = depthOf(w);
    const bottleneck = size / 2 ** depth;
    const channels = w.get('decoder/dense/kernel').shape[1]! / (bottleneck * bottleneck);
    const grid = reshape(
      g,
      dense(g, w, 'decoder/dense', z),
      [0, bottleneck, bottleneck, channels],
      'decoder/grid',
    );
    let h: Features = { value: transpose(g, grid, TO_NCHW, 'decoder/nchw'), channels, side: bottleneck };
    for (let level = depth; level >= 1; level--) {
      h = blocks(g, w, `decoder/level${level}`, h);
      if (level > 1) {
        const prefix = `decoder/level${level}/up`;
        const normed = normAct(g, w, `${prefix}/norm`, h);
        h = {
          value: upsampleConv(g, w, `${prefix}/conv`, normed.value, h.side),
          channels: outputsOf(w, `${prefix}/conv`),
          side: h.side * 2,
        };
      }
    }
    const normed = normAct(g, w, 'decoder/out/norm', h);
    return transpose(
      g,
      upsampleConv(g, w, 'decoder/out/conv', normed.value, h.side),
      TO_NHWC,
      'decoder/nhwc',
    );
  },
};
