import type { LoadedCheckpoint } from '../train/checkpoint';

/**
 * The image format a checkpoint's weights were trained on: an MLP's first layer reads
 * size² × channels values; a conv model's first filter reads `channels`, and its flattened
 * bottleneck is (size / 2^depth)² × the last layer's channels.
 */
export function formatOfWeights(
  model: string,
  values: LoadedCheckpoint['values'],
): { size: number; channels: 1 | 3 } | null {
  if (model === 'mlp') {
    const inputs = values.get('encoder/hidden/kernel')?.shape[0];
    if (!inputs) return null;
    for (const channels of [1, 3] as const) {
      const size = Math.sqrt(inputs / channels);
      if (Number.isInteger(size)) return { size, channels };
    }
    return null;
  }
  const channels = values.get('encoder/conv1/kernel')?.shape[2];
  const flat = values.get('encoder/mean/kernel')?.shape[0];
  let depth = 0;
  while (values.has(`encoder/conv${depth + 1}/kernel`)) depth++;
  const last = values.get(`encoder/conv${depth}/kernel`)?.shape[3];
  if ((channels !== 1 && channels !== 3) || !flat || !last) return null;
  const bottleneck = Math.sqrt(flat / last);
  return Number.isInteger(bottleneck) ? { size: bottleneck * 2 ** depth, channels } : null;
}
