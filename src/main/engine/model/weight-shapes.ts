/**
 * The weights a model's settings imply, by name and shape, worked out without building it. Model
 * import compares a file's manifest against this list before anything is allocated, so a few
 * hundred bytes of JSON cannot make the engine build gigabytes of tensors first.
 * `tests/unit/weight-shapes.test.ts` compares it with really built models, so it stays in step
 * with `vae-mlp.ts` and `vae-conv.ts`.
 */
import type { TrainSettings } from '../../../shared/train-settings';
import { usableDepth } from './vae-conv';

export interface WeightShape {
  name: string;
  shape: number[];
}

type Architecture = Pick<TrainSettings, 'model' | 'likelihood' | 'latentDim' | 'width' | 'depth'> &
  Partial<Pick<TrainSettings, 'pcaStart'>>;

/** The conv models' filters are 3×3. */
const KERNEL = 3;

/** A layer's kernel and its bias (one per output, the kernel's last axis unless said otherwise). */
function layer(name: string, kernel: number[], outputs = kernel[kernel.length - 1]!): WeightShape[] {
  return [
    { name: `${name}/kernel`, shape: kernel },
    { name: `${name}/bias`, shape: [outputs] },
  ];
}

function mlpShapes({ latentDim, width, depth }: Architecture, inputs: number): WeightShape[] {
  const suffix = (i: number) => (i === 0 ? '' : `_${i + 1}`);
  const hidden = (side: string, first: number) =>
    Array.from({ length: depth }, (_, i) =>
      layer(`${side}/hidden${suffix(i)}`, [i === 0 ? first : width, width]),
    ).flat();
  return [
    ...hidden('encoder', inputs),
    ...layer('encoder/mean', [width, latentDim]),
    ...layer('encoder/log_variance', [width, latentDim]),
    ...hidden('decoder', latentDim),
    ...layer('decoder/output', [width, inputs]),
  ];
}

function convShapes(
  { latentDim, width, depth, pcaStart }: Architecture,
  size: number,
  channels: number,
): WeightShape[] {
  const used = usableDepth(size, depth);
  const channelsAt = Array.from({ length: used }, (_, i) => width * 2 ** i);
  const last = channelsAt[used - 1]!;
  const flat = (size / 2 ** used) ** 2 * last;
  const encoder = channelsAt.flatMap((out, i) =>
    layer(`encoder/conv${i + 1}`, [KERNEL, KERNEL, i === 0 ? channels : channelsAt[i - 1]!, out]),
  );
  // Transposed-conv filters are stored [k, k, out, in]; the bias still has one value per output.
  const decoder = channelsAt.flatMap((_, i) => {
    const input = channelsAt[used - 1 - i]!;
    const out = i === used - 1 ? channels : channelsAt[used - 2 - i]!;
    return layer(`decoder/deconv${i + 1}`, [KERNEL, KERNEL, out, input], out);
  });
  return [
    ...encoder,
    ...layer('encoder/mean', [flat, latentDim]),
    ...layer('encoder/log_variance', [flat, latentDim]),
    ...layer('decoder/dense', [latentDim, flat]),
    ...decoder,
    // The PCA start's linear path (`ConvVaeOptions.linearPath`).
    ...(pcaStart
      ? [
          ...layer('encoder/linear', [size * size * channels, latentDim]),
          ...layer('decoder/linear', [latentDim, size * size * channels]),
        ]
      : []),
  ];
}

/** Every weight `createModel(settings, size, channels)` would make, in its `namedVariables` order. */
export function expectedWeightShapes(settings: Architecture, size: number, channels: 1 | 3): WeightShape[] {
  const shapes =
    settings.model === 'conv'
      ? convShapes(settings, size, channels)
      : mlpShapes(settings, size * size * channels);
  if (settings.likelihood === 'gaussian-learned') shapes.push({ name: 'likelihood/log_sigma', shape: [] });
  if (settings.likelihood === 'discretized-logistic')
    shapes.push({ name: 'likelihood/log_scale', shape: [channels] });
  return shapes;
}

/** float32 bytes of all the weights (a plain number: a huge model's count stays exact below 2^53). */
export function weightBytes(shapes: readonly { shape: readonly number[] }[]): number {
  return shapes.reduce((total, { shape }) => total + shape.reduce((a, b) => a * b, 1) * 4, 0);
}
