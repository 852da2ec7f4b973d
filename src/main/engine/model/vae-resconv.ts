// Over 300 lines: one model class whose layers, norms and weight names are built and used together.
/**
 * The residual convolutional VAE for colour images. Encoder: a stride-2 3×3 stem, then per level
 * pre-activation residual blocks (GroupNorm → ReLU → 3×3 conv, twice, plus the skip) and a
 * stride-2 3×3 convolution to the next, wider level (×2 per level, capped at 4·width), down to the
 * bottleneck; a dense layer to (μ, log σ²). The decoder mirrors it, going up by nearest-neighbour
 * ×2 upsampling followed by a 3×3 convolution, never a transposed convolution: a stride-2
 * transposed 3×3 kernel covers output pixels unevenly and paints a checkerboard (Odena et al.
 * 2016, "Deconvolution and Checkerboard Artifacts"). Images and outputs stay flattened at the
 * model's edges ([batch, size·size·channels], NHWC order), like the other models.
 *
 * Where the cost goes (speed per image matters as much as capacity on a laptop CPU): with the
 * channels doubling as the side halves, a block costs about the same multiply-adds at every level,
 * but the first level (half the image size) has the largest activations, and on wasm the
 * per-element work (norms, activations, the backward pass's column matrices) costs most there, so
 * residual blocks sit at every level except the first. The decoder normalises before it upsamples
 * (group statistics of a nearest-neighbour upsample equal the original's, at a quarter of the
 * pixels) and computes each upsample + convolution at the low resolution (`upsampleConv2d`,
 * exactly the same function).
 *
 * The architecture is one list, `resConvLayout`, that both builds the model and tells import which
 * weights to expect (`resConvWeightShapes`), so the two cannot drift apart.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyNorm, groupsFor, makeNormLayer, type NormLayer } from './group-norm';
import {
  conv2d,
  dense,
  inputConv2d,
  makeLayer,
  makeZeroLayer,
  namedVariablesOf,
  upsampleConv2d,
  type Layer,
} from './layers';
import { usableDepth, type ConvVaeOptions } from './vae-conv';
import { VaeBase } from './vae-base';
import type { Encoded } from './vae-model';

export interface ResConvVaeOptions extends ConvVaeOptions {
  /** Residual blocks per level (every level but the first). Default 1; 0 gives a plain conv stack. */
  blocks?: number;
}

/** The architecture without the likelihood: what decides the weights. */
export type ResConvArchitecture = Pick<
  ResConvVaeOptions,
  'size' | 'channels' | 'latentDim' | 'width' | 'depth' | 'blocks'
>;

const KERNEL = 3;

/** One weight-bearing layer of the model, in build (and checkpoint) order. */
export interface LayerSpec {
  name: string;
  kind: 'conv' | 'zero-conv' | 'dense' | 'norm';
  /** Kernel shape for conv and dense ([k, k, in, out] or [in, out]); [channels] for norm. */
  shape: number[];
}

export interface ResConvGeometry {
  depth: number;
  /** Channels at each level, level 1 (half the image size) first. */
  channelsAt: number[];
  /** Side of the bottleneck feature map. */
  bottleneck: number;
  latentDim: number;
  blocks: number;
}

/**
 * Defaults from bench/models.ts (64 px RGB, wasm, batch 32, equal wall-clock time): width 12 and
 * an 8×8 bottleneck beat today's conv VAE and the wider (16–32) or deeper (4×4) variants, which
 * learn no faster per step and take 2–4.5× as long per step.
 */
export const DEFAULT_WIDTH = 12;
export const DEFAULT_LATENT_DIM = 32;
/** Three halvings take 64 px to an 8×8 bottleneck; `usableDepth` lowers it for sizes that do not halve so often. */
export const DEFAULT_DEPTH = 3;

export function resConvGeometry(options: ResConvArchitecture): ResConvGeometry {
  const width = options.width ?? DEFAULT_WIDTH;
  const depth = usableDepth(options.size, options.depth ?? DEFAULT_DEPTH);
  return {
    depth,
    // Widening stops at 4·width: the bottleneck levels are small, but their convolutions' cost
    // grows with the square of the channels.
    channelsAt: Array.from({ length: depth }, (_, i) => Math.min(width * 2 ** i, 4 * width)),
    bottleneck: options.size / 2 ** depth,
    latentDim: options.latentDim ?? DEFAULT_LATENT_DIM,
    blocks: options.blocks ?? 1,
  };
}

/** Levels (1-based) that carry residual blocks: all but the first, unless there is only one. */
function blocksAt(level: number, geometry: ResConvGeometry): number {
  return level > 1 || geometry.depth === 1 ? geometry.blocks : 0;
}

