/**
 * The app's layers as ONNX nodes, reading each layer's weights by its checkpoint name. Inside the
 * graphs, images are NCHW (what ONNX's Conv takes); the model's edges stay NHWC like the app's.
 */
import { GROUP_NORM_EPSILON } from '../../model/group-norm';
import { permute, type ModelWeights } from './model-weights';
import type { OnnxGraph } from './onnx-graph';

/** NHWC → NCHW and back. */
export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

/**
 * TF's filter layout [k, k, a, b] to ONNX's [b, a, k, k]: Conv's [k, k, in, out] → [out, in, k, k]
 * and ConvTranspose's [k, k, out, in] → [in, out, k, k] alike.
 */
const TF_TO_ONNX_FILTER = [3, 2, 0, 1];

/** A layer's stored `kernel` or `bias` as a graph weight of the same name, its axes reordered by `perm` if given. */
function layerWeight(
  g: OnnxGraph,
  w: ModelWeights,
  name: string,
  part: 'kernel' | 'bias',
  perm?: readonly number[],
): string {
  const { shape, data } = w.get(`${name}/${part}`);
  if (!perm) return g.weight(`${name}/${part}`, shape, data);
  const dims = perm.map((axis) => shape[axis]!);
  return g.weight(`${name}/${part}`, dims, permute(data, shape, perm));
}

/** A convolution kernel's four dimensions, or a clear error naming the layer. */
function kernel4(w: ModelWeights, name: string): [number, number, number, number] {
  const [a, b, c, d, ...rest] = w.get(`${name}/kernel`).shape;
  if (a === undefined || b === undefined || c === undefined || d === undefined || rest.length > 0) {
    throw new Error(
      `${name}/kernel is not a 4-dimensional convolution kernel; it cannot be written as ONNX.`,
    );
  }
  return [a, b, c, d];
}

/** x · kernel + bias, as `dense` in layers.ts. */
export function dense(g: OnnxGraph, w: ModelWeights, name: string, x: string): string {
  const product = g.op('MatMul', [x, layerWeight(g, w, name, 'kernel')], `${name}/matmul`);
  return g.op('Add', [product, layerWeight(g, w, name, 'bias')], name);
}

/**
 * TensorFlow's 'same' padding along one axis (begin, end): the output is ceil(n / stride) long and
 * the odd pixel of padding, if any, goes at the end.
 */
function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

/**
 * A 'same'-padded convolution of an NCHW value `side` pixels square, from a TF-layout kernel
 * [k, k, in, out] (ONNX wants [out, in, k, k]).
 */
export function conv(
  g: OnnxGraph,
  w: ModelWeights,
  name: string,
  x: string,
  side: number,
  stride: 1 | 2,
): string {
  const [k] = kernel4(w, name);
  const [begin, end] = samePadding(side, k, stride);
  return g.op(
    'Conv',
    [x, layerWeight(g, w, name, 'kernel', TF_TO_ONNX_FILTER), layerWeight(g, w, name, 'bias')],
    name,
    { kernel_shape: [k, k], strides: [stride, stride], pads: [begin, begin, end, end] },
  );
}

/**
 * tf.conv2dTranspose with stride 2 and 'same' padding from `side` to 2·side pixels, from its
 * [k, k, out, in] filter (ONNX wants [in, out, k, k]). It is the gradient of a 'same' stride-2
 * convolution, whose padding is all at the end, so the full (2·side + k − 2)-pixel output is
 * cropped at the end only.
 */
export function convTranspose2x(
  g: OnnxGraph,
  w: ModelWeights,
  name: string,
  x: string,
  side: number,
): string {
  const [k] = kernel4(w, name);
  const [begin, end] = samePadding(2 * side, k, 2);
  return g.op(
    'ConvTranspose',
    [x, layerWeight(g, w, name, 'kernel', TF_TO_ONNX_FILTER), layerWeight(g, w, name, 'bias')],
    name,
    { kernel_shape: [k, k], strides: [2, 2], pads: [begin, begin, end, end] },
  );
}

/**
 * `upsampleConv2d` (layers.ts) as what it computes: nearest-neighbour ×2 upsampling, then a 3×3
 * 'same' convolution. 'asymmetric' + 'floor' makes Resize copy pixel (i, j) to (2i..2i+1, 2j..2j+1).
 */
export function upsampleConv(g: OnnxGraph, w: ModelWeights, name: string, x: string, side: number): string {
  const up = g.op('Resize', [x, '', g.weight(`${name}/scales`, [4], [1, 1, 2, 2])], `${name}/upsample`, {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
  return conv(g, w, name, up, side * 2, 1);
}

/**
 * `groupNorm` (group-norm.ts) on an NCHW value: each image's channels in `groups` runs of
 * consecutive channels (the app's grouping), normalised over the run's pixels and channels, then
 * scaled and shifted per channel. Written out in plain ops, as ONNX's GroupNormalization needs
 * opset 18 and changed meaning in 21.
 */
export function groupNorm(
  g: OnnxGraph,
  w: ModelWeights,
  name: string,
  x: string,
  channels: number,
  side: number,
  groups: number,
): string {
  const gamma = w.get(`${name}/gamma`);
  const beta = w.get(`${name}/beta`);
  const grouped = g.op('Reshape', [x, g.int64s(`${name}/grouped_shape`, [0, groups, -1])], `${name}/grouped`);
  const mean = g.op('ReduceMean', [grouped], `${name}/mean`, { axes: [2], keepdims: 1 });
  const centred = g.op('Sub', [grouped, mean], `${name}/centred`);
  const variance = g.op(
    'ReduceMean',
    [g.op('Mul', [centred, centred], `${name}/square`)],
    `${name}/variance`,
    {
      axes: [2],
      keepdims: 1,
    },
  );
  const std = g.op(
    'Sqrt',
    [g.op('Add', [variance, g.weight(`${name}/epsilon`, [], [GROUP_NORM_EPSILON])], `${name}/variance_eps`)],
    `${name}/std`,
  );
  const normalised = g.op(
    'Reshape',
    [
      g.op('Div', [centred, std], `${name}/normalised_groups`),
      g.int64s(`${name}/shape`, [0, channels, side, side]),
    ],
    `${name}/normalised`,
  );
  const scaled = g.op(
    'Mul',
    [normalised, g.weight(`${name}/gamma`, [channels, 1, 1], gamma.data)],
    `${name}/scaled`,
  );
  return g.op('Add', [scaled, g.weight(`${name}/beta`, [channels, 1, 1], beta.data)], name);
}

export const relu = (g: OnnxGraph, x: string, hint: string): string => g.op('Relu', [x], hint);

export const transpose = (g: OnnxGraph, x: string, perm: number[], hint: string): string =>
  g.op('Transpose', [x], hint, { perm });

export const reshape = (g: OnnxGraph, x: string, shape: number[], hint: string): string =>
  g.op('Reshape', [x, g.int64s(`${hint}/shape`, shape)], hint);
