/**
 * Images named by what they are, not where they sit in the sorted list: a folder image by its path
 * inside the folder, a built-in one as `<datasetId> #i`. Records that outlive an open dataset (the
 * map's points, the gallery's sample, the split) keep names, so after files are added or removed
 * they still find the same images (issue 14).
 */
import type { LoadedDataset } from './loaded-dataset';

export function imageName(dataset: LoadedDataset, index: number): string {
  return dataset.fileNames?.[index] ?? `${dataset.summary.datasetId} #${index}`;
}

/**
 * Each name's index in the dataset as it is now, or null when one of them is no longer there.
 * Names that are not the dataset's own (a record from before names were kept) give null too, and
 * the caller keeps the record's positional indices.
 */
export function resolveNames(dataset: LoadedDataset, names: readonly string[]): number[] | null {
  const byName = new Map<string, number>();
  for (let i = 0; i < dataset.set.count; i++) byName.set(imageName(dataset, i), i);
  const indices: number[] = [];
  for (const name of names) {
    const index = byName.get(name);
    if (index === undefined) return null;
    indices.push(index);
  }
  return indices;
}

/** One name's index in the dataset as it is now, or null when it is not there. */
export function indexOfName(dataset: LoadedDataset, name: string): number | null {
  if (dataset.fileNames) {
    const index = dataset.fileNames.indexOf(name);
    return index < 0 ? null : index;
  }
  const match = /^(.*) #(\d+)$/.exec(name);
  if (!match || match[1] !== dataset.summary.datasetId) return null;
  const index = Number(match[2]);
  return index < dataset.set.count ? index : null;
}
