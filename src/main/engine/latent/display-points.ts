/**
 * Which images a run's latent map shows: up to `count`, stratified by label over the whole
 * dataset, held-out images first (test, then validation: the honest view of what the model
 * learned), then training images when more are asked for than the held-out parts have. Points are
 * named by file (see image-names.ts), so `realignPoints` finds them again after the folder changed.
 */
import { stratifiedSample } from '../data/image-set';
import { imageName, resolveNames } from '../data/image-names';
import type { LoadedDataset } from '../data/loaded-dataset';
import type { StoredPoints } from './layout-store';

export function displayPoints(dataset: LoadedDataset, count: number, latentDim: number): StoredPoints {
  const { set, split } = dataset;
  const parts = [split.test.indices, split.validation.indices, split.train.indices];
  const candidates = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    candidates.set(part, offset);
    offset += part.length;
  }
  const chosen = stratifiedSample({ set, indices: candidates }, count);
  const isHeldOut = new Uint8Array(set.count);
  for (const index of split.test.indices) isHeldOut[index] = 1;
  for (const index of split.validation.indices) isHeldOut[index] = 1;
  const indices = Array.from(chosen);
  return {
    count: indices.length,
    latentDim,
    datasetId: dataset.summary.datasetId,
    datasetIndices: indices,
    labels: indices.map((i) => set.labels[i]!),
    classNames: set.classNames,
    names: indices.map((i) => imageName(dataset, i)),
    heldOut: indices.map((i) => isHeldOut[i]!),
    metadata: set.metadata.map(({ field, values }) => ({ field, values: indices.map((i) => values[i]!) })),
  };
}

/**
 * Stored points with their indices looked up again by name in the dataset as it is now (same
 * points, same order, so the stored latent codes still match). A built-in's points whose names do
 * not resolve keep their positional indices when those fit (older records); a folder's point whose
 * file is gone gives null (the caller picks new points).
 */
export function realignPoints(points: StoredPoints, dataset: LoadedDataset): StoredPoints | null {
  const resolved = resolveNames(dataset, points.names);
  if (resolved) {
    const same = resolved.every((index, k) => index === points.datasetIndices[k]);
    return same ? points : { ...points, datasetIndices: resolved };
  }
  const fits = points.datasetIndices.every((i) => i < dataset.set.count);
  return fits && !dataset.fileNames ? points : null;
}
