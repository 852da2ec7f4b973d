/**
 * Which images a run's latent map shows: up to `count`, stratified by label over the whole
 * dataset, held-out images first (the honest view of what the model learned), then training images
 * when more are asked for than the held-out split has.
 */
import { stratifiedSample } from '../data/image-set';
import type { LoadedDataset } from '../data/loaded-dataset';
import type { StoredPoints } from './layout-store';

export function displayPoints(dataset: LoadedDataset, count: number, latentDim: number): StoredPoints {
  const { set, split } = dataset;
  const heldOutIndices = split.test.indices;
  const candidates = new Uint32Array(heldOutIndices.length + split.train.indices.length);
  candidates.set(heldOutIndices);
  candidates.set(split.train.indices, heldOutIndices.length);
  const chosen = stratifiedSample({ set, indices: candidates }, count);
  const isHeldOut = new Uint8Array(set.count);
  for (const index of heldOutIndices) isHeldOut[index] = 1;
  const indices = Array.from(chosen);
  return {
    count: indices.length,
    latentDim,
    datasetId: dataset.summary.datasetId,
    datasetIndices: indices,
    labels: indices.map((i) => set.labels[i]!),
    classNames: set.classNames,
    names: indices.map((i) => dataset.fileNames?.[i] ?? `${dataset.summary.datasetId} #${i}`),
    heldOut: indices.map((i) => isHeldOut[i]!),
    metadata: set.metadata.map(({ field, values }) => ({ field, values: indices.map((i) => values[i]!) })),
  };
}