function blockSpecs(prefix: string, channels: number): LayerSpec[] {
  const kernel = [KERNEL, KERNEL, channels, channels];
  return [
    { name: `${prefix}/norm1`, kind: 'norm', shape: [channels] },
    { name: `${prefix}/conv1`, kind: 'conv', shape: kernel },
    { name: `${prefix}/norm2`, kind: 'norm', shape: [channels] },
    { name: `${prefix}/conv2`, kind: 'zero-conv', shape: kernel },
  ];
}

/** Every layer, in the order the model builds them and lists its weights. */
export function resConvLayout(options: ResConvArchitecture): LayerSpec[] {
  const g = resConvGeometry(options);
  const { depth, channelsAt, latentDim } = g;
  const at = (level: number) => channelsAt[level - 1]!;
  const flat = g.bottleneck * g.bottleneck * at(depth);
  const specs: LayerSpec[] = [
    { name: 'encoder/stem', kind: 'conv', shape: [KERNEL, KERNEL, options.channels, at(1)] },
  ];
  for (let level = 1; level <= depth; level++) {
    for (let b = 1; b <= blocksAt(level, g); b++) {
      specs.push(...blockSpecs(`encoder/level${level}/block${b}`, at(level)));
    }
    if (level < depth) {
      specs.push(
        { name: `encoder/level${level}/down/norm`, kind: 'norm', shape: [at(level)] },
        {
          name: `encoder/level${level}/down/conv`,
          kind: 'conv',
          shape: [KERNEL, KERNEL, at(level), at(level + 1)],
        },
      );
    }
  }
  specs.push(
    { name: 'encoder/out/norm', kind: 'norm', shape: [at(depth)] },
    { name: 'encoder/mean', kind: 'dense', shape: [flat, latentDim] },
    { name: 'encoder/log_variance', kind: 'dense', shape: [flat, latentDim] },
    { name: 'decoder/dense', kind: 'dense', shape: [latentDim, flat] },
  );
  for (let level = depth; level >= 1; level--) {
    for (let b = 1; b <= blocksAt(level, g); b++) {
      specs.push(...blockSpecs(`decoder/level${level}/block${b}`, at(level)));
    }
    if (level > 1) {
      specs.push(
        { name: `decoder/level${level}/up/norm`, kind: 'norm', shape: [at(level)] },
        {
          name: `decoder/level${level}/up/conv`,
          kind: 'conv',
          shape: [KERNEL, KERNEL, at(level), at(level - 1)],
        },
      );
    }
  }
  specs.push(
    { name: 'decoder/out/norm', kind: 'norm', shape: [at(1)] },
    { name: 'decoder/out/conv', kind: 'conv', shape: [KERNEL, KERNEL, at(1), options.channels] },
  );
  return specs;
}

/**
 * The weights (name and shape) a ResConvVae of this architecture has, in its `namedVariables`
 * order, without the likelihood's (`likelihood/log_sigma`, `likelihood/log_scale`), which come last.
 */
export function resConvWeightShapes(options: ResConvArchitecture): { name: string; shape: number[] }[] {
  return resConvLayout(options).flatMap(({ name, kind, shape }) =>
    kind === 'norm'
      ? [
          { name: `${name}/gamma`, shape },
          { name: `${name}/beta`, shape },
        ]
      : [
          { name: `${name}/kernel`, shape },
          { name: `${name}/bias`, shape: [shape[shape.length - 1]!] },
        ],
  );
}

export class ResConvVae extends VaeBase {
  readonly depth: number;
  private readonly size: number;
  private readonly channels: number;
  private readonly geometry: ResConvGeometry;
  private readonly layers = new Map<string, Layer>();
  private readonly norms = new Map<string, NormLayer>();
  /** The layers' and norms' weights in build order; the likelihood's follow (`namedVariables`). */
  private readonly named: { name: string; variable: tf.Variable }[] = [];

  constructor(options: ResConvVaeOptions) {
    const { size, channels } = options;
    const geometry = resConvGeometry(options);
    super('resconv-vae', size * size * channels, geometry.latentDim, channels, options);
    this.size = size;
    this.channels = channels;
    this.geometry = geometry;
    this.depth = geometry.depth;
    const seed = (options.seed ?? 0) * 1000;
    const { scope } = this;
    resConvLayout(options).forEach((spec, i) => {
      if (spec.kind === 'norm') {
        const norm = makeNormLayer(scope, spec.name, spec.shape[0]!, groupsFor(spec.shape[0]!));
        this.norms.set(spec.name, norm);
        this.named.push(
          { name: `${spec.name}/gamma`, variable: norm.gamma },
          { name: `${spec.name}/beta`, variable: norm.beta },
        );
        return;
      }
      // PyTorch's default init (fan-in = every input a unit sees); one seed pair per layer.
      const fanIn = spec.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const layer =
        spec.kind === 'zero-conv'
          ? makeZeroLayer(scope, spec.name, spec.shape)
          : makeLayer(scope, spec.name, spec.shape, fanIn, seed + 2 * i + 1);
      this.layers.set(spec.name, layer);
      this.named.push(...namedVariablesOf([layer], undefined));
    });
  }

  get namedVariables(): { name: string; variable: tf.Variable }[] {
    return [...this.named, ...namedVariablesOf([], this.logSigma, this.logScale)];
  }

  encode(x: tf.Tensor2D): Encoded {
    return tf.tidy(() => {
      const { depth } = this.geometry;
      const image = tf.reshape(x, [-1, this.size, this.size, this.channels]) as tf.Tensor4D;
      let h = inputConv2d(this.layer('encoder/stem'), image, 2);
      for (let level = 1; level <= depth; level++) {
        h = this.blocks(`encoder/level${level}`, level, h);
        if (level < depth) {
          const prefix = `encoder/level${level}/down`;
          h = conv2d(this.layer(`${prefix}/conv`), this.normAct(`${prefix}/norm`, h), 2);
        }
      }
      h = this.normAct('encoder/out/norm', h);
      const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
      return {
        mean: dense(this.layer('encoder/mean'), flat),
        logVariance: dense(this.layer('encoder/log_variance'), flat),
      };
    });
  }

  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { depth, bottleneck, channelsAt } = this.geometry;
      const batch = z.shape[0];
      let h = tf.reshape(dense(this.layer('decoder/dense'), z), [
        batch,
        bottleneck,
        bottleneck,
        channelsAt[depth - 1]!,
      ]) as tf.Tensor4D;
      for (let level = depth; level >= 1; level--) {
        h = this.blocks(`decoder/level${level}`, level, h);
        if (level > 1) {
          const prefix = `decoder/level${level}/up`;
          h = upsampleConv2d(this.layer(`${prefix}/conv`), this.normAct(`${prefix}/norm`, h));
        }
      }
      h = upsampleConv2d(this.layer('decoder/out/conv'), this.normAct('decoder/out/norm', h));
      return tf.reshape(h, [batch, this.inputSize]) as tf.Tensor2D;
    });
  }

  /** The level's residual blocks, if it has any: x + conv(act(norm(conv(act(norm(x)))))). */
  private blocks(prefix: string, level: number, x: tf.Tensor4D): tf.Tensor4D {
    let h = x;
    for (let b = 1; b <= blocksAt(level, this.geometry); b++) {
      const block = `${prefix}/block${b}`;
      const inner = conv2d(this.layer(`${block}/conv1`), this.normAct(`${block}/norm1`, h), 1);
      h = tf.add(h, conv2d(this.layer(`${block}/conv2`), this.normAct(`${block}/norm2`, inner), 1));
    }
    return h;
  }

  private normAct(name: string, x: tf.Tensor4D): tf.Tensor4D {
    const norm = this.norms.get(name);
    if (!norm) throw new Error(`no norm layer '${name}'`);
    // ReLU rather than SiLU (x·σ(x)): one kernel forward and one backward instead of three each,
    // over every activation of the network, on a CPU where per-element work is what costs.
    return tf.relu(applyNorm(norm, x));
  }

  private layer(name: string): Layer {
    const layer = this.layers.get(name);
    if (!layer) throw new Error(`no layer '${name}'`);
    return layer;
  }
}

/**
 * The image format a ResConvVae checkpoint was trained on, from its weights' shapes (`shapeOf`
 * gives a weight's shape by name, undefined when absent), or null when they do not describe one:
 * the stem reads the image channels, each level but the last has a down convolution, and the
 * flattened bottleneck is (size / 2^depth)² × the last level's channels.
 */
export function resConvFormatOfWeights(
  shapeOf: (name: string) => readonly number[] | undefined,
): { size: number; channels: 1 | 3 } | null {
  const stem = shapeOf('encoder/stem/kernel');
  const flat = shapeOf('encoder/mean/kernel')?.[0];
  const channels = stem?.[2];
  if ((channels !== 1 && channels !== 3) || !flat) return null;
  let depth = 1;
  while (shapeOf(`encoder/level${depth}/down/conv/kernel`)) depth++;
  const last = depth === 1 ? stem![3] : shapeOf(`encoder/level${depth - 1}/down/conv/kernel`)![3];
  if (!last) return null;
  const bottleneck = Math.sqrt(flat / last);
  return Number.isInteger(bottleneck) ? { size: bottleneck * 2 ** depth, channels } : null;
}
